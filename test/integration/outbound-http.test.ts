// Outbound HTTP end to end: a C guest (test/fixtures/outbound, the SDK's wasmlet_http_get) calls
// real loopback upstreams through a real host. Every rule has a case that fails without it.
// Names resolve through the host's lookup override (no outside network): upstream.test and
// other.test → 127.0.0.1, metadata.test → 169.254.169.254.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { LookupAll } from '../../src/capabilities/outbound-http/guarded-connector.js';
import { bundleWith } from '../support/bundles.js';
import { fixtureComponent } from '../support/paths.js';
import { startTestHost, type TestHost } from '../support/test-host.js';

const names: Record<string, string> = { 'upstream.test': '127.0.0.1', 'other.test': '127.0.0.1', 'metadata.test': '169.254.169.254' };
const lookup: LookupAll = (hostname, _options, callback) => {
  const address = names[hostname];
  if (!address) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
  callback(null, [{ address, family: 4 }]);
};

function manifest(name: string, route: string, grants: string[], extra = ''): string {
  return `name = "${name}"\ncomponent = "component.wasm"\nallowed_outbound_hosts = ${JSON.stringify(grants)}\n\n[[http]]\nroute = "${route}"\n\n[limits]\ntimeout_ms = 5000\n${extra}`;
}

describe('outbound HTTP from a guest', () => {
  let host: TestHost;
  let upstream: Server;
  let port: number;
  /** Requests the upstream received, by path; and the most it held at once. */
  const received = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  const big = new Uint8Array(12 * 1024 * 1024).fill(120);

  before(async () => {
    upstream = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      received.set(path, (received.get(path) ?? 0) + 1);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      res.on('close', () => inFlight--);
      if (path === '/hello') return void res.end(`hi ${req.headers['x-probe'] ?? ''}`.trim());
      if (path === '/wait') return void setTimeout(() => res.end('waited'), Number(new URL(req.url!, 'http://x').searchParams.get('ms') ?? 200));
      if (path === '/big') return void res.end(big);
      if (path === '/redirect-in') return void res.writeHead(302, { location: '/hello' }).end();
      if (path === '/redirect-out') return void res.writeHead(302, { location: `http://other.test:${port}/hello` }).end();
      res.writeHead(404).end('no');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    port = (upstream.address() as AddressInfo).port;
    host = await startTestHost({ outboundLookup: lookup });
    const component = fixtureComponent('outbound');
    const deploys: [string, string, string[], string][] = [
      ['fx-outbound', '/fx/outbound', ['http://127.0.0.1:*'], ''],
      // Granted by name only: what the names resolve to must not be private.
      ['fx-outbound-names', '/fx/outbound-names', ['http://upstream.test:*', 'http://metadata.test'], ''],
      ['fx-outbound-quick', '/fx/outbound-quick', ['http://127.0.0.1:*'], 'outbound_timeout_ms = 300\n'],
      ['fx-outbound-deadline', '/fx/outbound-deadline', ['http://127.0.0.1:*'], ''],
    ];
    for (const [name, route, grants, extra] of deploys) {
      const text = manifest(name, route, grants, extra).replace('timeout_ms = 5000', name === 'fx-outbound-deadline' ? 'timeout_ms = 500' : 'timeout_ms = 5000');
      const response = await host.deploy(bundleWith(text, component));
      assert.equal(response.status, 201, `deploy ${name}: ${await response.text()}`);
    }
  });

  after(async () => {
    await host.close();
    await new Promise((resolve) => upstream.close(resolve));
  });

  const call = async (route: string, url: string, extra = '') => {
    const response = await host.get(`${route}?url=${encodeURIComponent(url)}${extra}`);
    return { status: response.status, text: await response.text() };
  };

  test('a granted origin answers; its redirects inside the grant are followed', async () => {
    assert.deepEqual(await call('/fx/outbound', `http://127.0.0.1:${port}/hello`), { status: 200, text: 'status=200 bytes=2 body=hi' });
    assert.deepEqual(await call('/fx/outbound', `http://127.0.0.1:${port}/redirect-in`), { status: 200, text: 'status=200 bytes=2 body=hi' });
  });

  test('an origin outside the grant is denied, and the guest goes on to answer', async () => {
    const { status, text } = await call('/fx/outbound', 'http://not-granted.test/hello');
    assert.equal(status, 502);
    assert.match(text, /^error=denied .*allowed_outbound_hosts/);
  });

  test('SSRF: a granted name that resolves to loopback or to the metadata address is refused before connecting', async () => {
    const before = received.get('/hello') ?? 0;
    const loop = await call('/fx/outbound-names', `http://upstream.test:${port}/hello`);
    assert.equal(loop.status, 502);
    assert.match(loop.text, /^error=denied .*127\.0\.0\.1/);
    const metadata = await call('/fx/outbound-names', 'http://metadata.test/latest/meta-data/');
    assert.equal(metadata.status, 502);
    assert.match(metadata.text, /^error=denied .*169\.254\.169\.254/);
    assert.equal(received.get('/hello') ?? 0, before, 'the upstream never saw the refused requests');
  });

  test('a redirect to an ungranted host is denied at that hop', async () => {
    const before = received.get('/hello') ?? 0;
    const { status, text } = await call('/fx/outbound', `http://127.0.0.1:${port}/redirect-out`);
    assert.equal(status, 502);
    assert.match(text, /^error=denied .*other\.test/);
    assert.equal(received.get('/hello') ?? 0, before);
  });

  test("a wildcard-port loopback grant never reaches the host's own ports", async () => {
    const own = new URL((await host.get('/fx/outbound?url=x')).url).port; // the trigger's port
    const { status, text } = await call('/fx/outbound', `http://127.0.0.1:${own}/fx/outbound`);
    assert.equal(status, 502);
    assert.match(text, /^error=denied/);
  });

  test('a response over outbound_response_bytes is cut off: response-too-large', async () => {
    const { status, text } = await call('/fx/outbound', `http://127.0.0.1:${port}/big`);
    assert.equal(status, 502);
    assert.match(text, /^error=response-too-large/);
  });

  test('1,000 subrequests: the 51st is refused (too-many-requests), the first 50 answered', async () => {
    const { status, text } = await call('/fx/outbound', `http://127.0.0.1:${port}/hello`, '&n=1000');
    assert.equal(status, 200);
    assert.equal(text, 'ok=50 error=too-many-requests@50');
  });

  test('a slow upstream: outbound_timeout_ms ends the request (timeout), the guest answers', async () => {
    const { status, text } = await call('/fx/outbound-quick', `http://127.0.0.1:${port}/wait?ms=3000`);
    assert.equal(status, 502);
    assert.match(text, /^error=timeout/);
  });

  test("a slow upstream past the invocation's deadline: 504, and the host keeps serving", async () => {
    const response = await host.get(`/fx/outbound-deadline?url=${encodeURIComponent(`http://127.0.0.1:${port}/wait?ms=3000`)}`);
    assert.equal(response.status, 504);
    assert.deepEqual(await call('/fx/outbound', `http://127.0.0.1:${port}/hello`), { status: 200, text: 'status=200 bytes=2 body=hi' });
  });

  test('waiting is not working: 64 calls waiting on a 200 ms upstream overlap far beyond the 2 compute slots', async () => {
    maxInFlight = 0;
    const calls = Array.from({ length: 64 }, () => call('/fx/outbound', `http://127.0.0.1:${port}/wait?ms=200`));
    const results = await Promise.all(calls);
    for (const result of results) assert.deepEqual(result, { status: 200, text: 'status=200 bytes=6 body=waited' });
    assert.ok(maxInFlight > 2 * 4, `the upstream held ${maxInFlight} requests at once; with waiting guests holding compute slots it would be 2`);
  });

  test('a component importing outbound-http without a grant is refused at deploy, naming the key', async () => {
    const text = 'name = "fx-outbound-ungranted"\ncomponent = "component.wasm"\n\n[[http]]\nroute = "/fx/ungranted"\n';
    const response = await host.deploy(bundleWith(text, fixtureComponent('outbound')));
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'component_import_denied');
    assert.match(body.error.message, /allowed_outbound_hosts/);
  });
});
