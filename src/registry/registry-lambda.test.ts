// The registry's Lambda-API state: published versions, aliases and reserved concurrency survive a
// restart, outlive the rollback history, keep their content from collection, and go with the function.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseManifest } from '../manifest/parse-manifest.js';
import { FileRegistry as Registry } from './file-registry.js';
import { maxVersionsKept } from './registry.js';

const digest = (c: string) => c.repeat(64);
const source = (name: string, timeoutMs: number) => `name = "${name}"\ncomponent = "c.wasm"\n\n[limits]\ntimeout_ms = ${timeoutMs}\n`;
const activate = (registry: Registry, bundle: string, timeoutMs = 1000) => registry.activate(parseManifest(source('alpha', timeoutMs)), source('alpha', timeoutMs), digest(bundle), digest('c'));

test('published versions, aliases and reserved concurrency survive a restart and outlive the rollback history', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wasmlet-registry-lambda-'));
  try {
    const registry = await Registry.open(join(dir, 'registry.json'));
    await activate(registry, 'a', 1000);
    const first = await registry.publish('alpha', 'first');
    assert.deepEqual([first.version.version, first.created], [1, true]);
    assert.equal((await registry.publish('alpha', 'again')).created, false, 'the active version is already published');
    await activate(registry, 'b', 2000);
    await registry.publish('alpha', '');
    await registry.putAlias('alpha', { name: 'live', functionVersion: '1', description: '', additionalVersionWeights: { 2: 0.25 }, revisionId: 'r1' });
    await registry.setReservedConcurrency('alpha', 3);
    // Deploy past the rollback history: version 1 is no longer a rollback target, but stays published.
    for (let i = 0; i < maxVersionsKept + 1; i++) await activate(registry, String(i % 10), 3000 + i);
    assert.ok(registry.referencedDigests().digests.has(digest('a')), 'a published version keeps its bundle from collection');

    const reopened = await Registry.open(join(dir, 'registry.json'));
    assert.deepEqual(reopened.published('alpha').map((v) => [v.version, v.description]), [[1, 'first'], [2, '']]);
    assert.equal(reopened.publishedFunction('alpha', 1)?.manifest.limits.timeoutMs, 1000, 'version 1 runs its own manifest');
    assert.equal(reopened.publishedFunction('alpha', 1)?.manifest.limits.maxConcurrency, 3, 'reserved concurrency applies to every version');
    assert.equal(reopened.get('alpha')?.manifest.limits.maxConcurrency, 3);
    assert.deepEqual(reopened.aliases('alpha'), [{ name: 'live', functionVersion: '1', description: '', additionalVersionWeights: { 2: 0.25 }, revisionId: 'r1' }]);

    await reopened.setReservedConcurrency('alpha', undefined);
    assert.equal(reopened.get('alpha')?.manifest.limits.maxConcurrency, 64);
    await reopened.deleteAlias('alpha', 'live');
    assert.equal(await reopened.unpublish('alpha', 1), true);
    assert.ok(reopened.takeReleased().includes(digest('a')), 'an unpublished version\'s bundle may be collected');
    await reopened.remove('alpha');
    assert.deepEqual([reopened.published('alpha'), reopened.aliases('alpha')], [[], []]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
