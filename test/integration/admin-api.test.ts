// The admin API in-process: deploy, no-op redeploy, list, get, invoke, rollback, delete, auth, restart.
import assert from 'node:assert/strict';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { bundleWith, manifestFor } from '../support/bundles.js';
import { examplesDir, fixtureComponent } from '../support/paths.js';
import { startTestHost } from '../support/test-host.js';

const helloC = join(examplesDir, 'hello-c', 'hello-c.wasm');

describe('admin API', () => {
  test('deploy, redeploy the same bytes, list, get, invoke', async () => {
    const host = await startTestHost();
    try {
      const zip = bundleWith(manifestFor('greeter', '/greet'), helloC);
      const first = await host.deploy(zip);
      assert.equal(first.status, 201);
      const deployed = (await first.json()) as { function: { name: string; version: number; digest: string }; unchanged: boolean };
      assert.equal(deployed.function.version, 1);
      assert.equal(deployed.unchanged, false);
      assert.match(deployed.function.digest, /^sha256:[0-9a-f]{64}$/);

      const again = await host.deploy(zip);
      assert.equal(again.status, 200);
      assert.equal(((await again.json()) as { unchanged: boolean }).unchanged, true);

      const list = (await (await host.admin('/v1/functions')).json()) as { functions: { name: string; version: number }[] };
      assert.deepEqual(list.functions.map((f) => [f.name, f.version]), [['greeter', 1]]);

      const got = await host.admin('/v1/functions/greeter');
      assert.equal(got.status, 200);
      assert.equal(((await got.json()) as { function: { routes: { route: string }[] } }).function.routes[0]?.route, '/greet');

      const invoked = await host.admin('/v1/functions/greeter/invoke', { method: 'POST', body: JSON.stringify({ name: 'ada' }) });
      assert.equal(invoked.status, 200);
      assert.equal(await invoked.text(), 'Hello, ada, from C!\n');
      assert.ok(invoked.headers.get('x-wasmlet-request-id'));

      const routed = await host.get('/greet?name=grace');
      assert.equal(await routed.text(), 'Hello, grace, from C!\n');

      const missing = await host.admin('/v1/functions/nope');
      assert.equal(missing.status, 404);
      assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'function_not_found');
    } finally {
      await host.close();
    }
  });

  test('a new version replaces the route, rollback restores the previous one, delete removes it', async () => {
    const host = await startTestHost();
    try {
      assert.equal((await host.deploy(bundleWith(manifestFor('flip', '/flip'), helloC))).status, 201);
      assert.equal((await host.deploy(bundleWith(manifestFor('flip', '/flip'), fixtureComponent('echo')))).status, 201);
      assert.match(await (await host.get('/flip')).text(), /"method"/); // echo answers now

      const rolled = await host.admin('/v1/functions/flip/rollback', { method: 'POST' });
      assert.equal(rolled.status, 200);
      assert.equal(((await rolled.json()) as { function: { version: number } }).function.version, 1);
      assert.match(await (await host.get('/flip')).text(), /from C/);

      const noMore = await host.admin('/v1/functions/flip/rollback', { method: 'POST' });
      assert.equal(noMore.status, 409);

      assert.equal((await host.admin('/v1/functions/flip', { method: 'DELETE' })).status, 200);
      assert.equal((await host.get('/flip')).status, 404);
      assert.equal((await host.admin('/v1/functions/flip')).status, 404);
    } finally {
      await host.close();
    }
  });

  test('a restarted host on the same data directory comes back with its functions active', async () => {
    const first = await startTestHost();
    assert.equal((await first.deploy(bundleWith(manifestFor('survivor', '/survive'), helloC))).status, 201);
    await first.close(false);
    const second = await startTestHost({}, first.dataDir);
    try {
      const response = await second.get('/survive?name=again');
      assert.equal(response.status, 200);
      assert.equal(await response.text(), 'Hello, again, from C!\n');
    } finally {
      await second.close();
    }
  });

  test('a host on a data directory written before per-function registry files migrates it and serves its functions', async () => {
    const first = await startTestHost();
    assert.equal((await first.deploy(bundleWith(manifestFor('veteran', '/veteran'), helloC))).status, 201);
    await first.close(false);
    // Rewrite the data directory as an older host left it: one registry.json, no functions/.
    const functionsDir = join(first.dataDir, 'functions');
    const records = await Promise.all((await readdir(functionsDir)).map(async (file) => (JSON.parse(await readFile(join(functionsDir, file), 'utf8')) as { function: unknown }).function));
    await writeFile(join(first.dataDir, 'registry.json'), JSON.stringify({ format: 1, functions: records }, null, 2));
    await rm(functionsDir, { recursive: true });

    const second = await startTestHost({}, first.dataDir);
    try {
      assert.equal(await (await second.get('/veteran?name=old')).text(), 'Hello, old, from C!\n');
      assert.deepEqual(await readdir(functionsDir), ['veteran.json']);
      await assert.rejects(readFile(join(first.dataDir, 'registry.json')), { code: 'ENOENT' });
    } finally {
      await second.close();
    }
  });

  test('with a token, function endpoints require it', async () => {
    const token = 'test-token-0123456789';
    const host = await startTestHost({ token });
    try {
      const anonymous = await host.host.adminApp.request('/v1/functions');
      assert.equal(anonymous.status, 401);
      assert.equal(((await anonymous.json()) as { error: { code: string } }).error.code, 'unauthorized');
      const wrong = await host.host.adminApp.request('/v1/functions', { headers: { authorization: 'Bearer nope' } });
      assert.equal(wrong.status, 401);
      assert.equal((await host.admin('/v1/functions')).status, 200);
      assert.equal((await host.host.adminApp.request('/v1/health')).status, 200);
    } finally {
      await host.close();
    }
  });

  test('a non-loopback admin address without a token refuses to start', async () => {
    await assert.rejects(startTestHost({ host: '0.0.0.0' }), /not loopback.*--token/);
  });
});
