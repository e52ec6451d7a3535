// A host started without a token is never open (issue 12, scope 4): it generates <data-dir>/admin-token
// (0600) on first start and requires it on the admin API and the S3 endpoint; the admin API answers
// only its own Host names and no other origin. Each rule against a real host (in process, and over
// sockets where the Host header matters).
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { request } from 'undici';
import { S3Client } from '../../src/client/s3-client.js';
import { listen, listenApp, type Listening } from '../../src/host/listen.js';
import { bundleWith, manifestFor } from '../support/bundles.js';
import { fixtureComponent } from '../support/paths.js';
import { startTestHost, type TestHost } from '../support/test-host.js';

const echoZip = () => bundleWith(manifestFor('fx-echo', '/fx/echo'), fixtureComponent('echo'));

describe('a host started without --token', () => {
  let dataDir: string;
  let lines: string[];
  let host: TestHost;
  let admin: Listening;
  let s3: Listening;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-default-token-'));
    lines = [];
    host = await startTestHost({ log: (line) => lines.push(line) }, dataDir);
    admin = await listenApp(host.host.adminApp, '127.0.0.1', 0);
    s3 = await listen(host.host.s3Listener, '127.0.0.1', 0, { checkContinue: true });
  });

  after(async () => {
    await admin.close();
    await s3.close();
    await host.close();
  });

  test('generates <data-dir>/admin-token (0600) and says where it is, never what it is', async () => {
    const path = join(dataDir, 'admin-token');
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal(await readFile(path, 'latin1'), `${host.host.adminToken}\n`);
    assert.ok(lines.some((line) => line.includes(`admin token generated into ${path} (mode 0600)`)), lines.join('\n'));
    assert.ok(!lines.some((line) => line.includes(host.host.adminToken)), 'the token is never logged');
  });

  test('every admin endpoint but /v1/health requires it, unknown paths included', async () => {
    const app = host.host.adminApp;
    assert.equal((await app.request('/v1/health')).status, 200);
    for (const [method, path] of [
      ['GET', '/v1/functions'], ['POST', '/v1/functions'], ['GET', '/v1/queues'], ['POST', '/v1/queues/jobs/messages'],
      ['POST', '/v1/functions/fx-echo/invoke'], ['GET', '/v1/secrets'], ['GET', '/v1/kv'], ['POST', '/v1/gc'], ['GET', '/v1/not-yet-a-route'],
    ] as const) {
      const response = await app.request(path, { method });
      assert.equal(response.status, 401, `${method} ${path}`);
      assert.match(((await response.json()) as { error: { message: string } }).error.message, /<data-dir>\/admin-token/);
    }
    assert.equal((await app.request('/v1/functions', { headers: { authorization: 'Bearer not-the-token-0123456789' } })).status, 401);
    assert.equal((await host.admin('/v1/functions')).status, 200);
  });

  test('the requests a page can send cross-site without a preflight change nothing', async () => {
    assert.equal((await host.deploy(echoZip())).status, 201); // with the token
    const app = host.host.adminApp;
    // Form posts (text/plain, urlencoded, multipart) and no-cors fetches: no Authorization header.
    const simple = [
      ['/v1/functions', new Blob([echoZip() as Uint8Array<ArrayBuffer>])],
      ['/v1/functions', 'a=b'],
      ['/v1/queues/jobs/messages', 'hello=world'],
      ['/v1/functions/fx-echo/invoke', '{}'],
      ['/v1/functions/fx-echo/invoke?mode=async', '{}'],
      ['/v1/functions/fx-echo/rollback', ''],
    ] as const;
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      for (const [path, body] of simple) {
        const response = await app.request(path, { method: 'POST', body, headers: { 'content-type': contentType } });
        assert.equal(response.status, 401, `${contentType} ${path}`);
      }
    }
    const list = (await (await host.admin('/v1/functions')).json()) as { functions: { name: string; version: number }[] };
    assert.deepEqual(list.functions.map((f) => [f.name, f.version]), [['fx-echo', 1]]);
    const peeked = (await (await host.admin('/v1/queues/jobs/messages')).json()) as { messages: unknown[] };
    assert.equal(peeked.messages.length, 0);
    const logs = (await (await host.admin('/v1/functions/fx-echo/logs')).json()) as { logs: unknown[] };
    assert.equal(logs.logs.length, 0, 'never invoked');
  });

  test('over a socket: a Host that is not this host is 421 even with the token; loopback names pass', async () => {
    const port = new URL(admin.url).port;
    const authorization = `Bearer ${host.host.adminToken}`;
    const statusWith = async (hostHeader: string, extra: Record<string, string> = {}) =>
      (await request(`${admin.url}/v1/functions`, { headers: { host: hostHeader, authorization, ...extra } })).statusCode;
    assert.equal(await statusWith(`evil.example:${port}`), 421);
    assert.equal(await statusWith('evil.example'), 421);
    assert.equal(await statusWith(`127.0.0.1.nip.io:${port}`), 421);
    assert.equal(await statusWith(`localhost:${port}`), 200);
    assert.equal(await statusWith(`127.0.0.1:${port}`), 200);
    const health = await request(`${admin.url}/v1/health`, { headers: { host: `evil.example:${port}` } });
    assert.equal(health.statusCode, 421);
    assert.equal(((await health.body.json()) as { error: { code: string } }).error.code, 'host_not_allowed');
  });

  test('over a socket: another origin is 403 even with the token; the API\'s own origin passes', async () => {
    const port = new URL(admin.url).port;
    const authorization = `Bearer ${host.host.adminToken}`;
    const statusWith = async (headers: Record<string, string>) => (await request(`${admin.url}/v1/functions`, { headers: { authorization, ...headers } })).statusCode;
    assert.equal(await statusWith({ origin: `http://127.0.0.1:${Number(port) + 1}` }), 403);
    assert.equal(await statusWith({ origin: 'null' }), 403);
    assert.equal(await statusWith({ 'sec-fetch-site': 'cross-site' }), 403);
    assert.equal(await statusWith({ 'sec-fetch-site': 'same-site' }), 403);
    assert.equal(await statusWith({ origin: `http://127.0.0.1:${port}` }), 200);
  });

  test('the S3 endpoint requires SigV4 with the generated token', async () => {
    const unsigned = await request(`${s3.url}/`, { method: 'GET' });
    assert.equal(unsigned.statusCode, 403);
    assert.match(await unsigned.body.text(), /<Code>AccessDenied<\/Code>/);
    const wrong = new S3Client({ url: s3.url, token: 'not-the-token-0123456789' });
    await assert.rejects(wrong.createBucket('nope'), { code: 'SignatureDoesNotMatch' });
    await wrong.close();
    const right = new S3Client({ url: s3.url, token: host.host.adminToken });
    await right.createBucket('photos');
    assert.deepEqual((await right.listBuckets()).map((b) => b.name), ['photos']);
    await right.close();
  });
});

describe('the generated token across starts', () => {
  test('a restart on the same data dir keeps the token and names the file again', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-default-token-'));
    const first = await startTestHost({}, dataDir);
    const token = first.host.adminToken;
    await first.close(false);
    const lines: string[] = [];
    const second = await startTestHost({ log: (line) => lines.push(line) }, dataDir);
    try {
      assert.equal(second.host.adminToken, token);
      assert.ok(lines.includes(`admin token: ${join(dataDir, 'admin-token')}`), lines.join('\n'));
    } finally {
      await second.close();
    }
  });

  test('a token file others can read refuses the start (the data dir stays usable once fixed)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-default-token-'));
    const first = await startTestHost({}, dataDir);
    await first.close(false);
    const path = join(dataDir, 'admin-token');
    await chmod(path, 0o644);
    await assert.rejects(startTestHost({}, dataDir), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'bad_request');
      assert.match(err.message, /accessible to other users \(mode 0644\); restrict it with: chmod 600/);
      return true;
    });
    await chmod(path, 0o600);
    const again = await startTestHost({}, dataDir);
    await again.close();
  });

  test('with --token the given token is required and no file is written', async () => {
    const token = 'given-token-0123456789';
    const host = await startTestHost({ token });
    try {
      assert.equal(host.host.adminToken, token);
      await assert.rejects(stat(join(host.dataDir, 'admin-token')), { code: 'ENOENT' });
      assert.equal((await host.admin('/v1/functions')).status, 200);
    } finally {
      await host.close();
    }
  });

  test('a non-loopback address still needs an explicit --token (a generated one does not do)', async () => {
    await assert.rejects(startTestHost({ host: '0.0.0.0' }), /not loopback.*--token/);
  });
});
