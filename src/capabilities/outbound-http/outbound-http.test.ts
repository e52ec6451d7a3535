// OutboundHttp against real loopback servers: grants, SSRF by name, redirects, and the per-invocation limits.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { OutboundBudget } from './outbound-http.js';
import { fetchOutcome, generousMs, lookupTable, outboundFor, serve, type Loopback } from './outbound-test-support.js';

let upstream: Loopback;
let other: Loopback;
const budget = () => new OutboundBudget(performance.now() + generousMs);

before(async () => {
  upstream = await serve((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (url.pathname === '/redirect') {
        res.writeHead(Number(url.searchParams.get('status') ?? 302), { location: url.searchParams.get('to') ?? '/' }).end('moved');
      } else if (url.pathname === '/loop') {
        res.writeHead(302, { location: '/loop' }).end();
      } else if (url.pathname === '/big') {
        const bytes = Number(url.searchParams.get('bytes'));
        const piece = Buffer.alloc(64 * 1024, 'x');
        if (url.searchParams.has('declared')) res.setHeader('content-length', bytes);
        for (let sent = 0; sent < bytes; sent += piece.length) res.write(piece.subarray(0, Math.min(piece.length, bytes - sent)));
        res.end();
      } else if (url.pathname === '/slow') {
        // Never answers: the request must end by its deadline.
      } else {
        res.setHeader('X-Echo-Method', req.method ?? '');
        res.setHeader('Set-Cookie', ['a=1', 'b=2']);
        res.end(`${req.method} ${url.pathname} ${JSON.stringify(req.headers['x-token'] ?? null)} ${Buffer.concat(chunks).toString()}`);
      }
    });
  });
  other = await serve((_req, res) => res.end('other'));
});

after(async () => {
  await upstream.close();
  await other.close();
});

describe('grants', () => {
  test('an origin granted literally is reached; the response streams back with lower-case header names', async () => {
    const outbound = outboundFor([`http://127.0.0.1:${upstream.port}`]);
    const outcome = await fetchOutcome(outbound, { method: 'POST', url: `http://127.0.0.1:${upstream.port}/echo`, headers: [['X-Token', 't'], ['content-length', '2']], body: Buffer.from('hi') });
    await outbound.close();
    assert.equal(outcome.failure, undefined);
    assert.equal(outcome.status, 200);
    assert.equal(outcome.body, 'POST /echo "t" hi');
    assert.deepEqual(outcome.headers.filter(([name]) => name === 'x-echo-method' || name === 'set-cookie'), [['x-echo-method', 'POST'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']]);
  });

  test('without grants every request is denied, naming the origin and the manifest key, and nothing is sent', async () => {
    const outbound = outboundFor([]);
    const hits = upstream.hits.length;
    const outcome = await fetchOutcome(outbound, { url: `http://127.0.0.1:${upstream.port}/echo` });
    await outbound.close();
    assert.equal(outcome.failure?.code, 'denied');
    assert.match(outcome.failure.message, new RegExp(`http://127\\.0\\.0\\.1:${upstream.port} is not in allowed_outbound_hosts`));
    assert.equal(upstream.hits.length, hits);
  });

  test('another port of a granted host is denied', async () => {
    const outbound = outboundFor([`http://127.0.0.1:${upstream.port}`]);
    const outcome = await fetchOutcome(outbound, { url: `http://127.0.0.1:${other.port}/` });
    await outbound.close();
    assert.equal(outcome.failure?.code, 'denied');
  });

  test('a granted name that resolves to 127.0.0.1 is denied (SSRF), and nothing is sent', async () => {
    const outbound = outboundFor([`http://internal.test:${upstream.port}`], { lookup: lookupTable({ 'internal.test': '127.0.0.1' }) });
    const hits = upstream.hits.length;
    const outcome = await fetchOutcome(outbound, { url: `http://internal.test:${upstream.port}/echo` });
    await outbound.close();
    assert.equal(outcome.failure?.code, 'denied');
    assert.match(outcome.failure.message, /resolved to 127\.0\.0\.1, a loopback address/);
    assert.equal(upstream.hits.length, hits);
  });

  test('a granted name that resolves to the cloud metadata address is denied before any connection', async () => {
    const outbound = outboundFor(['http://metadata.test'], { lookup: lookupTable({ 'metadata.test': '169.254.169.254' }) });
    const outcome = await fetchOutcome(outbound, { url: 'http://metadata.test/latest/meta-data/' });
    await outbound.close();
    assert.equal(outcome.failure?.code, 'denied');
    assert.match(outcome.failure.message, /169\.254\.169\.254, the cloud metadata address/);
  });

  test('a wildcard-port loopback grant cannot reach one of the host\'s own ports; naming the port can', async () => {
    const wildcard = outboundFor(['http://127.0.0.1:*'], { ownPorts: [upstream.port] });
    const hits = upstream.hits.length;
    const refused = await fetchOutcome(wildcard, { url: `http://127.0.0.1:${upstream.port}/echo` });
    const elsewhere = await fetchOutcome(wildcard, { url: `http://127.0.0.1:${other.port}/` });
    await wildcard.close();
    assert.equal(refused.failure?.code, 'denied');
    assert.match(refused.failure.message, /own listeners/);
    assert.equal(upstream.hits.length, hits);
    assert.equal(elsewhere.body, 'other');
    const explicit = outboundFor([`http://127.0.0.1:${upstream.port}`], { ownPorts: [upstream.port] });
    const allowed = await fetchOutcome(explicit, { url: `http://127.0.0.1:${upstream.port}/echo` });
    await explicit.close();
    assert.equal(allowed.status, 200);
  });

  test('host-controlled headers from the guest are refused', async () => {
    const outbound = outboundFor([`http://127.0.0.1:${upstream.port}`]);
    for (const name of ['host', 'connection', 'transfer-encoding', 'keep-alive', 'upgrade', 'proxy-authorization', 'Content-Length']) {
      const outcome = await fetchOutcome(outbound, { url: `http://127.0.0.1:${upstream.port}/echo`, headers: [[name, '5']] });
      assert.equal(outcome.failure?.code, 'invalid-request', name);
    }
    await outbound.close();
  });
});

describe('redirects', () => {
  const to = (target: string, status = 302) => `http://127.0.0.1:${upstream.port}/redirect?status=${status}&to=${encodeURIComponent(target)}`;

  test('are followed within the grants; 303 turns a POST into a GET without a body', async () => {
    const outbound = outboundFor([`http://127.0.0.1:${upstream.port}`]);
    const outcome = await fetchOutcome(outbound, { method: 'POST', url: to('/echo', 303), headers: [['content-type', 'text/plain']], body: Buffer.from('payload') });
    const kept = await fetchOutcome(outbound, { method: 'POST', url: to('/echo', 307), body: Buffer.from('payload') });
    await outbound.close();
    assert.equal(outcome.body, 'GET /echo null ');
    assert.equal(kept.body, 'POST /echo null payload');
  });

  test('to an origin outside the grants is denied, even when its address is granted literally', async () => {
    // other.test resolves to 127.0.0.1, and 127.0.0.1:<other> is granted: only the per-hop origin check stops this hop.
    const outbound = outboundFor([`http://127.0.0.1:${upstream.port}`, `http://127.0.0.1:${other.port}`], { lookup: lookupTable({ 'other.test': '127.0.0.1' }) });
    const hits = other.hits.length;
    const outcome = await fetchOutcome(outbound, { url: to(`http://other.test:${other.port}/`) });
    await outbound.close();
    assert.equal(outcome.failure?.code, 'denied');
    assert.match(outcome.failure.message, new RegExp(`http://other\\.test:${other.port} is not in allowed_outbound_hosts`));
    assert.equal(other.hits.length, hits);
  });

  test('are handed to the guest when not followed', async () => {
    const outbound = outboundFor([`http://127.0.0.1:${upstream.port}`]);
    const outcome = await fetchOutcome(outbound, { url: to('http://elsewhere.test/') }, budget(), { followRedirects: false });
    await outbound.close();
    assert.equal(outcome.status, 302);
    assert.ok(outcome.headers.some(([name, value]) => name === 'location' && value === 'http://elsewhere.test/'));
  });

  test('stop after 5 hops', async () => {
    const outbound = outboundFor([`http://127.0.0.1:${upstream.port}`]);
    const hits = upstream.hits.length;
    const outcome = await fetchOutcome(outbound, { url: `http://127.0.0.1:${upstream.port}/loop` });
    await outbound.close();
    assert.equal(outcome.failure?.code, 'protocol-error');
    assert.match(outcome.failure.message, /more than 5 redirects/);
    assert.equal(upstream.hits.length - hits, 6);
  });
});

describe('limits', () => {
  test('a slow upstream ends at the invocation\'s deadline', async () => {
    const outbound = outboundFor([`http://127.0.0.1:${upstream.port}`]);
    const outcome = await fetchOutcome(outbound, { url: `http://127.0.0.1:${upstream.port}/slow` }, new OutboundBudget(performance.now() + 300));
    await outbound.close();
    assert.equal(outcome.failure?.code, 'timeout');
  });

  test('a slow upstream ends at outbound_timeout_ms', async () => {
    const outbound = outboundFor([`http://127.0.0.1:${upstream.port}`], { limits: { outboundTimeoutMs: 300 } });
    const outcome = await fetchOutcome(outbound, { url: `http://127.0.0.1:${upstream.port}/slow` });
    await outbound.close();
    assert.equal(outcome.failure?.code, 'timeout');
  });

  test('a huge response streams until the limit, then fails as response-too-large', async () => {
    const outbound = outboundFor([`http://127.0.0.1:${upstream.port}`], { limits: { outboundResponseBytes: 1024 * 1024 } });
    const outcome = await fetchOutcome(outbound, { url: `http://127.0.0.1:${upstream.port}/big?bytes=${4 * 1024 * 1024}` });
    await outbound.close();
    assert.equal(outcome.failure?.code, 'response-too-large');
    assert.equal(outcome.status, 200);
    assert.ok(outcome.chunks > 0 && outcome.body.length <= 1024 * 1024, `${outcome.chunks} chunks, ${outcome.body.length} bytes`);
  });

  test('response bytes add up over the invocation; a declared length that cannot fit is refused before its body', async () => {
    const outbound = outboundFor([`http://127.0.0.1:${upstream.port}`], { limits: { outboundResponseBytes: 1000 } });
    const shared = budget();
    const first = await fetchOutcome(outbound, { url: `http://127.0.0.1:${upstream.port}/big?bytes=600` }, shared);
    const second = await fetchOutcome(outbound, { url: `http://127.0.0.1:${upstream.port}/big?bytes=600` }, shared);
    const declared = await fetchOutcome(outbound, { url: `http://127.0.0.1:${upstream.port}/big?bytes=5000&declared` });
    await outbound.close();
    assert.equal(first.body.length, 600);
    assert.equal(second.failure?.code, 'response-too-large');
    assert.deepEqual([declared.failure?.code, declared.status], ['response-too-large', undefined]);
  });

  test('the 51st request of an invocation is too-many-requests, and so is every later one', async () => {
    const outbound = outboundFor([`http://127.0.0.1:${upstream.port}`]);
    const shared = budget();
    const hits = upstream.hits.length;
    const codes: string[] = [];
    for (let i = 0; i < 1000; i += 1) codes.push((await fetchOutcome(outbound, { url: `http://127.0.0.1:${upstream.port}/echo` }, shared)).failure?.code ?? 'ok');
    await outbound.close();
    assert.deepEqual(codes.slice(0, 50), new Array(50).fill('ok'));
    assert.deepEqual(new Set(codes.slice(50)), new Set(['too-many-requests']));
    assert.equal(upstream.hits.length - hits, 50);
  });

  test('a fresh budget starts a fresh count', async () => {
    const outbound = outboundFor([`http://127.0.0.1:${upstream.port}`], { limits: { outboundRequests: 1 } });
    const a = await fetchOutcome(outbound, { url: `http://127.0.0.1:${upstream.port}/echo` });
    const b = await fetchOutcome(outbound, { url: `http://127.0.0.1:${upstream.port}/echo` });
    await outbound.close();
    assert.deepEqual([a.status, b.status], [200, 200]);
  });
});
