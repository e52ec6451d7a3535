import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startFakeAdminApi, type FakeAdminApi } from '../../../test/support/fake-admin-api.js';
import { bufferOutput } from '../cli-output.js';
import { invokeCommand } from './invoke.js';

const trap = { error: { code: 'guest_trap', message: 'hello trapped: unreachable', details: { function: 'hello', requestId: 'req-2' } } };
let api: FakeAdminApi;

before(async () => {
  api = await startFakeAdminApi({
    'POST /v1/functions/hello/invoke': { status: 200, headers: { 'content-type': 'application/octet-stream', 'x-wasmlet-request-id': 'req-1' }, body: new Uint8Array([0xff, 0, 0x41]) },
    'POST /v1/functions/trapper/invoke': { status: 502, headers: { 'x-wasmlet-request-id': 'req-2' }, body: trap },
    'POST /v1/functions/picky/invoke': { status: 404, headers: { 'x-wasmlet-request-id': 'req-3' }, body: 'no such greeting\n' },
    'POST /v1/functions/ghost/invoke': { status: 404, body: { error: { code: 'function_not_found', message: 'no function named ghost' } } },
    'POST /v1/functions/events/invoke': (request) => {
      const duplicate = request.headers['idempotency-key'] === 'seen-before';
      return { status: 202, headers: { 'x-wasmlet-invocation-id': 'inv-1' }, body: { invocationId: 'inv-1', duplicate, status: '/v1/invocations/inv-1' } };
    },
  });
});
after(() => api.close());

describe('invoke', () => {
  test('writes the body bytes as they are and sends the payload', async () => {
    const output = bufferOutput();
    assert.equal(await invokeCommand('hello', { data: '{"name":"ada"}' }, { adminUrl: api.url, json: false, output }), 0);
    assert.deepEqual(output.stdoutBytes, new Uint8Array([0xff, 0, 0x41]));
    assert.equal(output.stderr, '');
    assert.equal(new TextDecoder().decode(api.requests.at(-1)?.body), '{"name":"ada"}');
  });

  test('--data-file sends the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wasmlet-invoke-'));
    try {
      await writeFile(join(dir, 'payload.json'), '{"from":"file"}');
      const output = bufferOutput();
      assert.equal(await invokeCommand('hello', { dataFile: join(dir, 'payload.json') }, { adminUrl: api.url, json: false, output }), 0);
      assert.equal(new TextDecoder().decode(api.requests.at(-1)?.body), '{"from":"file"}');

      const missing = bufferOutput();
      assert.equal(await invokeCommand('hello', { dataFile: join(dir, 'none.json') }, { adminUrl: api.url, json: false, output: missing }), 1);
      assert.match(missing.stderr, /^wasmlet: cannot read --data-file .*none\.json: .*ENOENT.* \(bad_request\)\n$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a trap exits 1 with the host message, code and request id on stderr only', async () => {
    const output = bufferOutput();
    assert.equal(await invokeCommand('trapper', {}, { adminUrl: api.url, json: false, output }), 1);
    assert.equal(output.stdout, '');
    assert.equal(output.stderr, 'wasmlet: hello trapped: unreachable [request req-2] (guest_trap)\n');
  });

  test("a function's own 404 keeps its body on stdout and exits 1 with http_404", async () => {
    const output = bufferOutput();
    assert.equal(await invokeCommand('picky', {}, { adminUrl: api.url, json: false, output }), 1);
    assert.equal(output.stdout, 'no such greeting\n');
    assert.equal(output.stderr, 'wasmlet: picky answered with status 404 [request req-3] (http_404)\n');
  });

  test('--json prints { status, headers, body, requestId } and still exits 1 for >= 400', async () => {
    const output = bufferOutput();
    assert.equal(await invokeCommand('trapper', {}, { adminUrl: api.url, json: true, output }), 1);
    const printed = JSON.parse(output.stdout) as { status: number; headers: Record<string, string>; body: string; requestId: string };
    assert.equal(printed.status, 502);
    assert.equal(printed.requestId, 'req-2');
    assert.equal(printed.headers['x-wasmlet-request-id'], 'req-2');
    assert.deepEqual(JSON.parse(printed.body), trap);
    assert.equal(output.stderr, '');
  });

  test('an unknown function is an admin API error, not an invocation', async () => {
    const output = bufferOutput();
    assert.equal(await invokeCommand('ghost', {}, { adminUrl: api.url, json: true, output }), 1);
    assert.deepEqual(JSON.parse(output.stdout), { error: { code: 'function_not_found', message: 'no function named ghost' } });
  });
});

describe('invoke --async', () => {
  test('prints the queued invocation id, sending the payload as an Event', async () => {
    const output = bufferOutput();
    assert.equal(await invokeCommand('events', { async: true, data: '{"n":1}' }, { adminUrl: api.url, json: false, output }), 0);
    assert.equal(output.stdout, 'queued inv-1\n');
    const request = api.requests.at(-1)!;
    assert.equal(request.headers['x-wasmlet-invocation-type'], 'Event');
    assert.equal(request.headers['idempotency-key'], undefined);
    assert.equal(new TextDecoder().decode(request.body), '{"n":1}');
  });

  test('a used idempotency key says which invocation it duplicates; --json prints the body', async () => {
    const output = bufferOutput();
    assert.equal(await invokeCommand('events', { async: true, idempotencyKey: 'seen-before' }, { adminUrl: api.url, json: false, output }), 0);
    assert.equal(output.stdout, 'duplicate of inv-1\n');
    assert.equal(api.requests.at(-1)?.headers['idempotency-key'], 'seen-before');

    const json = bufferOutput();
    assert.equal(await invokeCommand('events', { async: true, idempotencyKey: 'seen-before' }, { adminUrl: api.url, json: true, output: json }), 0);
    assert.deepEqual(JSON.parse(json.stdout), { invocationId: 'inv-1', duplicate: true, status: '/v1/invocations/inv-1' });
  });

  test('--idempotency-key without --async is refused before any request', async () => {
    const before = api.requests.length;
    const output = bufferOutput();
    assert.equal(await invokeCommand('events', { idempotencyKey: 'k' }, { adminUrl: api.url, json: false, output }), 1);
    assert.equal(output.stderr, 'wasmlet: --idempotency-key needs --async: only async invocations are deduplicated (bad_request)\n');
    assert.equal(api.requests.length, before);
  });
});
