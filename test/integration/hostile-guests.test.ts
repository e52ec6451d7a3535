// Each hostile guest gets its specific status and error code, and a healthy function on the same
// host still answers afterwards. Real components (test/fixtures), real worker threads.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bundleWith, manifestFor } from '../support/bundles.js';
import { fixtureComponent } from '../support/paths.js';
import { errorCodeOf, startTestHost, type TestHost } from '../support/test-host.js';

describe('hostile guests', () => {
  let host: TestHost;

  before(async () => {
    host = await startTestHost({ maxQueuedPerFunction: 4 });
    const deploys: [string, string, string][] = [
      ['echo', '/fx/echo', '[limits]\nmax_body_bytes = 1024\n'],
      ['trap', '/fx/trap', ''],
      ['infinite-loop', '/fx/infinite-loop', '[limits]\ntimeout_ms = 500\n'],
      ['memory-bomb', '/fx/memory-bomb', '[limits]\nmemory_mb = 16\n'],
      ['stack-overflow', '/fx/stack-overflow', ''],
      ['huge-response', '/fx/huge-response', '[limits]\nmemory_mb = 64\n'],
      ['read-env', '/fx/read-env', '[env]\nGREETING = "hi"\n\n[config]\ncolour = "blue"\n'],
      ['exit', '/fx/exit', ''],
      ['slow', '/fx/slow', '[limits]\ntimeout_ms = 5000\n'],
      ['logger', '/fx/logger', ''],
    ];
    for (const [name, route, extra] of deploys) {
      const response = await host.deploy(bundleWith(manifestFor(`fx-${name}`, route, extra), fixtureComponent(name)));
      assert.equal(response.status, 201, `deploy ${name}: ${await response.text()}`);
    }
  });

  after(() => host.close());

  async function assertHealthy(): Promise<void> {
    const response = await host.get('/fx/echo?still=alive');
    assert.equal(response.status, 200);
    assert.match(await response.text(), /still=alive/);
  }

  test('a trap answers 502 guest_trap naming the function and request id', async () => {
    const response = await host.get('/fx/trap');
    assert.equal(response.status, 502);
    const body = (await response.json()) as { code: string; function: string; requestId: string; detail: string };
    assert.equal(body.code, 'guest_trap');
    assert.equal(body.function, 'fx-trap');
    assert.equal(body.requestId, response.headers.get('x-wasmlet-request-id'));
    assert.doesNotMatch(body.detail, /\n\s+at /); // no stack trace
    await assertHealthy();
  });

  test('an infinite loop is cut at its deadline with 504, and the host keeps serving', async () => {
    const started = Date.now();
    const response = await host.get('/fx/infinite-loop');
    assert.equal(response.status, 504);
    assert.equal(await errorCodeOf(response), 'timeout');
    assert.ok(Date.now() - started < 5000);
    await assertHealthy();
    // twice: the replacement worker must be as good as the first
    assert.equal((await host.get('/fx/infinite-loop')).status, 504);
    await assertHealthy();
  });

  test('a memory bomb traps at its memory cap', async () => {
    const response = await host.get('/fx/memory-bomb');
    assert.equal(response.status, 502);
    assert.equal(await errorCodeOf(response), 'guest_trap');
    const report = await host.get('/fx/memory-bomb?mode=report');
    assert.equal(report.status, 200);
    const pages = Number((await report.text()).trim());
    assert.ok(pages > 0 && pages <= 16 * 16, `grew to ${pages} pages, cap is 256`);
    await assertHealthy();
  });

  test('a stack overflow traps', async () => {
    const response = await host.get('/fx/stack-overflow');
    assert.equal(response.status, 502);
    assert.equal(await errorCodeOf(response), 'guest_trap');
    await assertHealthy();
  });

  test('a response over the host limit is refused with 502 response_too_large', async () => {
    const response = await host.get('/fx/huge-response?mb=16');
    assert.equal(response.status, 502);
    assert.equal(await errorCodeOf(response), 'response_too_large');
    const small = await host.get('/fx/huge-response?mb=1');
    assert.equal(small.status, 200);
    assert.equal((await small.arrayBuffer()).byteLength, 1024 * 1024);
    await assertHealthy();
  });

  test('a guest sees only its own environment and config, and no files', async () => {
    const response = await host.get('/fx/read-env');
    assert.equal(response.status, 200);
    const lines = (await response.text()).trim().split('\n');
    const envLines = lines.filter((l) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(l));
    assert.deepEqual(envLines, ['GREETING=hi']);
    assert.ok(lines.includes('config colour=blue'), lines.join('|'));
    const files = lines.find((l) => l.startsWith('cwd-files='));
    assert.ok(files && Number(files.split('=')[1]) <= 0, `guest listed host files: ${files}`);
    await assertHealthy();
  });

  test('exit ends the instance, not the host', async () => {
    const response = await host.get('/fx/exit');
    assert.equal(response.status, 502);
    const body = (await response.json()) as { code: string; detail: string };
    assert.equal(body.code, 'guest_trap');
    assert.match(body.detail, /called exit/); // the preview1 adapter passes exit(err), not the code
    await assertHealthy();
  });

  test('empty strings cross the ABI safely (empty header value, empty body)', async () => {
    // Regression: the canonical ABI passes an empty string as a dangling pointer; freeing it trapped.
    const response = await host.get('/fx/echo?x=', { method: 'POST', headers: { 'x-empty': '' }, body: '' });
    assert.equal(response.status, 200, await response.clone().text());
    assert.match(await response.text(), /"headers":\d+/);
  });

  test('a body over max_body_bytes is refused with 413 before the guest runs', async () => {
    const response = await host.get('/fx/echo', { method: 'POST', body: 'x'.repeat(2048) });
    assert.equal(response.status, 413);
    assert.equal(await errorCodeOf(response), 'body_too_large');
    await assertHealthy();
  });

  test('beyond the bounded queue a function answers 503, the others are served', async () => {
    const responses = await Promise.all(Array.from({ length: 10 }, () => host.get('/fx/slow?ms=300')));
    const statuses = responses.map((r) => r.status).sort();
    assert.ok(statuses.includes(200), statuses.join(','));
    assert.ok(statuses.includes(503), statuses.join(','));
    const rejected = responses.find((r) => r.status === 503)!;
    assert.equal(await errorCodeOf(rejected), 'overloaded');
    await assertHealthy();
  });

  test('stdout, stderr and log calls are captured per invocation with the request id', async () => {
    const response = await host.get('/fx/logger');
    assert.equal(response.status, 200);
    const requestId = response.headers.get('x-wasmlet-request-id');
    const logs = (await (await host.admin('/v1/functions/fx-logger/logs?limit=50')).json()) as {
      logs: { requestId: string; stream: string; level: string; message: string }[];
    };
    const mine = logs.logs.filter((l) => l.requestId === requestId);
    assert.ok(mine.some((l) => l.stream === 'stdout'), JSON.stringify(mine));
    assert.ok(mine.some((l) => l.stream === 'stderr'), JSON.stringify(mine));
    for (const level of ['debug', 'info', 'warn', 'error']) {
      assert.ok(mine.some((l) => l.stream === 'log' && l.level === level), `missing ${level}: ${JSON.stringify(mine)}`);
    }
  });
});
