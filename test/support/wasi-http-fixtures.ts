// The wasi:http fixtures (test/fixtures/wasi-http/README.md), built on demand: each once per
// content of its sources, recipes and toolchain versions, into a cache beside them
// (test/fixtures/wasi-http/build/<name>-<hash>/, gitignored). A test run that finds the folder
// reuses it; concurrent test processes wait for one build instead of racing.
//
//   const fx = await wasiHttpFixture('fx-http-js');   // ~20-110 s the first time, then instant
//   fx.dir            deployable folder: wasmlet.toml + fx-http-js.wasm (`wasmlet deploy fx.dir`)
//   fx.componentPath  the component alone
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

export type WasiHttpFixtureName = 'fx-http-js' | 'fx-http-py';

export interface WasiHttpFixture {
  readonly name: WasiHttpFixtureName;
  /** A function folder: wasmlet.toml and `<name>.wasm`, as `wasmlet deploy` takes it. */
  readonly dir: string;
  readonly manifestPath: string;
  readonly componentPath: string;
  /** The fixture's sources (handler and manifest) under test/fixtures/wasi-http/. */
  readonly sourceDir: string;
}

export const wasiHttpFixturesDir = join(repoRoot, 'test', 'fixtures', 'wasi-http');
const cacheDir = join(wasiHttpFixturesDir, 'build');

/** What each fixture is built from: its folder, and what its recipe reads. A change to any rebuilds it. */
const inputs: Readonly<Record<WasiHttpFixtureName, { readonly folder: string; readonly hashed: readonly string[] }>> = {
  'fx-http-js': {
    folder: 'js',
    hashed: ['toolchains/js', 'node_modules/@bytecodealliance/jco/package.json', 'node_modules/@bytecodealliance/componentize-js/package.json'],
  },
  'fx-http-py': {
    folder: 'python',
    // The generated WIT comes from jco's files, through toolchains/js/wasi-http-wit.mjs.
    hashed: ['toolchains/python', 'toolchains/js/wasi-http-wit.mjs', 'node_modules/@bytecodealliance/jco/package.json'],
  },
};

/** StarlingMonkey builds take ~100 s on a busy 2-core machine; a hung one must still end. */
const buildTimeoutMs = 15 * 60_000;
/** A lock older than a build's deadline was left by a killed process. */
const staleLockMs = buildTimeoutMs + 60_000;
const lockPollMs = 1_000;

const building = new Map<WasiHttpFixtureName, Promise<WasiHttpFixture>>();

/**
 * The built fixture `name`, building it first when its cache folder is missing.
 * @throws Error with the build's output when the recipe fails (a missing toolchain says so)
 */
export function wasiHttpFixture(name: WasiHttpFixtureName): Promise<WasiHttpFixture> {
  let pending = building.get(name);
  if (!pending) {
    pending = ensureBuilt(name);
    // A failure is not cached: the next caller tries again (and sees the same message).
    pending.catch(() => building.delete(name));
    building.set(name, pending);
  }
  return pending;
}

async function ensureBuilt(name: WasiHttpFixtureName): Promise<WasiHttpFixture> {
  const sourceDir = join(wasiHttpFixturesDir, inputs[name].folder);
  const dir = join(cacheDir, `${name}-${(await sourcesDigest(name)).slice(0, 16)}`);
  const fixture: WasiHttpFixture = { name, dir, manifestPath: join(dir, 'wasmlet.toml'), componentPath: join(dir, `${name}.wasm`), sourceDir };
  await mkdir(cacheDir, { recursive: true });
  for (;;) {
    if (await exists(fixture.componentPath)) return fixture;
    const lock = await takeLock(`${dir}.lock`);
    if (!lock) {
      await new Promise((resolve) => setTimeout(resolve, lockPollMs));
      continue;
    }
    try {
      if (await exists(fixture.componentPath)) return fixture;
      const scratch = `${dir}.tmp-${process.pid}`;
      await rm(scratch, { recursive: true, force: true });
      await runBuild(name, scratch);
      // build.sh wrote <scratch>/<name>/; the rename makes the cache entry appear whole or not at all.
      await rm(dir, { recursive: true, force: true });
      await rename(join(scratch, name), dir);
      await rm(scratch, { recursive: true, force: true });
      return fixture;
    } finally {
      await rm(`${dir}.lock`, { force: true });
    }
  }
}

/** sha256 over every input file (path and bytes, in sorted order). */
async function sourcesDigest(name: WasiHttpFixtureName): Promise<string> {
  const { folder, hashed } = inputs[name];
  const roots = [join('test', 'fixtures', 'wasi-http', folder), join('test', 'fixtures', 'wasi-http', 'build.sh'), ...hashed];
  const files = (await Promise.all(roots.map((path) => filesUnder(path)))).flat().sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(await readFile(join(repoRoot, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** `path` (relative to the repository) if a file, else every file below it but caches and build outputs. */
async function filesUnder(path: string): Promise<string[]> {
  const info = await stat(join(repoRoot, path)).catch(() => undefined);
  if (!info) return [];
  if (info.isFile()) return [path];
  const entries = await readdir(join(repoRoot, path), { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .filter((entry) => !['__pycache__', 'build', 'node_modules'].includes(entry.name) && !/\.(wasm|zip)$/.test(entry.name))
      .map((entry) => (entry.isDirectory() ? filesUnder(join(path, entry.name)) : Promise.resolve(entry.isFile() ? [join(path, entry.name)] : []))),
  );
  return nested.flat();
}

/** true when this process now holds the lock; a stale one (its builder died) is taken over. */
async function takeLock(path: string): Promise<boolean> {
  try {
    await (await open(path, 'wx')).close();
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const info = await stat(path).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > staleLockMs) await rm(path, { force: true });
    return false;
  }
}

function runBuild(name: WasiHttpFixtureName, outDir: string): Promise<void> {
  const script = join(wasiHttpFixturesDir, 'build.sh');
  return new Promise((resolve, reject) => {
    execFile('bash', [script, '--only', name, outDir], { cwd: repoRoot, timeout: buildTimeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`building wasi:http fixture ${name} failed (${script} --only ${name}):\n${stderr}${stdout}`, { cause: err }));
      else resolve();
    });
  });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
}
