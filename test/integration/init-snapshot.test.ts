// `[runtime] init_snapshot`: the guest's initialisation runs once at deploy, in the toolchain worker,
// and every fresh instance starts from the baked state (compile/init-snapshot.ts). The fixture
// test/fixtures/init-state counts its init runs and copies $GREETING during init.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bundleWith, manifestFor } from '../support/bundles.js';
import { fixtureComponent } from '../support/paths.js';
import { errorCodeOf, startTestHost, type TestHost } from '../support/test-host.js';

const component = fixtureComponent('init-state');

function manifest(name: string, env: Record<string, string>, snapshot: boolean): string {
  const envToml = Object.entries(env).map(([k, v]) => `${k} = "${v}"`).join('\n');
  return manifestFor(name, `/fx/${name}`, `\n[runtime]\ninit_snapshot = ${snapshot}\n\n[env]\n${envToml}\n`);
}

describe('init snapshot', () => {
  let host: TestHost;

  before(async () => {
    host = await startTestHost({ workers: 1 });
  });

  after(() => host.close());

  async function deploy(name: string, env: Record<string, string>, snapshot = true): Promise<Response> {
    return host.deploy(bundleWith(manifest(name, env, snapshot), component));
  }

  test('every fresh instance starts from the state init left, and init does not run again', async () => {
    const deployed = await deploy('snap', { GREETING: 'hello' });
    assert.equal(deployed.status, 201, await deployed.text());
    for (let i = 0; i < 5; i++) {
      const response = await host.get('/fx/snap');
      // init_runs would be 2 if init ran again on top of the baked memory; calls 1 = a fresh instance.
      assert.equal(await response.text(), 'init_runs=1 greeting=hello calls=1\n');
    }
    const saved = await snapshotIndexes(host.dataDir);
    assert.equal(saved.length, 1);
    assert.ok(saved[0]!.module, 'the snapshot names the module it replaced');
  });

  test('the environment init read is part of the snapshot: a new [env] takes a new one', async () => {
    const deployed = await deploy('snap', { GREETING: 'bonjour' });
    assert.equal(deployed.status, 201, await deployed.text());
    assert.equal(await (await host.get('/fx/snap')).text(), 'init_runs=1 greeting=bonjour calls=1\n');
    assert.equal((await snapshotIndexes(host.dataDir)).length, 2);
  });

  test('an init that opens a stream is refused at deploy, naming the import', async () => {
    const refused = await deploy('snap-prints', { GREETING: 'x', PRINT_DURING_INIT: '1' });
    const body = await refused.clone().text();
    assert.equal(refused.status, 400, body);
    assert.equal(await errorCodeOf(refused), 'snapshot_refused');
    // The preview1 adapter opens stdin, stdout and stderr together on the first write.
    assert.match(body, /wasi:cli\/std(in|out|err)#get/);
    assert.equal((await host.get('/fx/snap-prints')).status, 404, 'nothing was activated');
    // The same function without a snapshot is fine: init runs in every instance, as usual.
    const plain = await deploy('snap-prints', { GREETING: 'x', PRINT_DURING_INIT: '1' }, false);
    assert.equal(plain.status, 201, await plain.text());
    assert.equal(await (await host.get('/fx/snap-prints')).text(), 'init_runs=1 greeting=x calls=1\n');
  });
});

async function snapshotIndexes(dataDir: string): Promise<Array<{ module?: string }>> {
  const artifacts = join(dataDir, 'artifacts');
  const found: Array<{ module?: string }> = [];
  for (const dir of await readdir(artifacts)) {
    for (const file of await readdir(join(artifacts, dir)).catch(() => [] as string[])) {
      if (/^snapshot-.*\.json$/.test(file)) found.push(JSON.parse(await readFile(join(artifacts, dir, file), 'utf8')) as { module?: string });
    }
  }
  return found;
}
