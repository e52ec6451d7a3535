import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startFakeAdminApi } from '../../../test/support/fake-admin-api.js';
import { bufferOutput } from '../cli-output.js';
import { kvSetCommand } from './kv-set.js';

test('kv set sends the argument as UTF-8 or the file\'s bytes; says created or replaced; refuses both or neither', async () => {
  let created = true;
  const api = await startFakeAdminApi({
    'PUT /v1/kv/default/keys/config%2Fcolour': (request) => ({ status: created ? 201 : 200, body: { store: 'default', key: 'config/colour', bytes: request.body.byteLength, created } }),
  });
  const dir = await mkdtemp(join(tmpdir(), 'wasmlet-kv-set-'));
  try {
    const output = bufferOutput();
    assert.equal(await kvSetCommand('default', 'config/colour', 'bleu é', {}, { adminUrl: api.url, json: false, output }), 0);
    assert.equal(output.stdout, 'created default/config/colour (7 bytes)\n');
    assert.equal(new TextDecoder().decode(api.requests.at(-1)!.body), 'bleu é');
    created = false;
    const file = join(dir, 'v.bin');
    await writeFile(file, Uint8Array.of(1, 2, 3));
    const fromFile = bufferOutput();
    assert.equal(await kvSetCommand('default', 'config/colour', undefined, { dataFile: file }, { adminUrl: api.url, json: false, output: fromFile }), 0);
    assert.equal(fromFile.stdout, 'replaced default/config/colour (3 bytes)\n');
    assert.deepEqual(api.requests.at(-1)!.body, Uint8Array.of(1, 2, 3));
    const json = bufferOutput();
    assert.equal(await kvSetCommand('default', 'config/colour', 'x', {}, { adminUrl: api.url, json: true, output: json }), 0);
    assert.deepEqual(JSON.parse(json.stdout), { store: 'default', key: 'config/colour', bytes: 1, created: false });
    const requests = api.requests.length;
    for (const [value, dataFile] of [['x', file], [undefined, undefined]] as const) {
      const refused = bufferOutput();
      assert.equal(await kvSetCommand('default', 'k', value, { dataFile }, { adminUrl: api.url, json: false, output: refused }), 1);
      assert.match(refused.stderr, /^wasmlet: give the value as an argument or with --data-file.*\(bad_request\)\n$/);
    }
    assert.equal(api.requests.length, requests);
  } finally {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  }
});
