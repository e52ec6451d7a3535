// End to end as a user works: `wasmlet serve` in its own process, the CLI deploys and manages
// functions, routes are called over real HTTP with undici.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { request } from 'undici';
import { runCli, startServe, type ServingHost } from '../support/cli-process.js';
import { examplesDir } from '../support/paths.js';

async function get(url: string): Promise<{ status: number; body: string; requestId: string | undefined }> {
  const response = await request(url);
  const requestId = response.headers['x-wasmlet-request-id'];
  return { status: response.statusCode, body: await response.body.text(), requestId: typeof requestId === 'string' ? requestId : undefined };
}

describe('wasmlet CLI against a served host', () => {
  let dataDir: string;
  let host: ServingHost;
  let admin: string[];

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-e2e-'));
    host = await startServe(['--data-dir', dataDir, '--workers', '2']);
    // --data-dir: the CLI sends the token this host generated there.
    admin = ['--admin-url', host.urls.admin, '--data-dir', dataDir];
  });

  after(async () => {
    await host.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('deploy a folder, call its route, redeploy is a no-op', async () => {
    const deployed = await runCli(['deploy', join(examplesDir, 'hello-rust'), ...admin]);
    assert.equal(deployed.code, 0, deployed.stderr);
    assert.match(deployed.stdout, /deployed hello-rust v1 sha256:[0-9a-f]+/);
    const response = await get(`${host.urls.http}/hello/rust?name=ada`);
    assert.equal(response.status, 200);
    assert.equal(response.body, 'Hello, ada, from Rust!\n');
    assert.ok(response.requestId);
    const again = await runCli(['deploy', join(examplesDir, 'hello-rust'), ...admin]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /hello-rust is unchanged \(v1\)/);
  });

  test('list --json, invoke --data, logs', async () => {
    const list = await runCli(['list', '--json', ...admin]);
    assert.equal(list.code, 0, list.stderr);
    const names = (JSON.parse(list.stdout) as { functions: { name: string }[] }).functions.map((f) => f.name);
    assert.ok(names.includes('hello-rust'), list.stdout);

    const invoked = await runCli(['invoke', 'hello-rust', '--data', '{"name":"ada"}', ...admin]);
    assert.equal(invoked.code, 0, invoked.stderr);
    assert.equal(invoked.stdout, 'Hello, ada, from Rust!\n');

    const logs = await runCli(['logs', 'hello-rust', ...admin]);
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /info/);
  });

  test('delete removes the route; rollback without history fails with its code', async () => {
    assert.equal((await runCli(['deploy', join(examplesDir, 'hello-c'), ...admin])).code, 0);
    const rollback = await runCli(['rollback', 'hello-c', ...admin]);
    assert.equal(rollback.code, 1);
    assert.match(rollback.stderr.trim(), /^wasmlet: .*\(no_previous_version\)$/);
    const deleted = await runCli(['delete', 'hello-c', ...admin]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal((await get(`${host.urls.http}/hello/c`)).status, 404);
  });

  test('kv list|get|set|delete on the store of a deployed json-api: what people write, the function serves', async () => {
    assert.equal((await runCli(['deploy', join(examplesDir, 'json-api'), ...admin])).code, 0);
    const created = await request(`${host.urls.http}/api/todos`, { method: 'POST', body: JSON.stringify({ title: 'from the API' }) });
    assert.equal(created.statusCode, 201, await created.body.text());

    const stores = await runCli(['kv', 'list', ...admin]);
    assert.equal(stores.code, 0, stores.stderr);
    assert.match(stores.stdout, /^STORE +KEYS +BYTES +GRANTED TO\ndefault +2 +\d+ +json-api\n$/);
    const keys = await runCli(['kv', 'list', 'default', '--prefix', 'todo:', ...admin]);
    assert.deepEqual([keys.code, keys.stdout], [0, 'todo:1\n']);
    const value = await runCli(['kv', 'get', 'default', 'todo:1', ...admin]);
    assert.equal(value.code, 0, value.stderr);
    const todo = JSON.parse(value.stdout) as { id: string; title: string };
    assert.deepEqual([todo.id, todo.title], ['1', 'from the API']);

    const set = await runCli(['kv', 'set', 'default', 'todo:1', JSON.stringify({ ...todo, title: 'fixed by hand' }), ...admin]);
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /^replaced default\/todo:1 \(\d+ bytes\)\n$/);
    assert.equal(((await (await request(`${host.urls.http}/api/todos/1`)).body.json()) as { todo: { title: string } }).todo.title, 'fixed by hand');

    const deleted = await runCli(['kv', 'delete', 'default', 'todo:1', ...admin]);
    assert.deepEqual([deleted.code, deleted.stdout], [0, 'deleted default/todo:1\n']);
    assert.equal((await request(`${host.urls.http}/api/todos/1`)).statusCode, 404);
    const missing = await runCli(['kv', 'get', 'default', 'todo:1', ...admin]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^wasmlet: no key "todo:1" in store "default" \(kv_key_not_found\)\n$/);
    const typo = await runCli(['kv', 'set', 'defualt', 'k', 'v', ...admin]);
    assert.equal(typo.code, 1);
    assert.match(typo.stderr, /\(kv_store_not_found\)/);
  });

  test('failures exit non-zero with one line naming the code', async () => {
    const missing = await runCli(['invoke', 'nope', ...admin]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
    assert.match(missing.stderr, /\(function_not_found\)/);

    const junk = join(dataDir, 'junk.zip');
    await writeFile(junk, 'PK\u0003\u0004 definitely not a real zip');
    const bad = await runCli(['deploy', junk, ...admin]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /\(bundle_invalid\)/);

    const unreachable = await runCli(['list', '--admin-url', 'http://127.0.0.1:9']);
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, /cannot reach the admin API/);
  });
});

describe('wasmlet serve lifecycle', () => {
  test('--deploy-examples serves every example (what `npm start` runs)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-e2e-'));
    const host = await startServe(['--data-dir', dataDir, '--workers', '2', '--deploy-examples']);
    try {
      for (const [lang, greeting] of [['c', 'C'], ['rust', 'Rust'], ['js', 'JavaScript']] as const) {
        const response = await get(`${host.urls.http}/hello/${lang}?name=ada`);
        assert.equal(response.status, 200, `${lang}: ${response.body}`);
        assert.equal(response.body, `Hello, ada, from ${greeting}!\n`);
      }
    } finally {
      assert.equal(await host.stop(), 0);
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test('without --token: serve generates the token, the CLI on the same data dir uses it, nothing prints it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-e2e-'));
    const host = await startServe(['--data-dir', dataDir, '--workers', '1']);
    try {
      const tokenFile = join(dataDir, 'admin-token');
      const token = (await readFile(tokenFile, 'latin1')).trim();
      assert.ok(host.stderr().includes(`admin token generated into ${tokenFile} (mode 0600)`), host.stderr());
      // The quick start: WASMLET_DATA_DIR (or --data-dir, default .wasmlet) and no token anywhere.
      const deployed = await runCli(['deploy', join(examplesDir, 'hello-c'), '--admin-url', host.urls.admin], { WASMLET_DATA_DIR: dataDir });
      assert.equal(deployed.code, 0, deployed.stderr);
      const listed = await runCli(['list', '--json', '--admin-url', host.urls.admin, '--data-dir', dataDir]);
      assert.equal(listed.code, 0, listed.stderr);
      // Another data dir (no token there): refused, and told where the token is.
      const elsewhere = await runCli(['list', '--admin-url', host.urls.admin, '--data-dir', join(dataDir, 'not-a-host')]);
      assert.equal(elsewhere.code, 1);
      assert.match(elsewhere.stderr, /missing Authorization: Bearer <token> header .*<data-dir>\/admin-token.*\(unauthorized\)/);
      for (const output of [host.stderr(), deployed.stdout, deployed.stderr, listed.stdout, elsewhere.stderr]) assert.ok(!output.includes(token), 'the token is never printed');
    } finally {
      assert.equal(await host.stop(), 0);
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test('a host killed with SIGKILL comes back with its functions on the same data dir', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-e2e-'));
    try {
      const first = await startServe(['--data-dir', dataDir, '--workers', '1']);
      assert.equal((await runCli(['deploy', join(examplesDir, 'hello-c'), '--admin-url', first.urls.admin, '--data-dir', dataDir])).code, 0);
      await first.kill();
      const second = await startServe(['--data-dir', dataDir, '--workers', '1']);
      try {
        const response = await get(`${second.urls.http}/hello/c?name=again`);
        assert.equal(response.status, 200);
        assert.equal(response.body, 'Hello, again, from C!\n');
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
