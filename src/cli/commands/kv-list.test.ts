import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFakeAdminApi } from '../../../test/support/fake-admin-api.js';
import { bufferOutput } from '../cli-output.js';
import { kvListCommand } from './kv-list.js';

test('kv list prints the stores as a table, or the JSON; a hint when there are none', async () => {
  const stores = [
    { name: 'default', keys: 12, bytes: 3456, grantedTo: ['json-api', 'stats'] },
    { name: 'sessions', keys: 0, bytes: 0, grantedTo: [] },
  ];
  const api = await startFakeAdminApi({ 'GET /v1/kv': { body: { stores } } });
  try {
    const output = bufferOutput();
    assert.equal(await kvListCommand(undefined, {}, { adminUrl: api.url, json: false, output }), 0);
    assert.equal(output.stdout, 'STORE     KEYS  BYTES  GRANTED TO\ndefault   12    3456   json-api, stats\nsessions  0     0      -\n');
    const json = bufferOutput();
    assert.equal(await kvListCommand(undefined, {}, { adminUrl: api.url, json: true, output: json }), 0);
    assert.deepEqual(JSON.parse(json.stdout), { stores });
  } finally {
    await api.close();
  }
  const empty = await startFakeAdminApi({ 'GET /v1/kv': { body: { stores: [] } } });
  try {
    const output = bufferOutput();
    assert.equal(await kvListCommand(undefined, {}, { adminUrl: empty.url, json: false, output }), 0);
    assert.match(output.stdout, /^no key-value stores/);
  } finally {
    await empty.close();
  }
});

test('kv list <store> follows the cursor to the last page and prints one key a line (a key with a newline quoted)', async () => {
  const api = await startFakeAdminApi({
    'GET /v1/kv/default/keys?prefix=todo%3A': { body: { store: 'default', keys: ['todo:1', 'todo:2'], cursor: 'c1' } },
    'GET /v1/kv/default/keys?prefix=todo%3A&cursor=c1': { body: { store: 'default', keys: ['todo:3\nx'] } },
  });
  try {
    const output = bufferOutput();
    assert.equal(await kvListCommand('default', { prefix: 'todo:' }, { adminUrl: api.url, json: false, output }), 0);
    assert.equal(output.stdout, 'todo:1\ntodo:2\n"todo:3\\nx"\n');
    const json = bufferOutput();
    assert.equal(await kvListCommand('default', { prefix: 'todo:' }, { adminUrl: api.url, json: true, output: json }), 0);
    assert.deepEqual(JSON.parse(json.stdout), { store: 'default', keys: ['todo:1', 'todo:2', 'todo:3\nx'] });
  } finally {
    await api.close();
  }
});
