import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseManifest } from '../manifest/parse-manifest.js';
import { FileRegistry as Registry } from './file-registry.js';
import { runRegistryConformance } from './registry.case.js';

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

test('a damaged function file quarantines that function alone, with the reason; its digests stay referenced', async () => {
  await withDataDir(async (dir) => {
    const registry = await Registry.open(join(dir, 'registry.json'));
    await activate(registry, 'alpha', 'a');
    await activate(registry, 'beta', 'b');
    await activate(registry, 'gamma', 'd');
    await activate(registry, 'delta', 'e');
    const functionsDir = join(dir, 'functions');
    const betaText = await readFile(join(functionsDir, 'beta.json'), 'utf8');
    await writeFile(join(functionsDir, 'beta.json'), betaText.slice(0, betaText.length / 2)); // torn
    await writeFile(join(functionsDir, 'gamma.json'), JSON.stringify({ format: 2, function: { name: 'gamma', versions: [], history: [1] } }));
    const deltaRecord = JSON.parse(await readFile(join(functionsDir, 'delta.json'), 'utf8')) as { function: { versions: { manifestSource: string }[] } };
    deltaRecord.function.versions[0]!.manifestSource = 'name = "delta"\ncomponent = "c.wasm"\nunknown_key = 1\n';
    await writeFile(join(functionsDir, 'delta.json'), JSON.stringify(deltaRecord));
    await writeFile(join(functionsDir, 'Not A Name.json'), '{}');

    const reopened = await Registry.open(join(dir, 'registry.json'));
    assert.deepEqual(reopened.list().map((f) => f.name), ['alpha']);
    const quarantined = reopened.quarantined();
    assert.deepEqual(quarantined.map((q) => q.name), ['Not A Name', 'beta', 'delta', 'gamma']);
    assert.match(quarantined[1]!.reason, /^not valid JSON/);
    assert.equal(quarantined[1]!.file, join(functionsDir, 'beta.json'));
    assert.match(quarantined[2]!.reason, /manifest does not parse: .*unknown_key/);
    assert.match(quarantined[3]!.reason, /versions: no versions/);
    assert.match(quarantined[0]!.reason, /not a function name/);
    // The torn file still names beta's bundle; delta's record names its own.
    const { digests, complete } = reopened.referencedDigests();
    assert.equal(complete, true);
    for (const kept of [digest('a'), digest('b'), digest('e'), digest('c')]) assert.ok(digests.has(kept), kept);

    // Deploying or rolling back a quarantined name is refused; deleting it removes the damaged file.
    await assert.rejects(activate(reopened, 'beta', 'f'), { code: 'function_quarantined' });
    await assert.rejects(reopened.rollback('beta'), { code: 'function_quarantined' });
    await reopened.remove('beta');
    await assert.rejects(stat(join(functionsDir, 'beta.json')), { code: 'ENOENT' });
    assert.equal((await activate(reopened, 'beta', 'f')).active.current.version, 1);
    // The others' files are untouched by all this.
    assert.match(await readFile(join(functionsDir, 'gamma.json'), 'utf8'), /"versions":\[\]/);
  });
});

test('a function file that cannot be read at all leaves the references incomplete', async () => {
  await withDataDir(async (dir) => {
    const registry = await Registry.open(join(dir, 'registry.json'));
    await activate(registry, 'alpha', 'a');
    await mkdir(join(dir, 'functions', 'odd.json')); // readFile fails with EISDIR
    const reopened = await Registry.open(join(dir, 'registry.json'));
    assert.deepEqual(reopened.list().map((f) => f.name), ['alpha']);
    assert.match(reopened.quarantined()[0]!.reason, /cannot be read/);
    assert.equal(reopened.referencedDigests().complete, false);
  });
});

test('versions that age out and deleted functions are released to garbage collection, once', async () => {
  await withDataDir(async (dir) => {
    const registry = await Registry.open(join(dir, 'registry.json'));
    const bundles = '0123456789ab'.split('');
    for (const b of bundles) await activate(registry, 'alpha', b); // 12 versions: the first two age out
    assert.deepEqual(registry.takeReleased().sort(), [digest('0'), digest('1'), digest('c')].sort());
    assert.deepEqual(registry.takeReleased(), []);
    const { digests } = registry.referencedDigests();
    assert.equal(digests.has(digest('0')), false);
    assert.ok(digests.has(digest('2')) && digests.has(digest('c')));
    await registry.remove('alpha');
    assert.equal(registry.takeReleased().length, 11); // ten bundles and the shared component
    assert.equal(registry.referencedDigests().digests.size, 0);
  });
});

runRegistryConformance('FileRegistry', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wasmlet-registry-'));
  let current = await Registry.open(join(dir, 'registry.json'));
  return {
    registry: current,
    reopen: async () => {
      await current.close();
      current = await Registry.open(join(dir, 'registry.json'));
      return current;
    },
    close: async () => {
      await current.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
