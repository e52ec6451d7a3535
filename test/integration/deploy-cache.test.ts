// Deploying a component the host already has: no toolchain worker, validation still from its cached WIT.
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ArtifactStore } from '../../src/compile/artifact-store.js';
import { CodeCache } from '../../src/compile/code-cache.js';
import { Toolchain } from '../../src/compile/toolchain.js';
import { Deployer } from '../../src/deploy/deployer.js';
import { WasmletError } from '../../src/errors/wasmlet-error.js';
import { FileRegistry as Registry } from '../../src/registry/file-registry.js';
import { FileContentStore as ContentStore } from '../../src/store/file-content-store.js';
import { RouteTable } from '../../src/triggers/http/route-table.js';
import { bundleWith, manifestFor } from '../support/bundles.js';
import { examplesDir } from '../support/paths.js';

const helloC = join(examplesDir, 'hello-c', 'hello-c.wasm');

/** A deployer over `dataDir` whose toolchains are real, counted as they start. */
async function deployerOn(dataDir: string): Promise<{ deployer: Deployer; artifacts: ArtifactStore; started: () => number }> {
  const store = new ContentStore(join(dataDir, 'blobs'));
  const artifacts = new ArtifactStore(join(dataDir, 'artifacts'));
  const registry = await Registry.open(join(dataDir, 'registry.json'));
  let started = 0;
  const deployer = new Deployer({
    store,
    artifacts,
    code: new CodeCache(artifacts, store),
    registry,
    routes: () => new RouteTable([]),
    startToolchain: () => {
      started++;
      return new Toolchain();
    },
  });
  return { deployer, artifacts, started: () => started };
}

describe('deploying a known component', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-deploy-cache-'));
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  test('the first deploy starts one toolchain and caches the WIT; the same component under another name starts none', async () => {
    const { deployer, started } = await deployerOn(dataDir);
    const first = await deployer.deploy(bundleWith(manifestFor('one', '/one'), helloC));
    assert.equal(first.unchanged, false);
    assert.equal(started(), 1);
    const second = await deployer.deploy(bundleWith(manifestFor('two', '/two'), helloC));
    assert.equal(second.active.name, 'two');
    assert.deepEqual(second.active.current.handlers, ['http']);
    assert.equal(second.active.current.componentHex, first.active.current.componentHex);
    assert.equal(started(), 1);
  });

  test('a restarted host (empty code cache) still needs no toolchain', async () => {
    const { deployer, started } = await deployerOn(dataDir);
    await deployer.deploy(bundleWith(manifestFor('three', '/three'), helloC));
    assert.equal(started(), 0);
  });

  test('the manifest is still checked against the cached WIT', async () => {
    const { deployer, started } = await deployerOn(dataDir);
    const queueOnly = `name = "drain"\ncomponent = "component.wasm"\n\n[[queue]]\nqueue = "jobs"\n`;
    await assert.rejects(deployer.deploy(bundleWith(queueOnly, helloC)), (err: unknown) => err instanceof WasmletError && err.code === 'component_world_mismatch');
    assert.equal(started(), 0);
  });

  test('artifacts without a cached WIT (older hosts) print it once, then never again', async () => {
    const { deployer, artifacts, started } = await deployerOn(dataDir);
    const { componentHex } = (await deployer.deploy(bundleWith(manifestFor('four', '/four'), helloC))).active.current;
    await rm(join(artifacts.dirOf(componentHex), 'world.wit'));
    await deployer.deploy(bundleWith(manifestFor('five', '/five'), helloC));
    assert.equal(started(), 1);
    assert.ok((await stat(join(artifacts.dirOf(componentHex), 'world.wit'))).size > 0);
    assert.match((await artifacts.wit(componentHex)) ?? '', /http-handler/);
    await deployer.deploy(bundleWith(manifestFor('six', '/six'), helloC));
    assert.equal(started(), 1);
  });
});
