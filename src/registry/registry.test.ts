import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseManifest } from '../manifest/parse-manifest.js';
import { Registry } from './registry.js';

const digest = (c: string) => c.repeat(64);

function manifestSource(name: string): string {
  return `name = "${name}"\ncomponent = "c.wasm"\n\n[[http]]\nroute = "/${name}"\n`;
}

async function activate(registry: Registry, name: string, bundle: string) {
  const source = manifestSource(name);
  return registry.activate(parseManifest(source), source, digest(bundle), digest('c'));
}

async function withDataDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'wasmlet-registry-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('each function has its own file, written only when that function changes and deleted on remove', async () => {
  await withDataDir(async (dir) => {
    const registry = await Registry.open(join(dir, 'registry.json'));
    await activate(registry, 'alpha', 'a');
    await activate(registry, 'beta', 'b');
    const functionsDir = join(dir, 'functions');
    assert.deepEqual((await readdir(functionsDir)).sort(), ['alpha.json', 'beta.json']);
    const alphaWritten = (await stat(join(functionsDir, 'alpha.json'))).mtimeMs;
    const alphaText = await readFile(join(functionsDir, 'alpha.json'), 'utf8');

    await activate(registry, 'beta', 'd'); // a new version of beta leaves alpha's file alone
    assert.equal((await stat(join(functionsDir, 'alpha.json'))).mtimeMs, alphaWritten);
    assert.equal(await readFile(join(functionsDir, 'alpha.json'), 'utf8'), alphaText);

    await registry.remove('alpha');
    assert.deepEqual(await readdir(functionsDir), ['beta.json']);
    await assert.rejects(stat(join(dir, 'registry.json')), { code: 'ENOENT' });
  });
});

test('a reopened registry has the same active versions, history included', async () => {
  await withDataDir(async (dir) => {
    const registry = await Registry.open(join(dir, 'registry.json'));
    await activate(registry, 'alpha', 'a');
    await activate(registry, 'alpha', 'b');
    await activate(registry, 'alpha', 'd');
    await registry.rollback('alpha');
    await activate(registry, 'gone', 'e');
    await registry.remove('gone');

    await writeFile(join(dir, 'functions', 'alpha.json.0123456789ab.tmp'), '{ half a wri'); // an interrupted write
    const reopened = await Registry.open(join(dir, 'registry.json'));
    assert.deepEqual(reopened.list().map((f) => [f.name, f.current.version, f.current.bundleHex, f.previousVersion]), [['alpha', 2, digest('b'), 1]]);
    assert.equal(reopened.get('gone'), undefined);
  });
});

test('a legacy registry.json is migrated to per-function files and removed', async () => {
  await withDataDir(async (dir) => {
    const version = (n: number, bundle: string) => ({
      version: n,
      bundleHex: digest(bundle),
      componentHex: digest('c'),
      manifestSource: manifestSource(n === 1 ? 'old' : 'older'),
      deployedAt: '2024-01-01T00:00:00.000Z',
    });
    // Format 1 as the previous hosts wrote it, including a record without `handlers` (HTTP-only era).
    const legacy = {
      format: 1,
      functions: [
        { name: 'old', versions: [version(1, 'a')], history: [1] },
        { name: 'older', versions: [version(1, 'b'), version(2, 'd')], history: [1, 2] },
      ],
    };
    await writeFile(join(dir, 'registry.json'), JSON.stringify(legacy, null, 2));

    const registry = await Registry.open(join(dir, 'registry.json'));
    assert.deepEqual(registry.list().map((f) => [f.name, f.current.version, f.previousVersion]), [['old', 1, null], ['older', 2, 1]]);
    assert.deepEqual((await readdir(join(dir, 'functions'))).sort(), ['old.json', 'older.json']);
    await assert.rejects(stat(join(dir, 'registry.json')), { code: 'ENOENT' });

    // The migrated files are the registry from now on: changes persist, and a restart sees them.
    await registry.rollback('older');
    const reopened = await Registry.open(join(dir, 'registry.json'));
    assert.deepEqual(reopened.list().map((f) => [f.name, f.current.version, f.current.bundleHex]), [['old', 1, digest('a')], ['older', 1, digest('b')]]);
  });
});

test('a migration interrupted before the legacy file was removed finishes on the next open, keeping the newer files', async () => {
  await withDataDir(async (dir) => {
    const registry = await Registry.open(join(dir, 'registry.json'));
    await activate(registry, 'kept', 'a');
    await activate(registry, 'kept', 'b'); // newer than what the legacy file says
    const record = (v: number, bundle: string) => ({ version: v, bundleHex: digest(bundle), componentHex: digest('c'), manifestSource: manifestSource('kept'), deployedAt: '2024-01-01T00:00:00.000Z' });
    await writeFile(
      join(dir, 'registry.json'),
      JSON.stringify({ format: 1, functions: [{ name: 'kept', versions: [record(1, 'a')], history: [1] }, { name: 'added', versions: [{ ...record(1, 'd'), manifestSource: manifestSource('added') }], history: [1] }] }),
    );
    const reopened = await Registry.open(join(dir, 'registry.json'));
    assert.deepEqual(reopened.list().map((f) => [f.name, f.current.version]), [['added', 1], ['kept', 2]]);
    await assert.rejects(stat(join(dir, 'registry.json')), { code: 'ENOENT' });
  });
});
