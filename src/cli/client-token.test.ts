import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { tokenFor } from './client-token.js';

let dataDir: string;
before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-client-token-'));
  await writeFile(join(dataDir, 'admin-token'), 'generated-token-0123456789\n', { mode: 0o600 });
});
after(() => rm(dataDir, { recursive: true, force: true }));

test('the data dir\'s token goes to a loopback host only', async () => {
  for (const url of ['http://127.0.0.1:8081', 'http://localhost:8081', 'http://[::1]:8081', 'http://127.0.0.2:8082']) {
    assert.equal(await tokenFor({ dataDir }, url), 'generated-token-0123456789', url);
  }
  for (const url of ['http://10.0.0.5:8081', 'https://functions.example.com', 'http://localhost.example.com:8081', 'not a url']) {
    assert.equal(await tokenFor({ dataDir }, url), undefined, url);
  }
});

test('a given token wins, wherever the host is; no data dir or no file: none', async () => {
  assert.equal(await tokenFor({ token: 'given-0123456789abc', dataDir }, 'http://127.0.0.1:8081'), 'given-0123456789abc');
  assert.equal(await tokenFor({ token: 'given-0123456789abc', dataDir }, 'https://functions.example.com'), 'given-0123456789abc');
  assert.equal(await tokenFor({}, 'http://127.0.0.1:8081'), undefined);
  assert.equal(await tokenFor({ dataDir: join(dataDir, 'nothing-here') }, 'http://127.0.0.1:8081'), undefined);
});
