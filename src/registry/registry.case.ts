// The Registry conformance suite: every backend runs these same tests (file-registry.test.ts for the
// data directory, test/integration/nats-registry.test.ts for JetStream). A shared backend also
// gives a peer (a second host's registry on the same state) and runs the tests between two hosts.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { WasmletError } from '../errors/wasmlet-error.js';
import { parseManifest } from '../manifest/parse-manifest.js';
import { maxVersionsKept, type Registry, type RegistryChange } from './registry.js';

export interface RegistryUnderTest {
  /** A registry over empty state. */
  readonly registry: Registry;
  /** Closes `registry` and opens the same state again (a host restart). */
  reopen(): Promise<Registry>;
  /** Shared backends only: another host's registry on the same state. */
  readonly peer?: () => Promise<Registry>;
  /** Closes whatever the factory opened. */
  close(): Promise<void>;
}

const digest = (c: string) => c.repeat(64);
const failsWith = (code: string) => (err: unknown) => err instanceof WasmletError && err.code === code;

function manifestSource(name: string, route = `/${name}`): string {
  return `name = "${name}"\ncomponent = "c.wasm"\n\n[[http]]\nroute = "${route}"\n`;
}

function activate(registry: Registry, name: string, bundle: string, component = 'c') {
  const source = manifestSource(name);
  return registry.activate(parseManifest(source), source, digest(bundle), digest(component));
}

/** Polls `check` until it holds: a peer sees a change when it arrives, not at a set time. Bounded generously (30 s). */
async function eventually(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 3_000; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`never happened: ${what}`);
}

/** `shared`: the backend is shared by hosts, and `peer` is given; the tests between two hosts run too. */
export function runRegistryConformance(label: string, factory: () => Promise<RegistryUnderTest>, options: { readonly shared?: boolean } = {}): void {
  describe(`Registry conformance: ${label}`, () => {
    let under: RegistryUnderTest;
    let registry: Registry;
    beforeEach(async () => {
      under = await factory();
      registry = under.registry;
    });
    afterEach(async () => {
      await under.close();
    });

    test('activate makes a version active; the same bytes are a no-op; a new bundle is the next version', async () => {
      assert.equal(registry.get('alpha'), undefined);
      const first = await activate(registry, 'alpha', 'a');
      assert.equal(first.unchanged, false);
      assert.equal(first.active.current.version, 1);
      assert.equal(first.active.previousVersion, null);
      assert.equal(first.active.manifest.http[0]!.route, '/alpha');
      assert.equal((await activate(registry, 'alpha', 'a')).unchanged, true);
      const second = await activate(registry, 'alpha', 'b');
      assert.deepEqual([second.active.current.version, second.active.previousVersion, second.active.current.bundleHex], [2, 1, digest('b')]);
      assert.equal(registry.get('alpha')?.current.version, 2);
      await activate(registry, 'beta', 'd');
      assert.deepEqual(registry.list().map((f) => f.name), ['alpha', 'beta']);
    });

    test('rollback returns to the previous version, and refuses when there is none', async () => {
      await activate(registry, 'alpha', 'a');
      await assert.rejects(registry.rollback('alpha'), failsWith('no_previous_version'));
      await assert.rejects(registry.rollback('nobody'), failsWith('function_not_found'));
      await activate(registry, 'alpha', 'b');
      await activate(registry, 'alpha', 'd');
      assert.equal(registry.previousOf('alpha')?.bundleHex, digest('b'));
      assert.equal((await registry.rollback('alpha')).current.bundleHex, digest('b'));
      assert.equal((await registry.rollback('alpha')).current.bundleHex, digest('a'));
      assert.equal(registry.get('alpha')?.current.version, 1);
      // Deploying again after a rollback makes a new version; the old numbers are not reused.
      assert.equal((await activate(registry, 'alpha', 'e')).active.current.version, 4);
    });

    test('remove forgets the function; removing it again is function_not_found; a new deploy starts at version 1', async () => {
      await activate(registry, 'alpha', 'a');
      await activate(registry, 'alpha', 'b');
      assert.equal((await registry.remove('alpha')).name, 'alpha');
      assert.equal(registry.get('alpha'), undefined);
      assert.deepEqual(registry.list(), []);
      await assert.rejects(registry.remove('alpha'), failsWith('function_not_found'));
      assert.equal((await activate(registry, 'alpha', 'd')).active.current.version, 1);
    });

    test(`at most ${maxVersionsKept} versions are kept; what ages out or is removed is released, and no longer referenced`, async () => {
      for (const b of '0123456789ab') await activate(registry, 'alpha', b);
      registry.takeReleased();
      await activate(registry, 'alpha', 'e');
      const released = registry.takeReleased();
      assert.ok(released.includes(digest('2')), 'the version that aged out is released');
      assert.deepEqual(registry.takeReleased(), []);
      const { digests, complete } = registry.referencedDigests();
      assert.equal(complete, true);
      assert.equal(digests.has(digest('2')), false);
      for (const kept of ['3', 'b', 'e', 'c']) assert.ok(digests.has(digest(kept)), kept);
      await registry.remove('alpha');
      assert.ok(registry.takeReleased().includes(digest('e')));
      assert.equal(registry.referencedDigests().digests.size, 0);
    });

    test('published versions, aliases and reserved concurrency', async () => {
      await activate(registry, 'alpha', 'a');
      const published = await registry.publish('alpha', 'first');
      assert.deepEqual([published.created, published.version.version, published.version.description], [true, 1, 'first']);
      assert.equal((await registry.publish('alpha', 'again')).created, false);
      await activate(registry, 'alpha', 'b');
      assert.equal(registry.publishedFunction('alpha', 1)?.current.bundleHex, digest('a'));
      assert.equal(registry.publishedFunction('alpha', 2), undefined);
      await registry.putAlias('alpha', { name: 'live', functionVersion: '1', description: '', additionalVersionWeights: {}, revisionId: 'r1' });
      assert.deepEqual(registry.aliases('alpha').map((a) => a.name), ['live']);
      assert.equal(await registry.deleteAlias('alpha', 'live'), true);
      assert.equal(await registry.deleteAlias('alpha', 'live'), false);
      await registry.setReservedConcurrency('alpha', 3);
      assert.equal(registry.reservedConcurrency('alpha'), 3);
      assert.equal(registry.get('alpha')?.manifest.limits.maxConcurrency, 3);
      assert.equal(registry.publishedFunction('alpha', 1)?.manifest.limits.maxConcurrency, 3);
      await registry.setReservedConcurrency('alpha', undefined);
      assert.equal(registry.reservedConcurrency('alpha'), undefined);
      assert.ok(registry.referencedDigests().digests.has(digest('a')));
      assert.equal(await registry.unpublish('alpha', 1), true);
      assert.equal(await registry.unpublish('alpha', 1), false);
      assert.deepEqual(registry.published('alpha'), []);
    });

    test('every change is told once, after it shows; a no-op or a refused change is not told', async () => {
      const changes: RegistryChange[] = [];
      const seen: (number | undefined)[] = [];
      const stop = registry.onChange((change) => {
        changes.push(change);
        seen.push(registry.get(change.name)?.current.version);
      });
      await activate(registry, 'alpha', 'a');
      await activate(registry, 'alpha', 'a');
      await activate(registry, 'alpha', 'b');
      await assert.rejects(registry.rollback('nobody'));
      await registry.rollback('alpha');
      await registry.remove('alpha');
      stop();
      await activate(registry, 'alpha', 'd');
      assert.deepEqual(changes, ['alpha', 'alpha', 'alpha', 'alpha'].map((name) => ({ name, origin: 'here' })));
      assert.deepEqual(seen, [1, 2, 1, undefined]);
    });

    test('a reopened registry has the same functions, versions and history', async () => {
      await activate(registry, 'alpha', 'a');
      await activate(registry, 'alpha', 'b');
      await activate(registry, 'gone', 'd');
      await registry.remove('gone');
      await registry.publish('alpha', '');
      const reopened = await under.reopen();
      assert.deepEqual(reopened.list().map((f) => [f.name, f.current.version, f.previousVersion]), [['alpha', 2, 1]]);
      assert.equal(reopened.published('alpha').length, 1);
      assert.equal((await reopened.rollback('alpha')).current.bundleHex, digest('a'));
      assert.equal((await activate(reopened, 'alpha', 'e')).active.current.version, 3);
    });

    if (!options.shared) return;

    test('between two hosts: each sees the other’s deploy, rollback and delete, told as elsewhere', async () => {
      const peer = await under.peer!();
      try {
        const told: RegistryChange[] = [];
        peer.onChange((change) => told.push(change));
        await activate(registry, 'alpha', 'a');
        await eventually('the peer serves version 1', () => peer.get('alpha')?.current.version === 1);
        assert.deepEqual(told.at(-1), { name: 'alpha', origin: 'elsewhere' });
        await activate(registry, 'alpha', 'b');
        await eventually('the peer serves version 2', () => peer.get('alpha')?.current.version === 2);
        await peer.rollback('alpha');
        await eventually('the first host serves version 1 again', () => registry.get('alpha')?.current.version === 1);
        assert.equal(registry.get('alpha')?.previousVersion, null);
        await registry.remove('alpha');
        await eventually('the peer forgot it', () => peer.get('alpha') === undefined);
        assert.deepEqual(peer.list(), []);
        assert.deepEqual(told.at(-1), { name: 'alpha', origin: 'elsewhere' });
      } finally {
        await peer.close();
      }
    });

    test('between two hosts: deploys at once on both each become a version, none lost', async () => {
      const peer = await under.peer!();
      try {
        const bundles = ['a', 'b', 'd', 'e', 'f', '1'];
        await Promise.all(bundles.map((b, i) => activate(i % 2 === 0 ? registry : peer, 'alpha', b)));
        const versions = (r: Registry) => [...r.referencedDigests().digests].filter((d) => d !== digest('c')).sort();
        const expected = bundles.map(digest).sort();
        await eventually('both hosts see every version', () => JSON.stringify(versions(registry)) === JSON.stringify(expected) && JSON.stringify(versions(peer)) === JSON.stringify(expected));
        assert.equal(registry.get('alpha')?.current.version, 6);
        await eventually('the peer agrees on the active version', () => peer.get('alpha')?.current.version === 6);
      } finally {
        await peer.close();
      }
    });
  });
}
