import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sampleFunction, startFakeAdminApi } from '../../../test/support/fake-admin-api.js';
import { bufferOutput } from '../cli-output.js';
import { consoleCommand, consoleUrl } from './console.js';

test('the link carries the token in the fragment, the only part a browser never sends', () => {
  assert.equal(consoleUrl('http://127.0.0.1:8081', 'tok+/=en'), 'http://127.0.0.1:8081/console#token=tok%2B%2F%3Den');
  assert.equal(consoleUrl('http://127.0.0.1:8081/', 't'), 'http://127.0.0.1:8081/console#token=t');
  // Behind a proxy with a path prefix, the console is under the prefix too.
  assert.equal(consoleUrl('https://ops.example/wasmlet/', 't'), 'https://ops.example/wasmlet/console#token=t');
  assert.equal(new URLSearchParams(new URL(consoleUrl('http://h:1', 'a&b=c')).hash.slice(1)).get('token'), 'a&b=c');
});

test('console prints the signed-in link once the host accepted the token; --open hands it to the opener', async () => {
  const api = await startFakeAdminApi({ 'GET /v1/functions': { body: { functions: [sampleFunction()] } } });
  try {
    const output = bufferOutput();
    const opened: string[] = [];
    assert.equal(await consoleCommand({ open: true }, { adminUrl: api.url, token: 'given-token', json: false, output }, async (url) => void opened.push(url)), 0);
    assert.equal(output.stdout, `${api.url}/console#token=given-token\n`);
    assert.deepEqual(opened, [`${api.url}/console#token=given-token`]);
    assert.equal(api.requests[0]?.headers.authorization, 'Bearer given-token');

    const json = bufferOutput();
    assert.equal(await consoleCommand({ open: false }, { adminUrl: api.url, token: 'given-token', json: true, output: json }), 0);
    assert.deepEqual(JSON.parse(json.stdout), { url: `${api.url}/console#token=given-token` });
  } finally {
    await api.close();
  }
});

test("console uses the local host's generated token, as every client command does", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-console-cli-'));
  const api = await startFakeAdminApi({ 'GET /v1/functions': { body: { functions: [] } } });
  try {
    await writeFile(join(dataDir, 'admin-token'), 'generated-token-0123456789\n', { mode: 0o600 });
    const output = bufferOutput();
    assert.equal(await consoleCommand({ open: false }, { adminUrl: api.url, dataDir, json: false, output }), 0, output.stderr);
    assert.equal(output.stdout, `${api.url}/console#token=generated-token-0123456789\n`);
  } finally {
    await api.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('no token, a refused token, or no browser: said plainly', async () => {
  const api = await startFakeAdminApi({ 'GET /v1/functions': { status: 401, body: { error: { code: 'unauthorized', message: 'the bearer token is not valid' } } } });
  try {
    const none = bufferOutput();
    assert.equal(await consoleCommand({ open: false }, { adminUrl: 'http://203.0.113.9:8081', dataDir: '/nonexistent', json: false, output: none }), 1);
    assert.match(none.stderr, /^wasmlet: no admin token for http:\/\/203\.0\.113\.9:8081: give --token .*\(bad_request\)\n$/);

    const refused = bufferOutput();
    assert.equal(await consoleCommand({ open: false }, { adminUrl: api.url, token: 'wrong', json: false, output: refused }), 1);
    assert.equal(refused.stdout, '');
    assert.equal(refused.stderr, 'wasmlet: the bearer token is not valid (unauthorized)\n');
  } finally {
    await api.close();
  }
  const ok = await startFakeAdminApi({ 'GET /v1/functions': { body: { functions: [] } } });
  try {
    const output = bufferOutput();
    assert.equal(await consoleCommand({ open: true }, { adminUrl: ok.url, token: 't', json: false, output }, async () => Promise.reject(new Error('spawn xdg-open ENOENT'))), 0);
    assert.equal(output.stdout, `${ok.url}/console#token=t\n`);
    assert.equal(output.stderr, 'wasmlet: could not open a browser (spawn xdg-open ENOENT); open the link above\n');
  } finally {
    await ok.close();
  }
});
