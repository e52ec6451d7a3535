// Content garbage collection against a real host: bytes on disk counted before and after deletes,
// versions aging out, failed and killed deploys, and deploys running while a collection is asked for.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { lstat, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { zipSync } from 'fflate';
import { sha256Hex } from '../../src/store/digest.js';
import { manifestFor } from '../support/bundles.js';
import { examplesDir } from '../support/paths.js';
import { startTestHost, type TestHost } from '../support/test-host.js';

const helloC = readFileSync(join(examplesDir, 'hello-c', 'hello-c.wasm'));
const mib = 1024 * 1024;

interface GcReport {
  dryRun: boolean;
  reclaimedBytes: number;
  removed: { blobs: number; artifacts: number; temporary: number };
  kept: { blobs: number; artifacts: number };
  items: { kind: string; path: string; bytes: number }[];
}

/** hello-c with a custom section of `bytes` random bytes: a distinct component of about that size (custom sections may follow any section). */
function bigComponent(bytes: number): Uint8Array {
  const name = new TextEncoder().encode('padding');
  const payload = randomBytes(bytes);
  const content = Buffer.concat([leb128(name.length), name, payload]);
  return Buffer.concat([helloC, Buffer.from([0]), leb128(content.length), content]);
}

function leb128(value: number): Buffer {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return Buffer.from(out);
}

function bundleOf(manifest: string, component: Uint8Array): Uint8Array {
  // Stored, not deflated: the random padding would not shrink anyway.
  return zipSync({ 'wasmlet.toml': new TextEncoder().encode(manifest), 'component.wasm': component }, { level: 0 });
}

/** Bytes under a directory (what the collector frees is what this counts). */
async function bytesUnder(path: string): Promise<number> {
  const stats = await lstat(path).catch(() => undefined);
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.size;
  let total = 0;
  for (const name of await readdir(path)) total += await bytesUnder(join(path, name));
  return total;
}

async function contentBytes(host: TestHost): Promise<number> {
  return (await bytesUnder(join(host.dataDir, 'blobs'))) + (await bytesUnder(join(host.dataDir, 'artifacts')));
}

async function entries(host: TestHost, dir: string): Promise<string[]> {
  return (await readdir(join(host.dataDir, dir)).catch(() => [] as string[])).sort();
}

async function gc(host: TestHost, dryRun: boolean): Promise<GcReport> {
  const response = await host.admin(`/v1/gc${dryRun ? '?dryRun=1' : ''}`, { method: 'POST' });
  assert.equal(response.status, 200, await response.clone().text());
  return ((await response.json()) as { gc: GcReport }).gc;
}

async function deployOk(host: TestHost, zip: Uint8Array, what = 'the bundle'): Promise<void> {
  const response = await host.deploy(zip);
  assert.equal(response.status, 201, `${what}: ${await response.text()}`);
}

describe('content garbage collection', () => {
  test('deleting 40 functions of 1 MiB components reclaims their bundles, components and artifacts', async () => {
    const host = await startTestHost();
    try {
      const empty = await contentBytes(host);
      for (let i = 0; i < 40; i++) await deployOk(host, bundleOf(manifestFor(`big-${i}`, `/big/${i}`), bigComponent(mib)), `big-${i}`);
      const deployed = await contentBytes(host);
      assert.ok(deployed - empty >= 80 * mib, `40 deploys stored ${deployed - empty} bytes`); // a component and a bundle each
      assert.equal((await entries(host, 'blobs/sha256')).length, 80);

      // A dry run while all are deployed finds nothing: every blob is some kept version's.
      const nothing = await gc(host, true);
      assert.equal(nothing.reclaimedBytes, 0);
      assert.deepEqual(nothing.kept, { blobs: 80, artifacts: 40 });

      for (let i = 0; i < 40; i++) assert.equal((await host.admin(`/v1/functions/big-${i}`, { method: 'DELETE' })).status, 200);
      // The host collected after the deletes by itself; a dry run queued behind that pass finds nothing left.
      const after = await gc(host, true);
      assert.equal(after.reclaimedBytes, 0);
      assert.deepEqual(after.kept, { blobs: 0, artifacts: 0 });
      assert.deepEqual(await entries(host, 'blobs/sha256'), []);
      assert.deepEqual(await entries(host, 'artifacts'), []);
      const reclaimed = deployed - (await contentBytes(host));
      assert.ok(reclaimed >= 80 * mib, `reclaimed ${reclaimed} bytes`);
    } finally {
      await host.close();
    }
  });

  test('versions that age out of the last ten are collected; the ten kept (rollback targets) stay', async () => {
    const host = await startTestHost();
    try {
      const components = Array.from({ length: 12 }, () => bigComponent(64 * 1024));
      for (const [i, component] of components.entries()) await deployOk(host, bundleOf(manifestFor('aging', '/aging'), component), `version ${i + 1}`);
      const report = await gc(host, true); // behind the automatic passes
      assert.equal(report.reclaimedBytes, 0);
      assert.deepEqual(report.kept, { blobs: 20, artifacts: 10 });
      const blobs = new Set(await entries(host, 'blobs/sha256'));
      for (const [i, component] of components.entries()) assert.equal(blobs.has(sha256Hex(component)), i >= 2, `version ${i + 1}'s component`);
      // The oldest kept version still rolls back and serves: nothing it needs was taken.
      for (let i = 0; i < 9; i++) assert.equal((await host.admin('/v1/functions/aging/rollback', { method: 'POST' })).status, 200);
      assert.equal(((await (await host.admin('/v1/functions/aging')).json()) as { function: { version: number } }).function.version, 3);
      assert.equal(await (await host.get('/aging?name=gc')).text(), 'Hello, gc, from C!\n');
    } finally {
      await host.close();
    }
  });

  test('a failed deploy leaves nothing behind once collected', async () => {
    const host = await startTestHost();
    try {
      await deployOk(host, bundleOf(manifestFor('keeper', '/keeper'), helloC));
      await host.host.foldsSettled(); // the keeper's fold, written after its deploy, is part of what stays
      const before = await contentBytes(host);
      const blobsBefore = await entries(host, 'blobs/sha256');
      const artifactsBefore = await entries(host, 'artifacts');
      for (let i = 0; i < 10; i++) {
        // Valid, stored and transpiled, then refused when compiled: hello-rust's 1 MiB stack does not fit memory_mb = 1.
        const component = Buffer.concat([readFileSync(join(examplesDir, 'hello-rust', 'hello-rust.wasm')), Buffer.from([0]), ...customSection(`pad-${i}`, randomBytes(mib))]);
        const response = await host.deploy(bundleOf(manifestFor(`failing-${i}`, `/failing/${i}`, '\n[limits]\nmemory_mb = 1\n'), component));
        assert.equal(response.status, 400);
        assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'component_limit_exceeded');
      }
      const report = await gc(host, true); // queued behind the passes each failure asked for
      assert.equal(report.reclaimedBytes, 0);
      assert.deepEqual(await entries(host, 'blobs/sha256'), blobsBefore);
      assert.deepEqual(await entries(host, 'artifacts'), artifactsBefore);
      assert.equal(await contentBytes(host), before);
      assert.equal(await (await host.get('/keeper?name=gc')).text(), 'Hello, gc, from C!\n');
    } finally {
      await host.close();
    }
  });

  test("what a killed deploy or an older host left is collected at start; a dry run only reports it", async () => {
    const first = await startTestHost();
    await deployOk(first, bundleOf(manifestFor('keeper', '/keeper'), helloC));
    await first.close(false);
    // As a SIGKILL mid-deploy leaves them: a stored component no version names, its artifacts,
    // a half-written blob, a staging directory; and artifacts of another generator version.
    const orphan = bigComponent(mib);
    const orphanHex = sha256Hex(orphan);
    const [keeperArtifacts] = await readdir(join(first.dataDir, 'artifacts'));
    const generation = keeperArtifacts!.slice(64); // "-jco<v>-abi<v>"
    await writeFile(join(first.dataDir, 'blobs', 'sha256', orphanHex), orphan);
    await writeFile(join(first.dataDir, 'blobs', 'sha256', `${orphanHex}.0123456789ab.tmp`), orphan.subarray(0, 4096));
    for (const dir of [`${orphanHex}${generation}`, `${orphanHex}${generation}.ba9876543210.tmp`, `${keeperArtifacts!.slice(0, 64)}-jco0.0.1-abi0`]) {
      await mkdir(join(first.dataDir, 'artifacts', dir));
      await writeFile(join(first.dataDir, 'artifacts', dir, 'fn.core.wasm'), randomBytes(128 * 1024));
    }

    const second = await startTestHost({}, first.dataDir);
    try {
      const report = await gc(second, true); // behind the pass made at start
      assert.equal(report.reclaimedBytes, 0);
      assert.deepEqual(await entries(second, 'artifacts'), [keeperArtifacts]);
      assert.equal((await entries(second, 'blobs/sha256')).length, 2); // keeper's component and bundle
      assert.equal(await (await second.get('/keeper?name=again')).text(), 'Hello, again, from C!\n');
    } finally {
      await second.close();
    }
  });

  test('a dry run reports what would go, removes nothing; the collection then reclaims exactly that', async () => {
    const host = await startTestHost();
    try {
      await deployOk(host, bundleOf(manifestFor('keeper', '/keeper'), helloC));
      const orphan = bigComponent(mib);
      await writeFile(join(host.dataDir, 'blobs', 'sha256', sha256Hex(orphan)), orphan);
      const dry = await gc(host, true);
      assert.equal(dry.dryRun, true);
      assert.deepEqual(dry.removed, { blobs: 1, artifacts: 0, temporary: 0 });
      assert.equal(dry.reclaimedBytes, orphan.length);
      assert.deepEqual(dry.items, [{ kind: 'blob', path: join('blobs', 'sha256', sha256Hex(orphan)), bytes: orphan.length }]);
      assert.ok(existsSync(join(host.dataDir, 'blobs', 'sha256', sha256Hex(orphan))));
      const done = await gc(host, false);
      assert.equal(done.dryRun, false);
      assert.equal(done.reclaimedBytes, orphan.length);
      assert.equal(existsSync(join(host.dataDir, 'blobs', 'sha256', sha256Hex(orphan))), false);
      assert.equal((await host.admin('/v1/gc?dryRun=maybe', { method: 'POST' })).status, 400);
    } finally {
      await host.close();
    }
  });

  test("a deploy in progress keeps its blobs and artifacts: collections wait for it", async () => {
    const host = await startTestHost();
    try {
      for (let round = 0; round < 5; round++) {
        const component = bigComponent(mib);
        const componentHex = sha256Hex(component);
        const deploying = host.deploy(bundleOf(manifestFor(`racer-${round}`, `/racer/${round}`), component));
        // Once the component is stored, the deploy is between its first write and its activation:
        // a collection that did not wait for it would see an unreferenced blob here.
        const blob = join(host.dataDir, 'blobs', 'sha256', componentHex);
        while (!existsSync(blob)) await new Promise((resolve) => setImmediate(resolve));
        const collected = await Promise.all([gc(host, false), gc(host, false)]);
        assert.equal((await deploying).status, 201);
        for (const report of collected) assert.ok(!report.items.some((item) => item.path.includes(componentHex)), JSON.stringify(report.items));
        assert.ok(existsSync(blob));
        assert.ok((await entries(host, 'artifacts')).some((name) => name.startsWith(componentHex)));
        assert.equal(await (await host.get(`/racer/${round}?name=r${round}`)).text(), `Hello, r${round}, from C!\n`);
      }
    } finally {
      await host.close();
    }
  });
});

function customSection(name: string, payload: Uint8Array): Buffer[] {
  const nameBytes = new TextEncoder().encode(name);
  const content = Buffer.concat([leb128(nameBytes.length), nameBytes, payload]);
  return [leb128(content.length), content];
}
