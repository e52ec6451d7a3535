// wasi:keyvalue end to end: a real QuickJS guest (test/fixtures/kv-probe, built by the JS recipe
// from the SDK) reads and writes SQLite stores through a real host. Every rule has a case that
// fails without it: the grant, the limits, CAS, batches, cursors, sharing, restarts.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bundleWith } from '../support/bundles.js';
import { fixtureComponent, fixturesDir } from '../support/paths.js';
import { startTestHost, type TestHost } from '../support/test-host.js';

type Result = { ok: unknown } | { error: string; message: string };

const probeManifest = readFileSync(join(fixturesDir, 'kv-probe', 'wasmlet.toml'), 'utf8').replace('component = "kv-probe.wasm"', 'component = "component.wasm"');
const component = fixtureComponent('kv-probe');

describe('key-value stores from a guest (wasi:keyvalue@0.2.0-draft2)', () => {
  let host: TestHost;

  async function deploy(manifest: string): Promise<Response> {
    return host.deploy(bundleWith(manifest, component));
  }

  async function calls(list: object[], route = '/fx/kv'): Promise<Result[]> {
    const response = await host.get(route, { method: 'POST', body: JSON.stringify(list) });
    const text = await response.text();
    assert.equal(response.status, 200, text);
    return JSON.parse(text) as Result[];
  }

  async function one(call: object, route?: string): Promise<Result> {
    return (await calls([call], route))[0]!;
  }

  before(async () => {
    host = await startTestHost();
    const deployed = await deploy(probeManifest);
    assert.equal(deployed.status, 201, await deployed.text());
  });
  after(() => host.close());

  test('the stores a deployed manifest grants exist at once, one database each', async () => {
    assert.ok(existsSync(join(host.dataDir, 'kv', 'default.db')));
    assert.ok(existsSync(join(host.dataDir, 'kv', 'sessions.db')));
  });

  test('set, get, exists, delete: every call a fresh instance, the data in the store', async () => {
    assert.deepEqual(await calls([{ op: 'get', store: 'default', key: 'greeting' }, { op: 'exists', store: 'default', key: 'greeting' }]), [{ ok: null }, { ok: false }]);
    assert.deepEqual(await one({ op: 'set', store: 'default', key: 'greeting', value: 'héllo' }), { ok: null });
    assert.deepEqual(await calls([{ op: 'get', store: 'default', key: 'greeting' }, { op: 'exists', store: 'default', key: 'greeting' }]), [{ ok: 'héllo' }, { ok: true }]);
    assert.deepEqual(await one({ op: 'get', store: 'sessions', key: 'greeting' }), { ok: null }, 'stores are separate');
    assert.deepEqual(await calls([{ op: 'delete', store: 'default', key: 'greeting' }, { op: 'delete', store: 'default', key: 'greeting' }, { op: 'get', store: 'default', key: 'greeting' }]), [
      { ok: null },
      { ok: null },
      { ok: null },
    ]);
  });

  test('a store outside key_value_stores is access-denied, an impossible name no-such-store (the variants the guest gets)', async () => {
    assert.deepEqual(await calls([{ op: 'raw-open', store: 'other' }, { op: 'raw-open', store: 'Not A Store' }, { op: 'raw-open', store: 'sessions' }]), [
      { ok: { tag: 'access-denied' } },
      { ok: { tag: 'no-such-store' } },
      { ok: 'opened' },
    ]);
    const denied = await one({ op: 'open', store: 'other' });
    assert.ok('error' in denied && denied.error === 'access-denied', JSON.stringify(denied));
  });

  test('the manifest\'s limits: a value over kv_max_value_bytes, a key over 256 bytes or with NUL are refused, nothing written', async () => {
    const results = await calls([
      { op: 'set', store: 'default', key: 'big', size: 16_385 },
      { op: 'exists', store: 'default', key: 'big' },
      { op: 'set', store: 'default', key: 'big', size: 16_384 },
      { op: 'set', store: 'default', key: 'k'.repeat(257), value: 'v' },
      { op: 'set', store: 'default', key: 'nul\u0000key', value: 'v' },
      { op: 'set', store: 'default', key: 'k'.repeat(256), value: 'v' },
      { op: 'delete-many', store: 'default', keys: ['big', 'k'.repeat(256)] },
    ]);
    assert.equal((results[0] as { error: string }).error, 'kv_value_too_large', JSON.stringify(results[0]));
    assert.match((results[0] as { message: string }).message, /16385 bytes; the limit is 16384 \(kv_max_value_bytes\)/);
    assert.deepEqual(results[1], { ok: false });
    assert.deepEqual(results[2], { ok: null });
    assert.equal((results[3] as { error: string }).error, 'kv_key_invalid');
    assert.equal((results[4] as { error: string }).error, 'kv_key_invalid');
    assert.match((results[4] as { message: string }).message, /NUL/);
    assert.deepEqual(results[5], { ok: null });
    assert.deepEqual(results[6], { ok: null });
  });

  test('a full quota is kv_quota_exceeded and writes nothing, batches included; deleting frees it', async () => {
    // kv_quota_bytes = 65536: four values of 16,384 bytes under 1-byte keys pass it by 4 bytes.
    const filled = await calls([
      { op: 'set', store: 'sessions', key: 'a', size: 16_384 },
      { op: 'set', store: 'sessions', key: 'b', size: 16_384 },
      { op: 'set', store: 'sessions', key: 'c', size: 16_384 },
      { op: 'set', store: 'sessions', key: 'd', size: 16_380 },
      { op: 'set', store: 'sessions', key: 'e', value: '' },
      { op: 'set-many', store: 'sessions', entries: [['f', 'x'], ['g', 'yyyy']] },
      { op: 'increment', store: 'sessions', key: 'n', delta: 1 },
      { op: 'keys', store: 'sessions' },
    ]);
    assert.deepEqual(filled.slice(0, 4), [{ ok: null }, { ok: null }, { ok: null }, { ok: null }]);
    for (const refused of filled.slice(4, 7)) assert.equal((refused as { error: string }).error, 'kv_quota_exceeded', JSON.stringify(refused));
    assert.match((filled[4] as { message: string }).message, /"sessions" would hold 65537 bytes; its quota is 65536/);
    assert.deepEqual(filled[7], { ok: ['a', 'b', 'c', 'd'] }, 'the batch wrote nothing');
    assert.deepEqual(await calls([{ op: 'delete', store: 'sessions', key: 'd' }, { op: 'set', store: 'sessions', key: 'e', value: 'now it fits' }, { op: 'delete-many', store: 'sessions', keys: ['a', 'b', 'c', 'e'] }]), [
      { ok: null },
      { ok: null },
      { ok: null },
    ]);
  });

  test('increment: counters start at 0, survive between calls as decimal text, refuse a non-integer', async () => {
    assert.deepEqual(await calls([{ op: 'increment', store: 'default', key: 'hits' }, { op: 'increment', store: 'default', key: 'hits', delta: 41 }]), [{ ok: 1 }, { ok: 42 }]);
    assert.deepEqual(await calls([{ op: 'increment', store: 'default', key: 'hits', delta: -2 }, { op: 'get', store: 'default', key: 'hits' }]), [{ ok: 40 }, { ok: '40' }]);
    const [, refused] = await calls([{ op: 'set', store: 'default', key: 'word', value: 'forty' }, { op: 'increment', store: 'default', key: 'word' }]);
    assert.equal((refused as { error: string }).error, 'kv_not_a_counter');
  });

  test('compare-and-swap: a handle made stale by another write is refused with a fresh handle holding the winner, which then swaps', async () => {
    await one({ op: 'set', store: 'default', key: 'cas', value: 'original' });
    assert.deepEqual(await one({ op: 'raw-cas-race', store: 'default', key: 'cas' }), { ok: { seen: 'original', refusal: 'cas-failed', freshSaw: 'intruder', now: 'mine' } });
    assert.deepEqual(await calls([{ op: 'append', store: 'default', key: 'log', value: 'a' }, { op: 'append', store: 'default', key: 'log', value: 'b' }]), [{ ok: 'a' }, { ok: 'ab' }]);
  });

  test('batches: get-many answers in order, none for an absent key; set-many and delete-many', async () => {
    assert.deepEqual(await calls([
      { op: 'set-many', store: 'default', entries: [['batch:1', 'one'], ['batch:2', 'two']] },
      { op: 'raw-get-many', store: 'default', keys: ['batch:2', 'batch:none', 'batch:1'] },
      { op: 'get-many', store: 'default', keys: ['batch:1', 'batch:none'] },
      { op: 'delete-many', store: 'default', keys: ['batch:1', 'batch:2'] },
      { op: 'keys', store: 'default', prefix: 'batch:' },
    ]), [{ ok: null }, { ok: [['batch:2', 'two'], null, ['batch:1', 'one']] }, { ok: ['one', null] }, { ok: null }, { ok: [] }]);
  });

  test('list-keys pages through the cursor: 1000 keys a page, every key once', async () => {
    const entries = Array.from({ length: 1000 }, (_, i) => [`page:${String(i).padStart(4, '0')}`, '']);
    assert.deepEqual(await calls([{ op: 'set-many', store: 'default', entries }, { op: 'set', store: 'default', key: 'page:~last', value: '' }]), [{ ok: null }, { ok: null }]);
    const first = (await one({ op: 'list-keys', store: 'default' })) as { ok: { keys: string[]; cursor?: string } };
    assert.equal(first.ok.keys.length, 1000);
    assert.equal(typeof first.ok.cursor, 'string');
    const second = (await one({ op: 'list-keys', store: 'default', cursor: first.ok.cursor })) as { ok: { keys: string[]; cursor?: string } };
    assert.equal(second.ok.cursor, undefined);
    const all = [...first.ok.keys, ...second.ok.keys];
    assert.equal(new Set(all).size, all.length);
    const paged = (await one({ op: 'keys', store: 'default', prefix: 'page:' })) as { ok: string[] };
    assert.equal(paged.ok.length, 1001);
    assert.equal(paged.ok.at(-1), 'page:~last');
    assert.deepEqual(await one({ op: 'list-keys', store: 'default', cursor: 'not a cursor' }), { error: 'bad_request', message: 'store "default": listKeys(): cursor "not a cursor" is not one this store issued' });
    await one({ op: 'delete-many', store: 'default', keys: all.filter((k) => k.startsWith('page:')) });
  });

  test('two functions granted the same store share it; each sees only its own grants', async () => {
    const second = probeManifest.replace('name = "fx-kv-probe"', 'name = "fx-kv-probe-2"').replace('route = "/fx/kv"', 'route = "/fx/kv2"').replace('["default", "sessions"]', '["sessions"]');
    const deployed = await deploy(second);
    assert.equal(deployed.status, 201, await deployed.text());
    await one({ op: 'set', store: 'sessions', key: 'shared', value: 'from the first' });
    assert.deepEqual(await one({ op: 'get', store: 'sessions', key: 'shared' }, '/fx/kv2'), { ok: 'from the first' });
    assert.deepEqual(await one({ op: 'raw-open', store: 'default' }, '/fx/kv2'), { ok: { tag: 'access-denied' } });
  });

  test('a component importing wasi:keyvalue is refused at deploy without key_value_stores, naming the key', async () => {
    const response = await deploy(probeManifest.replace('name = "fx-kv-probe"', 'name = "fx-kv-nogrant"').replace('route = "/fx/kv"', 'route = "/fx/kv3"').replace('key_value_stores = ["default", "sessions"]\n', ''));
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(response.status, 400);
    assert.equal(body.error.code, 'component_import_denied');
    assert.match(body.error.message, /imports wasi:keyvalue\/store@0\.2\.0-draft2, but wasmlet\.toml grants nothing for it: add key_value_stores \(e\.g\. key_value_stores = \["default"\]\)/);
  });

  test('admin API: GET /v1/kv lists every store with its keys, bytes and the functions granted it', async () => {
    await one({ op: 'set', store: 'sessions', key: 'admin-count', value: 'abc' });
    const listed = (await (await host.admin('/v1/kv')).json()) as { stores: Array<{ name: string; keys: number; bytes: number; grantedTo: string[] }> };
    assert.deepEqual(listed.stores.map((s) => s.name), ['default', 'sessions']);
    const sessions = listed.stores.find((s) => s.name === 'sessions')!;
    assert.ok(sessions.keys >= 2 && sessions.bytes >= 'admin-count'.length + 3, JSON.stringify(sessions));
    assert.deepEqual(listed.stores.find((s) => s.name === 'default')!.grantedTo, ['fx-kv-probe']);
  });

  test('admin API: a value put by a person is what the guest reads, and back; keys may hold "/" and any Unicode', async () => {
    const put = await host.admin('/v1/kv/default/keys/config%2Fgreeting', { method: 'PUT', body: 'bonjour' });
    assert.equal(put.status, 201, await put.text());
    assert.deepEqual(await one({ op: 'get', store: 'default', key: 'config/greeting' }), { ok: 'bonjour' });
    const again = await host.admin('/v1/kv/default/keys/config/greeting', { method: 'PUT', body: 'salut' });
    assert.deepEqual([again.status, await again.json()], [200, { store: 'default', key: 'config/greeting', bytes: 5, created: false }]);
    await one({ op: 'set', store: 'default', key: 'é/😀', value: 'from the guest' });
    const got = await host.admin(`/v1/kv/default/keys/${encodeURIComponent('é/😀')}`);
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('content-type'), 'application/octet-stream');
    assert.equal(await got.text(), 'from the guest');
    const deleted = await host.admin('/v1/kv/default/keys/config%2Fgreeting', { method: 'DELETE' });
    assert.deepEqual(await deleted.json(), { store: 'default', deleted: 'config/greeting' });
    assert.deepEqual(await one({ op: 'get', store: 'default', key: 'config/greeting' }), { ok: null });
  });

  test('admin API: keys by prefix, paged by cursor', async () => {
    await one({ op: 'set-many', store: 'default', entries: [['list:a', ''], ['list:b', ''], ['list:c', ''], ['other', '']] });
    const first = (await (await host.admin('/v1/kv/default/keys?prefix=list:&limit=2')).json()) as { keys: string[]; cursor?: string };
    assert.deepEqual(first.keys, ['list:a', 'list:b']);
    const second = (await (await host.admin(`/v1/kv/default/keys?prefix=list:&limit=2&cursor=${first.cursor}`)).json()) as { keys: string[]; cursor?: string };
    assert.deepEqual(second, { store: 'default', keys: ['list:c'] });
  });

  test('admin API: unknown stores and keys are 404s, malformed keys 400s, a typo never creates a store', async () => {
    const expect = async (path: string, init: RequestInit, status: number, code: string) => {
      const response = await host.admin(path, init);
      const text = await response.text();
      assert.deepEqual([response.status, (JSON.parse(text) as { error?: { code: string } }).error?.code], [status, code], `${path}: ${text}`);
    };
    await expect('/v1/kv/defualt/keys', {}, 404, 'kv_store_not_found');
    await expect('/v1/kv/defualt/keys/k', { method: 'PUT', body: 'v' }, 404, 'kv_store_not_found');
    await expect('/v1/kv/Bad%20Name/keys/k', {}, 400, 'bad_request');
    await expect('/v1/kv/default/keys/never-set', {}, 404, 'kv_key_not_found');
    await expect('/v1/kv/default/keys/never-set', { method: 'DELETE' }, 404, 'kv_key_not_found');
    await expect('/v1/kv/default/keys/%E0%A4', {}, 400, 'kv_key_invalid');
    await expect('/v1/kv/default/keys/a%00b', { method: 'PUT', body: 'v' }, 400, 'kv_key_invalid');
    await expect('/v1/kv/default/keys?cursor=not%20a%20cursor', {}, 400, 'bad_request');
    assert.ok(!existsSync(join(host.dataDir, 'kv', 'defualt.db')));
  });

  test('admin API: /v1/kv needs the token when the host has one', async () => {
    const guarded = await startTestHost({ token: 'a-token-of-sixteen-chars' });
    try {
      for (const path of ['/v1/kv', '/v1/kv/default/keys', '/v1/kv/default/keys/k']) assert.equal((await guarded.host.adminApp.request(path)).status, 401, path);
      assert.equal((await guarded.admin('/v1/kv')).status, 200);
    } finally {
      await guarded.close();
    }
  });

  test('what was written is there after the host restarts on the same data directory', async () => {
    await one({ op: 'set', store: 'default', key: 'durable', value: 'still here' });
    const dataDir = host.dataDir;
    await host.close(false);
    host = await startTestHost({}, dataDir);
    assert.deepEqual(await calls([{ op: 'get', store: 'default', key: 'durable' }, { op: 'get', store: 'default', key: 'hits' }]), [{ ok: 'still here' }, { ok: '40' }]);
  });
});
