import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ArtifactStore } from '../compile/artifact-store.js';
import type { ReferencedDigests } from '../registry/registry.js';
import { FileContentStore as ContentStore } from '../store/file-content-store.js';
import { ContentCollector } from './content-collector.js';

const hex = (c: string) => c.repeat(64);

async function withStores(run: (dir: string, store: ContentStore, artifacts: ArtifactStore) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'wasmlet-gc-'));
  try {
    await run(dir, new ContentStore(join(dir, 'blobs')), new ArtifactStore(join(dir, 'artifacts')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function collectorOf(dir: string, store: ContentStore, artifacts: ArtifactStore, references: () => ReferencedDigests, log: string[] = []) {
  let chain: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = chain.catch(() => undefined).then(work);
    chain = run;
    return run;
  };
  return new ContentCollector({ dataDir: dir, references, candidates: () => store.takeWritten(), stores: [store, artifacts], exclusive, log: (line) => log.push(line) });
}

test('what no reference names goes, temporary files and outdated artifacts too; other names are left alone', async () => {
  await withStores(async (dir, store, artifacts) => {
    const kept = await store.put(new TextEncoder().encode('kept'));
    const dropped = await store.put(new TextEncoder().encode('dropped'));
    await writeFile(join(dir, 'blobs', 'sha256', `${dropped}.0123456789ab.tmp`), 'half');
    await writeFile(join(dir, 'blobs', 'sha256', 'README'), 'not ours');
    await mkdir(join(artifacts.dirOf(kept)), { recursive: true });
    await mkdir(join(dir, 'artifacts', `${kept}-jco0.0.0-abi0`));
    const collector = collectorOf(dir, store, artifacts, () => ({ digests: new Set([kept]), complete: true }));
    const report = await collector.collect({ dryRun: false });
    assert.deepEqual(report.removed, { blobs: 1, artifacts: 1, temporary: 1 });
    assert.deepEqual(report.kept, { blobs: 1, artifacts: 1 });
    assert.ok(await store.has(kept));
    assert.equal(await store.has(dropped), false);
    assert.ok(existsSync(artifacts.dirOf(kept)));
    assert.ok(existsSync(join(dir, 'blobs', 'sha256', 'README')));
  });
});

test('with references unknown (an unreadable quarantined file) nothing is removed and the report says why', async () => {
  await withStores(async (dir, store, artifacts) => {
    const orphan = await store.put(new TextEncoder().encode('orphan'));
    const log: string[] = [];
    const collector = collectorOf(dir, store, artifacts, () => ({ digests: new Set(), complete: false }), log);
    const report = await collector.collect({ dryRun: false });
    assert.equal(report.dryRun, true);
    assert.match(report.refused!, /quarantined function file cannot be read/);
    assert.equal(report.removed.blobs, 1);
    assert.ok(await store.has(orphan));
    collector.schedule();
    await collector.close();
    assert.match(log[0]!, /garbage collection skipped/);
  });
});

test('automatic passes asked for while one is queued are one pass', async () => {
  await withStores(async (dir, store, artifacts) => {
    let passes = 0;
    const collector = collectorOf(dir, store, artifacts, () => {
      passes += 1;
      return { digests: new Set([hex('a')]), complete: true };
    });
    for (let i = 0; i < 10; i++) collector.schedule();
    await collector.close();
    assert.equal(passes, 1);
    collector.schedule();
    await collector.close();
    assert.equal(passes, 2);
  });
});

test('the pass after a change looks only at what was written or released since, and removes what is unreferenced of it', async () => {
  await withStores(async (dir, store, artifacts) => {
    const untouched = await store.put(new TextEncoder().encode('an orphan from before'));
    store.takeWritten(); // as if a full pass had seen it already
    const fresh = await store.put(new TextEncoder().encode('a failed deploy wrote this'));
    await mkdir(artifacts.dirOf(fresh), { recursive: true });
    const referenced = await store.put(new TextEncoder().encode('a deploy that succeeded wrote this'));
    const collector = collectorOf(dir, store, artifacts, () => ({ digests: new Set([referenced]), complete: true }));
    collector.schedule('changed');
    await collector.close();
    assert.equal(await store.has(fresh), false);
    assert.equal(existsSync(artifacts.dirOf(fresh)), false);
    assert.ok(await store.has(referenced));
    assert.ok(await store.has(untouched)); // not a candidate: left for a full pass
    collector.schedule('all');
    await collector.close();
    assert.equal(await store.has(untouched), false);
  });
});
