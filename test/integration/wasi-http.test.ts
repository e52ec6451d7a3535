// Standard wasi:http/proxy components, built by third-party toolchains (StarlingMonkey through
// `jco componentize`; componentize-py's http world), deployed unchanged and served by a real host:
// streaming, bodies, headers, errors, outbound through wasi:http/outgoing-handler, direct invoke.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { packFunction } from '../../src/bundle/pack-function.js';
import { wasiHttpFixture } from '../support/wasi-http-fixtures.js';
import { startTestHost, type TestHost } from '../support/test-host.js';

describe('wasi:http components', () => {
  let host: TestHost;
  let upstream: Server;
  let upstreamPort: number;

  before(async () => {
    upstream = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        res.writeHead(207, { 'content-type': 'text/x-upstream' });
        res.end(`upstream saw ${req.method} ${req.url} x-fixture=${req.headers['x-fixture']} body=${Buffer.concat(chunks).toString()}`);
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamPort = (upstream.address() as AddressInfo).port;
    host = await startTestHost();
    for (const name of ['fx-http-js', 'fx-http-py'] as const) {
      const fixture = await wasiHttpFixture(name);
      const response = await host.deploy(await packFunction(fixture.dir));
      assert.equal(response.status, 201, `deploy ${name}: ${await response.text()}`);
    }
  });

  after(async () => {
    await host?.close();
    await new Promise((resolve) => upstream.close(resolve));
  });

  test('StarlingMonkey: a fetch-event component answers, a fresh instance per request', async () => {
    for (let i = 0; i < 3; i++) {
      const response = await host.get('/fx/http-js/');
      assert.equal(response.status, 200);
      assert.equal(await response.text(), 'fx-http-js ok\n');
    }
  });

  test('the response streams: the first chunk reaches the client long before the last is written', async () => {
    const response = await host.get('/fx/http-js/stream?chunks=4&delay=250');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-chunks'), '4');
    const reader = response.body!.getReader();
    const arrivals: { at: number; text: string }[] = [];
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      arrivals.push({ at: performance.now(), text: decoder.decode(value) });
    }
    assert.equal(arrivals.map((a) => a.text).join(''), 'chunk 0\nchunk 1\nchunk 2\nchunk 3\n');
    // Buffered, every chunk would arrive at once; a busy machine only spreads them further apart.
    assert.ok(arrivals.length >= 2, 'several reads');
    assert.ok(arrivals.at(-1)!.at - arrivals[0]!.at >= 500, 'the body arrived as it was written (3 delays of 250 ms apart)');
  });

  test('a body stream that errors after the head: StarlingMonkey finishes the body, the error is logged with the request id', async () => {
    const response = await host.get('/fx/http-js/stream?chunks=4&delay=10&fail=2');
    assert.equal(response.status, 200);
    // StarlingMonkey ends the outgoing body with finish() (it warns on stderr), so the response is whole as far as HTTP goes.
    assert.equal(await response.text(), 'chunk 0\nchunk 1\n');
    const requestId = response.headers.get('x-wasmlet-request-id');
    const logs = (await (await host.admin('/v1/functions/fx-http-js/logs')).json()) as { logs: { requestId: string; message: string }[] };
    assert.ok(logs.logs.some((line) => line.requestId === requestId && /stream fails after 2 chunks/.test(line.message)));
    assert.equal((await host.get('/fx/http-js/')).status, 200);
  });

  test('request bodies arrive whole and the request body reads as a stream', async () => {
    const echoed = await host.get('/fx/http-js/echo', { method: 'POST', body: 'hello body', headers: { 'content-type': 'text/plain' } });
    assert.equal(echoed.status, 200);
    assert.equal(echoed.headers.get('x-method'), 'POST');
    assert.equal(await echoed.text(), 'hello body');
    const body = new Uint8Array(512 * 1024).map((_, i) => (i * 31) % 251);
    let fnv = 0x811c9dc5;
    for (const byte of body) fnv = Math.imul(fnv ^ byte, 0x01000193) >>> 0;
    const counted = await host.get('/fx/http-js/count', { method: 'POST', body });
    const stats = (await counted.json()) as { bytes: number; fnv1a: string };
    assert.equal(stats.bytes, body.byteLength);
    assert.equal(stats.fnv1a, fnv.toString(16).padStart(8, '0'));
  });

  test('headers round trip, repeated response fields kept; the guest sees HEAD as HEAD', async () => {
    const response = await host.get('/fx/http-js/headers', { headers: { 'x-echo-colour': 'blue' } });
    assert.equal(response.headers.get('x-echo-colour'), 'blue');
    assert.deepEqual(response.headers.getSetCookie(), ['a=1', 'b=2']);
    const seen = (await response.json()) as { method: string; headers: [string, string][] };
    assert.equal(seen.method, 'GET');
    assert.ok(seen.headers.some(([name, value]) => name === 'x-echo-colour' && value === 'blue'));
    const head = await host.get('/fx/http-js/headers', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
  });

  test('an empty response (the body never taken) and a status without a body', async () => {
    const response = await host.get('/fx/http-js/status?code=204');
    assert.equal(response.status, 204);
    assert.equal(await response.text(), '');
  });

  test('outbound fetch() goes through wasi:http/outgoing-handler to a granted upstream', async () => {
    const url = `http://127.0.0.1:${upstreamPort}/api?x=1`;
    const response = await host.get(`/fx/http-js/fetch?url=${encodeURIComponent(url)}`);
    assert.equal(response.status, 207);
    assert.equal(await response.text(), 'upstream saw GET /api?x=1 x-fixture=fx-http-js body=');
    const posted = await host.get(`/fx/http-js/fetch?method=POST&url=${encodeURIComponent(url)}`, { method: 'POST', body: 'payload' });
    assert.match(await posted.text(), /upstream saw POST \/api\?x=1 x-fixture=fx-http-js body=payload/);
  });

  test('an ungranted origin is refused (HTTP-request-denied) and the guest answers for itself', async () => {
    const response = await host.get(`/fx/http-js/fetch?url=${encodeURIComponent('http://denied.example/')}`);
    assert.equal(response.status, 502);
    assert.match(await response.text(), /^fetch failed/);
    const python = await host.get(`/fx/http-py/fetch?url=${encodeURIComponent('http://denied.example/')}`);
    assert.equal(python.status, 502);
    assert.match(await python.text(), /HTTP_REQUEST_DENIED|HttpRequestDenied/i);
  });

  test('componentize-py: echo, outbound, and a guest that never sets a response gets a clear 502', async () => {
    const echoed = await host.get('/fx/http-py/echo?q=1', { method: 'POST', body: 'py body' });
    assert.equal(echoed.status, 200);
    assert.equal(await echoed.text(), 'POST /fx/http-py/echo?q=1\npy body');
    const fetched = await host.get(`/fx/http-py/fetch?url=${encodeURIComponent(`http://127.0.0.1:${upstreamPort}/py`)}`);
    assert.equal(fetched.status, 207);
    assert.match(await fetched.text(), /upstream saw GET \/py x-fixture=fx-http-py/);
    const missing = await host.get('/fx/http-py/no-response');
    assert.equal(missing.status, 502);
    const problem = (await missing.json()) as { detail: string };
    assert.match(problem.detail, /response-outparam\.set was never called/);
    const thrown = await host.get('/fx/http-py/throw');
    assert.equal(thrown.status, 502);
    assert.equal((await host.get('/fx/http-py/echo')).status, 200);
  });

  test('direct and async invocations reach a wasi:http handler too', async () => {
    const direct = await host.admin('/v1/functions/fx-http-py/invoke', { method: 'POST', body: 'direct payload' });
    assert.equal(direct.status, 404, 'the fixture has no route for /, and says so');
    assert.match(await direct.text(), /fx-http-py: no route/);
    const queued = await host.admin('/v1/functions/fx-http-py/invoke', { method: 'POST', body: 'event', headers: { 'x-wasmlet-invocation-type': 'Event' } });
    assert.equal(queued.status, 202);
  });
});
