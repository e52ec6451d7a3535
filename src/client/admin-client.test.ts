import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { WasmletError } from '../errors/wasmlet-error.js';
import { AdminClient } from './admin-client.js';
import { sampleFunction, sampleInvocation, sampleMessage, sampleQueueStats, startFakeAdminApi, type CannedRoutes } from '../../test/support/fake-admin-api.js';

async function withApi(routes: CannedRoutes, run: (client: AdminClient, api: Awaited<ReturnType<typeof startFakeAdminApi>>) => Promise<void>, token?: string) {
  const api = await startFakeAdminApi(routes);
  const client = new AdminClient({ url: api.url, token });
  try {
    await run(client, api);
  } finally {
    await client.close();
    await api.close();
  }
}

function rejectsWith(code: string, message: RegExp | string) {
  return (err: unknown) => {
    assert.ok(err instanceof WasmletError, `expected a WasmletError, got ${String(err)}`);
    assert.equal(err.code, code);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  };
}

describe('AdminClient options', () => {
  const cases: [string, unknown, RegExp][] = [
    ['a missing url', {}, /admin API URL is required/],
    ['a url that is not one', { url: 'localhost 8081' }, /is not a URL/],
    ['another protocol', { url: 'ftp://127.0.0.1:8081' }, /must start with http:\/\/ or https:\/\/, got "ftp:/],
    ['credentials in the url', { url: 'http://admin:secret@127.0.0.1:8081' }, /must not carry credentials/],
    ['a query', { url: 'http://127.0.0.1:8081/?x=1' }, /must not have a query/],
    ['an empty token', { url: 'http://127.0.0.1:8081', token: '' }, /non-empty/],
    ['a token with a newline', { url: 'http://127.0.0.1:8081', token: 'abc\r\nx-evil: 1' }, /printable ASCII/],
    ['a zero timeout', { url: 'http://127.0.0.1:8081', requestTimeoutMs: 0 }, /requestTimeoutMs must be a positive integer/],
  ];
  for (const [what, options, message] of cases) {
    test(`rejects ${what}`, () => {
      assert.throws(() => new AdminClient(options as never), rejectsWith('bad_request', message));
    });
  }

  test('normalises the url, keeping a path prefix', async () => {
    const client = new AdminClient({ url: 'http://127.0.0.1:8081/wasmlet/' });
    assert.equal(client.url, 'http://127.0.0.1:8081/wasmlet');
    await client.close();
  });
});

describe('AdminClient over HTTP', () => {
  test('list and get return the API bodies as they are, with the bearer token sent', async () => {
    const fn = sampleFunction();
    const routes: CannedRoutes = {
      'GET /v1/functions': { body: { functions: [fn], extra: 'kept' } },
      'GET /v1/functions/hello%20world': { body: { function: fn } },
    };
    await withApi(
      routes,
      async (client, api) => {
        assert.deepEqual(await client.list(), { functions: [fn], extra: 'kept' });
        assert.deepEqual(await client.get('hello world'), { function: fn });
        assert.equal(api.requests[0]?.headers.authorization, 'Bearer s3cret-token-0123456789');
        assert.equal(api.requests[0]?.headers.accept, 'application/json');
      },
      's3cret-token-0123456789',
    );
  });

  test('deploy posts the zip bytes as application/zip; 201 and 200-unchanged both resolve', async () => {
    let calls = 0;
    const fn = sampleFunction();
    await withApi(
      { 'POST /v1/functions': () => (calls++ === 0 ? { status: 201, body: { function: fn, unchanged: false } } : { status: 200, body: { function: fn, unchanged: true } }) },
      async (client, api) => {
        const zip = new Uint8Array([0x50, 0x4b, 3, 4, 9, 9]);
        assert.equal((await client.deploy(zip)).unchanged, false);
        assert.equal((await client.deploy(zip)).unchanged, true);
        assert.equal(api.requests[0]?.headers['content-type'], 'application/zip');
        assert.deepEqual(api.requests[0]?.body, zip);
        assert.equal(api.requests[0]?.headers.authorization, undefined);
      },
    );
  });

  test('delete, rollback, logs and health hit their endpoints', async () => {
    const entry = { time: '2026-11-27T19:23:37.123Z', requestId: 'r1', level: 'info', stream: 'log', message: 'hi' };
    await withApi(
      {
        'DELETE /v1/functions/hello': { body: { deleted: 'hello' } },
        'POST /v1/functions/hello/rollback': { body: { function: sampleFunction({ version: 1, previousVersion: null }) } },
        'GET /v1/functions/hello/logs?limit=5': { body: { logs: [entry] } },
        'GET /v1/functions/hello/logs': { body: { logs: [] } },
        'GET /v1/health': { body: { ok: true, version: '0.1.0' } },
      },
      async (client) => {
        assert.deepEqual(await client.delete('hello'), { deleted: 'hello' });
        assert.equal((await client.rollback('hello')).function.version, 1);
        assert.deepEqual(await client.logs('hello', { limit: 5 }), { logs: [entry] });
        assert.deepEqual(await client.logs('hello'), { logs: [] });
        assert.deepEqual(await client.health(), { ok: true, version: '0.1.0' });
        await assert.rejects(client.logs('hello', { limit: 0 }), rejectsWith('bad_request', /positive integer/));
        await assert.rejects(client.get(''), rejectsWith('bad_request', /function name is required/));
      },
    );
  });

  test('an error body becomes a WasmletError with the server code, message and details', async () => {
    await withApi(
      {
        'GET /v1/functions/nope': { status: 404, body: { error: { code: 'function_not_found', message: 'no function named nope', details: { name: 'nope' } } } },
        'POST /v1/functions/x/rollback': { status: 409, body: { error: { code: 'brand_new_code', message: 'something new' } } },
      },
      async (client) => {
        await assert.rejects(client.get('nope'), (err: unknown) => {
          assert.ok(err instanceof WasmletError);
          assert.deepEqual([err.code, err.message, err.details], ['function_not_found', 'no function named nope', { name: 'nope' }]);
          return true;
        });
        await assert.rejects(client.rollback('x'), rejectsWith('internal', 'something new'));
      },
    );
  });

  test('a body without the expected fields is reported, not passed on', async () => {
    await withApi({ 'GET /v1/functions': { body: { items: [] } }, 'GET /v1/health': { body: 'ok' } }, async (client) => {
      await assert.rejects(client.list(), rejectsWith('internal', 'the admin API answered GET /v1/functions without the expected "functions" (array, got undefined)'));
      await assert.rejects(client.health(), rejectsWith('internal', /not JSON/));
    });
  });
});

describe('AdminClient.invoke', () => {
  test('returns the function response with its request id, sending the payload', async () => {
    await withApi(
      { 'POST /v1/functions/hello/invoke': { status: 201, headers: { 'content-type': 'text/plain', 'x-wasmlet-request-id': 'req-1', 'x-custom': 'a' }, body: 'Hello, ada!\n' } },
      async (client, api) => {
        const result = await client.invoke('hello', '{"name":"ada"}');
        assert.equal(result.status, 201);
        assert.equal(result.requestId, 'req-1');
        assert.equal(result.headers['x-custom'], 'a');
        assert.equal(new TextDecoder().decode(result.body), 'Hello, ada!\n');
        assert.equal(new TextDecoder().decode(api.requests[0]?.body), '{"name":"ada"}');
        assert.equal(api.requests[0]?.headers['content-type'], 'application/json');
      },
    );
  });

  test('does not throw for a failed invocation (it has a request id)', async () => {
    const error = { error: { code: 'guest_trap', message: 'hello trapped: unreachable', details: { requestId: 'req-2' } } };
    await withApi({ 'POST /v1/functions/hello/invoke': { status: 502, headers: { 'x-wasmlet-request-id': 'req-2' }, body: error } }, async (client) => {
      const result = await client.invoke('hello');
      assert.equal(result.status, 502);
      assert.deepEqual(JSON.parse(new TextDecoder().decode(result.body)), error);
    });
  });

  test('throws when the admin API itself refused (no request id)', async () => {
    await withApi({}, async (client) => {
      await assert.rejects(client.invoke('ghost', new Uint8Array([1, 2])), rejectsWith('bad_request', 'no admin endpoint POST /v1/functions/ghost/invoke'));
    });
  });
});

describe('AdminClient async invocations', () => {
  test('invokeAsync posts the payload as an Event, with the idempotency key when given', async () => {
    const queued = { invocationId: 'inv-1', duplicate: false, status: '/v1/invocations/inv-1' };
    await withApi({ 'POST /v1/functions/hello/invoke': { status: 202, headers: { 'x-wasmlet-invocation-id': 'inv-1' }, body: queued } }, async (client, api) => {
      assert.deepEqual(await client.invokeAsync('hello', '{"n":1}', { idempotencyKey: 'order-42' }), queued);
      const sent = api.requests[0]!;
      assert.equal(sent.headers['x-wasmlet-invocation-type'], 'Event');
      assert.equal(sent.headers['idempotency-key'], 'order-42');
      assert.equal(sent.headers['content-type'], 'application/json');
      assert.equal(new TextDecoder().decode(sent.body), '{"n":1}');

      await client.invokeAsync('hello', new Uint8Array([1, 2]), { contentType: 'application/octet-stream' });
      assert.equal(api.requests[1]?.headers['idempotency-key'], undefined);
      assert.equal(api.requests[1]?.headers['content-type'], 'application/octet-stream');
    });
  });

  test('invokeAsync refuses a key that would break the header, before any request', async () => {
    await withApi({}, async (client, api) => {
      await assert.rejects(client.invokeAsync('hello', '', { idempotencyKey: 'a b' }), rejectsWith('bad_request', /idempotency key must be printable ASCII/));
      await assert.rejects(client.invokeAsync('hello', '', { idempotencyKey: 'x\r\ny: 1' }), rejectsWith('bad_request', /idempotency key/));
      assert.equal(api.requests.length, 0);
    });
  });

  test('an answer without the invocation id is reported', async () => {
    await withApi({ 'POST /v1/functions/hello/invoke': { status: 202, body: { id: 'inv-1' } } }, async (client) => {
      await assert.rejects(client.invokeAsync('hello'), rejectsWith('internal', /without the expected "invocationId" \(string, got undefined\)/));
    });
  });

  test('invocation reads the record; an unknown id is invocation_not_found', async () => {
    const record = sampleInvocation({ id: 'a/b' });
    await withApi(
      {
        'GET /v1/invocations/a%2Fb': { body: { invocation: record } },
        'GET /v1/invocations/gone': { status: 404, body: { error: { code: 'invocation_not_found', message: 'no async invocation gone (records are kept for 24 hours)' } } },
      },
      async (client) => {
        assert.deepEqual(await client.invocation('a/b'), { invocation: record });
        await assert.rejects(client.invocation('gone'), rejectsWith('invocation_not_found', /no async invocation gone/));
        await assert.rejects(client.invocation(''), rejectsWith('bad_request', 'an invocation id is required'));
      },
    );
  });
});

describe('AdminClient queues', () => {
  const sent = { queue: 'jobs', ids: ['m-1'] };

  test('sendMessage posts the raw body with its content type, delay and id headers', async () => {
    await withApi({ 'POST /v1/queues/jobs/messages': { status: 202, body: sent } }, async (client, api) => {
      assert.deepEqual(await client.sendMessage('jobs', new Uint8Array([0xff, 0]), { contentType: 'image/png', delayMs: 1500, id: 'm-1' }), sent);
      const request = api.requests[0]!;
      assert.deepEqual(request.body, new Uint8Array([0xff, 0]));
      assert.equal(request.headers['content-type'], 'image/png');
      assert.equal(request.headers['x-wasmlet-delay-ms'], '1500');
      assert.equal(request.headers['x-wasmlet-message-id'], 'm-1');

      await client.sendMessage('jobs', 'hello');
      assert.equal(api.requests[1]?.headers['content-type'], 'application/octet-stream');
      assert.equal(api.requests[1]?.headers['x-wasmlet-delay-ms'], undefined);
      assert.equal(new TextDecoder().decode(api.requests[1]?.body), 'hello');
    });
  });

  test('sendMessages posts one batch: strings as text, bytes as base64, snake_case delay', async () => {
    await withApi({ 'POST /v1/queues/jobs/messages': { status: 202, body: { queue: 'jobs', ids: ['a', 'b'] } } }, async (client, api) => {
      const result = await client.sendMessages('jobs', [{ body: '{"n":1}', attributes: { from: 'cli' }, delayMs: 0 }, { body: new Uint8Array([0xff, 0]), id: 'b' }]);
      assert.deepEqual(result.ids, ['a', 'b']);
      assert.equal(api.requests[0]?.headers['content-type'], 'application/vnd.wasmlet.batch+json');
      assert.deepEqual(JSON.parse(new TextDecoder().decode(api.requests[0]?.body)), {
        messages: [
          { body: '{"n":1}', encoding: 'text', attributes: { from: 'cli' }, delay_ms: 0 },
          { body: '/wA=', encoding: 'base64', id: 'b' },
        ],
      });
    });
  });

  test('bad arguments fail before any request', async () => {
    await withApi({}, async (client, api) => {
      await assert.rejects(client.sendMessages('jobs', []), rejectsWith('bad_request', 'a batch needs at least one message'));
      await assert.rejects(client.sendMessages('jobs', [{ body: 'x', delayMs: -1 }]), rejectsWith('bad_request', /delay must be a whole number/));
      await assert.rejects(client.sendMessage('jobs', 'x', { delayMs: 1.5 }), rejectsWith('bad_request', /delay must be a whole number/));
      await assert.rejects(client.sendMessage('', 'x'), rejectsWith('bad_request', 'a queue name is required'));
      await assert.rejects(client.peek('jobs', { limit: 0 }), rejectsWith('bad_request', /limit must be a positive integer/));
      await assert.rejects(client.redrive('jobs-dlq', { limit: 2.5 }), rejectsWith('bad_request', /limit must be a positive integer/));
      assert.equal(api.requests.length, 0);
    });
  });

  test('queues, queueStats, peek and redrive hit their endpoints with their queries', async () => {
    const stats = sampleQueueStats();
    const { consumer: _consumer, ...counts } = stats;
    const peeked = { queue: 'jobs', messages: [sampleMessage()] };
    await withApi(
      {
        'GET /v1/queues': { body: { queues: [counts] } },
        'GET /v1/queues/jobs': { body: stats },
        'GET /v1/queues/jobs/messages?limit=5': { body: peeked },
        'GET /v1/queues/jobs/messages': { body: { queue: 'jobs', messages: [] } },
        'POST /v1/queues/jobs-dlq/redrive': { body: { from: 'jobs-dlq', to: 'jobs', moved: 2 } },
        'POST /v1/queues/jobs-dlq/redrive?to=parked&limit=1': { body: { from: 'jobs-dlq', to: 'parked', moved: 1 } },
      },
      async (client, api) => {
        assert.deepEqual(await client.queues(), { queues: [counts] });
        assert.deepEqual(await client.queueStats('jobs'), stats);
        assert.deepEqual(await client.peek('jobs', { limit: 5 }), peeked);
        assert.deepEqual((await client.peek('jobs')).messages, []);
        assert.deepEqual(await client.redrive('jobs-dlq'), { from: 'jobs-dlq', to: 'jobs', moved: 2 });
        assert.deepEqual(await client.redrive('jobs-dlq', { to: 'parked', limit: 1 }), { from: 'jobs-dlq', to: 'parked', moved: 1 });
        assert.equal(api.requests.at(-1)?.method, 'POST');
      },
    );
  });

  test('a stats body without its counts is reported, naming the field', async () => {
    await withApi({ 'GET /v1/queues/jobs': { body: { queue: 'jobs', visible: '3' } } }, async (client) => {
      await assert.rejects(client.queueStats('jobs'), rejectsWith('internal', 'the admin API answered GET /v1/queues/jobs without the expected "visible" (number, got string)'));
    });
  });
});

describe('AdminClient transport failures', () => {
  test('a refused connection says the admin API cannot be reached', async () => {
    const api = await startFakeAdminApi({});
    const url = api.url;
    await api.close(); // the port is now closed
    const client = new AdminClient({ url });
    await assert.rejects(
      client.list(),
      rejectsWith('internal', `cannot reach the admin API at ${url}: connection refused (ECONNREFUSED) — is \`wasmlet serve\` running?`),
    );
    await client.close();
  });

  test('no answer within the timeout is reported the same way', async () => {
    await withApiTimeout(async (client) => {
      await assert.rejects(client.list(), rejectsWith('internal', /^cannot reach the admin API at .*: no response in time \(UND_ERR_HEADERS_TIMEOUT\)/));
    });
  });

  test('a server that does not speak HTTP is reported, not crashed on', async () => {
    const server = createServer();
    server.on('connection', (socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new AdminClient({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    try {
      await assert.rejects(client.list(), rejectsWith('internal', /^cannot reach the admin API at .*: the server there does not speak HTTP/));
    } finally {
      await client.close();
      server.close();
    }
  });
});

async function withApiTimeout(run: (client: AdminClient) => Promise<void>) {
  const api = await startFakeAdminApi({ 'GET /v1/functions': { hang: true } });
  const client = new AdminClient({ url: api.url, requestTimeoutMs: 200 });
  try {
    await run(client);
  } finally {
    await client.close().catch(() => undefined);
    await api.close();
  }
}

describe('AdminClient key-value methods', () => {
  test('kvStores, kvKeys with prefix/cursor/limit, kvGet raw bytes, kvSet, kvDelete; a key is one encoded path segment', async () => {
    const stores = [{ name: 'default', keys: 2, bytes: 20, grantedTo: ['json-api'] }];
    const value = Uint8Array.of(0, 1, 255);
    await withApi(
      {
        'GET /v1/kv': { body: { stores } },
        'GET /v1/kv/default/keys?prefix=todo%3A&cursor=abc&limit=2': { body: { store: 'default', keys: ['todo:1', 'todo:2'], cursor: 'def' } },
        'GET /v1/kv/default/keys/a%2Fb%20%C3%A9': { body: value, headers: { 'content-type': 'application/octet-stream' } },
        'PUT /v1/kv/default/keys/a%2Fb%20%C3%A9': { status: 201, body: { store: 'default', key: 'a/b é', bytes: 5, created: true } },
        'DELETE /v1/kv/default/keys/a%2Fb%20%C3%A9': { body: { store: 'default', deleted: 'a/b é' } },
        'GET /v1/kv/default/keys/missing': { status: 404, body: { error: { code: 'kv_key_not_found', message: 'no key "missing" in store "default"' } } },
      },
      async (client, api) => {
        assert.deepEqual(await client.kvStores(), { stores });
        assert.deepEqual(await client.kvKeys('default', { prefix: 'todo:', cursor: 'abc', limit: 2 }), { store: 'default', keys: ['todo:1', 'todo:2'], cursor: 'def' });
        assert.deepEqual(await client.kvGet('default', 'a/b é'), value);
        assert.deepEqual(await client.kvSet('default', 'a/b é', 'héllo'), { store: 'default', key: 'a/b é', bytes: 5, created: true });
        assert.equal(new TextDecoder().decode(api.requests.find((r) => r.method === 'PUT')!.body), 'héllo');
        assert.deepEqual(await client.kvDelete('default', 'a/b é'), { store: 'default', deleted: 'a/b é' });
        await assert.rejects(client.kvGet('default', 'missing'), rejectsWith('kv_key_not_found', /no key "missing" in store "default"/));
        await assert.rejects(client.kvGet('default', ''), rejectsWith('bad_request', 'a key is required'));
        await assert.rejects(client.kvKeys('default', { limit: 0 }), rejectsWith('bad_request', /limit must be a positive integer/));
      },
    );
  });
});
