// OutboundHttp's failures in the guest's vocabulary: TLS verification, DNS, refused and slow
// connections, invalid requests, an invocation that ends, and a closed client.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { LookupAll } from './guarded-connector.js';
import { OutboundBudget } from './outbound-http.js';
import { fetchOutcome, generousMs, lookupTable, outboundFor, serve, type Loopback } from './outbound-test-support.js';

// The openssl CLI makes the self-signed certificate; `npm run toolchains` installs it.
describe('TLS', () => {
  let server: Loopback;
  let cert: string;

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasmlet-tls-'));
    try {
      // A self-signed certificate for 127.0.0.1: trusted by nobody unless given as a CA.
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
        '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
      cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
      server = await serve((_req, res) => res.end('secure'), createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  after(() => server.close());

  test('a certificate that does not verify is a tls-error, and the request is never sent', async () => {
    const outbound = outboundFor([`https://127.0.0.1:${server.port}`]);
    const outcome = await fetchOutcome(outbound, { url: `https://127.0.0.1:${server.port}/` });
    await outbound.close();
    assert.equal(outcome.failure?.code, 'tls-error');
    assert.deepEqual(server.hits, []);
  });

  test('the same certificate verifies once its CA is trusted', async () => {
    const outbound = outboundFor([`https://127.0.0.1:${server.port}`], { ca: cert });
    const outcome = await fetchOutcome(outbound, { url: `https://127.0.0.1:${server.port}/` });
    await outbound.close();
    assert.deepEqual([outcome.status, outcome.body], [200, 'secure']);
  });

  test('the certificate is checked against the name asked for, not the address dialled', async () => {
    const outbound = outboundFor([`https://127.0.0.1:${server.port}`], { ca: cert, lookup: lookupTable({ 'api.test': '127.0.0.1' }) });
    const outcome = await fetchOutcome(outbound, { url: `https://api.test:${server.port}/` });
    await outbound.close();
    // api.test is not granted as an origin: denied. Grant it too, and the name mismatch is a TLS error.
    assert.equal(outcome.failure?.code, 'denied');
    const both = outboundFor([`https://127.0.0.1:${server.port}`, `https://api.test:${server.port}`], { ca: cert, lookup: lookupTable({ 'api.test': '127.0.0.1' }) });
    const mismatch = await fetchOutcome(both, { url: `https://api.test:${server.port}/` });
    await both.close();
    assert.equal(mismatch.failure?.code, 'tls-error');
  });
});

describe('network failures', () => {
  let closedPort: number;

  before(async () => {
    const server = await serve(() => undefined);
    closedPort = server.port;
    await server.close();
  });

  test('a name that does not resolve is a dns-error', async () => {
    const outbound = outboundFor(['https://nowhere.test']);
    const outcome = await fetchOutcome(outbound, { url: 'https://nowhere.test/' });
    await outbound.close();
    assert.equal(outcome.failure?.code, 'dns-error');
  });

  test('a closed port is connection-refused', async () => {
    const outbound = outboundFor([`http://127.0.0.1:${closedPort}`]);
    const outcome = await fetchOutcome(outbound, { url: `http://127.0.0.1:${closedPort}/` });
    await outbound.close();
    assert.equal(outcome.failure?.code, 'connection-refused');
  });

  test('connecting (resolution included) past outbound_connect_timeout_ms is connection-timeout', async () => {
    const silent: LookupAll = () => undefined; // a resolver that never answers: no packet leaves the machine
    const outbound = outboundFor(['https://stuck.test'], { lookup: silent, limits: { outboundConnectTimeoutMs: 100 } });
    const outcome = await fetchOutcome(outbound, { url: 'https://stuck.test/' });
    await outbound.close();
    assert.equal(outcome.failure?.code, 'connection-timeout');
  });

  test('an invocation with no time left sends nothing', async () => {
    const outbound = outboundFor(['https://api.test']);
    const outcome = await fetchOutcome(outbound, { url: 'https://api.test/' }, new OutboundBudget(performance.now() - 1));
    await outbound.close();
    assert.equal(outcome.failure?.code, 'timeout');
  });

  test('aborting the signal (the invocation ended) ends the request as timeout', async () => {
    const outbound = outboundFor(['https://stuck.test'], { lookup: () => undefined });
    const controller = new AbortController();
    const pending = fetchOutcome(outbound, { url: 'https://stuck.test/' }, new OutboundBudget(performance.now() + generousMs), { followRedirects: true, signal: controller.signal });
    controller.abort();
    const outcome = await pending;
    await outbound.close();
    assert.deepEqual(outcome.failure, { code: 'timeout', message: 'the invocation ended' });
  });

  test('a closed client refuses new requests', async () => {
    const outbound = outboundFor(['https://api.test']);
    await outbound.close();
    assert.equal((await fetchOutcome(outbound, { url: 'https://api.test/' })).failure?.code, 'protocol-error');
  });
});

describe('invalid requests', () => {
  test('are refused before anything is resolved or sent', async () => {
    const outbound = outboundFor(['*://*:*'], { lookup: () => assert.fail('nothing should be resolved') });
    const cases: [string, object][] = [
      ['a relative URL', { url: '/relative' }],
      ['another scheme', { url: 'ftp://files.test/' }],
      ['credentials in the URL', { url: 'https://user:pw@api.test/' }],
      ['a method that is not a token', { url: 'https://api.test/', method: 'GE T' }],
      ['CONNECT', { url: 'https://api.test/', method: 'CONNECT' }],
      ['a header name that is not a token', { url: 'https://api.test/', headers: [['x y', '1']] }],
      ['a header value with CR LF', { url: 'https://api.test/', headers: [['x-a', '1\r\nx-b: 2']] }],
      ['a content-length other than the body\'s', { url: 'https://api.test/', headers: [['content-length', '9']] }],
    ];
    for (const [label, request] of cases) {
      const outcome = await fetchOutcome(outbound, { url: '', ...request });
      assert.equal(outcome.failure?.code, 'invalid-request', label);
    }
    await outbound.close();
  });
});
