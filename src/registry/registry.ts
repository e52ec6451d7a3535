// Which version of each function is active. Persisted as one small JSON file per function, replaced
// atomically when that function changes (so a deploy's cost does not grow with the number of
// functions), and a restarted host comes back with exactly the functions that were active.
import { readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { HandlerKind } from '../component/validate-component.js';
import type { Manifest } from '../manifest/manifest.js';
import { parseManifest } from '../manifest/parse-manifest.js';
import { WasmletError } from '../errors/wasmlet-error.js';
import { functionNamePattern } from '../manifest/manifest-bounds.js';
import { writeFileAtomic } from '../store/atomic-write.js';

export interface FunctionVersion {
  readonly version: number;
  readonly bundleHex: string;
  readonly componentHex: string;
  /** The handlers the component exports; absent in records written before queues existed (HTTP only then). */
  readonly handlers?: readonly HandlerKind[];
  readonly manifestSource: string;
  readonly deployedAt: string;
}

interface FunctionRecord {
  readonly name: string;
  versions: FunctionVersion[];
  /** Versions in activation order; the last one is active. Rollback pops it. */
  history: number[];
}

/** `<dir>/functions/<name>.json`: one function's versions and history. */
interface FunctionFile {
  readonly format: 2;
  readonly function: FunctionRecord;
}

/** The registry before per-function files: every function in one file, rewritten whole on each change. */
interface LegacyRegistryFile {
  readonly format: 1;
  readonly functions: FunctionRecord[];
}

export interface ActiveFunction {
  readonly name: string;
  readonly current: FunctionVersion;
  readonly manifest: Manifest;
  readonly previousVersion: number | null;
}

/** Versions kept per function for rollback; older ones are forgotten (their blobs stay in the store). */
export const maxVersionsKept = 10;

/** Files read (or, migrating, written) at once when opening: enough to keep the disk busy, few enough to stay under the fd limit with 10 000 functions. */
const openReadConcurrency = 64;
const functionsDirName = 'functions';
const functionFileSuffix = '.json';

export class Registry {
  readonly #functionsDir: string;
  readonly #records = new Map<string, FunctionRecord>();
  readonly #active = new Map<string, ActiveFunction>();
  /** `list()`'s answer until the next change: every deploy and trigger sync asks for it. */
  #listed: ActiveFunction[] | undefined;
  #writes: Promise<void> = Promise.resolve();

  private constructor(functionsDir: string) {
    this.#functionsDir = functionsDir;
  }

  /**
   * Opens the registry whose legacy single file is `path` (`<data-dir>/registry.json`); the records
   * live in `functions/` beside it. A legacy file found there is migrated: its functions are written
   * as per-function files (those already present win: they are newer), then it is removed.
   * @example const registry = await Registry.open(join(dataDir, 'registry.json'));
   */
  static async open(path: string): Promise<Registry> {
    const registry = new Registry(join(dirname(path), functionsDirName));
    for (const record of await registry.#readFunctionFiles()) registry.#records.set(record.name, record);
    const legacy = await readJson<LegacyRegistryFile>(path);
    if (legacy) {
      const missing = legacy.functions.filter((record) => !registry.#records.has(record.name));
      for (let i = 0; i < missing.length; i += openReadConcurrency) {
        await Promise.all(missing.slice(i, i + openReadConcurrency).map((record) => writeFileAtomic(registry.#fileOf(record.name), serialize(record))));
      }
      for (const record of missing) registry.#records.set(record.name, record);
      // Only once every function has its own file: a crash before this line migrates again, harmlessly.
      await rm(path, { force: true });
    }
    for (const name of registry.#records.keys()) registry.#refresh(name);
    return registry;
  }

  get(name: string): ActiveFunction | undefined {
    return this.#active.get(name);
  }

  list(): ActiveFunction[] {
    // Names are ASCII (manifest schema): code-unit order is alphabetical, and far cheaper than
    // localeCompare at thousands of functions.
    this.#listed ??= [...this.#active.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return [...this.#listed];
  }

  /** Makes this bundle the active version; the same bytes as the active version are a no-op. */
  async activate(
    manifest: Manifest,
    manifestSource: string,
    bundleHex: string,
    componentHex: string,
    handlers: readonly HandlerKind[] = ['http'],
  ): Promise<{ active: ActiveFunction; unchanged: boolean }> {
    const name = manifest.name;
    const record: FunctionRecord = this.#records.get(name) ?? { name, versions: [], history: [] };
    const current = this.#active.get(name);
    if (current && current.current.bundleHex === bundleHex) return { active: current, unchanged: true };
    const version = (record.versions.at(-1)?.version ?? 0) + 1;
    record.versions.push({ version, bundleHex, componentHex, handlers, manifestSource, deployedAt: new Date().toISOString() });
    record.history.push(version);
    trim(record);
    this.#records.set(name, record);
    await this.#persist(name);
    return { active: this.#refresh(name)!, unchanged: false };
  }

  async rollback(name: string): Promise<ActiveFunction> {
    const record = this.#records.get(name);
    if (!record || !this.#active.has(name)) throw new WasmletError('function_not_found', `no function named ${name}`);
    if (record.history.length < 2) throw new WasmletError('no_previous_version', `${name} has no previous version to roll back to`);
    record.history.pop();
    await this.#persist(name);
    return this.#refresh(name)!;
  }

  async remove(name: string): Promise<ActiveFunction> {
    const active = this.#active.get(name);
    if (!active) throw new WasmletError('function_not_found', `no function named ${name}`);
    this.#records.delete(name);
    this.#active.delete(name);
    this.#listed = undefined;
    await this.#persist(name);
    return active;
  }

  /** The version that would become active after a rollback (for checks before committing to it). */
  previousOf(name: string): FunctionVersion | undefined {
    const record = this.#records.get(name);
    const previous = record?.history.at(-2);
    return record?.versions.find((v) => v.version === previous);
  }

  #refresh(name: string): ActiveFunction | undefined {
    const record = this.#records.get(name);
    const activeVersion = record?.history.at(-1);
    const current = record?.versions.find((v) => v.version === activeVersion);
    if (!record || !current) {
      this.#active.delete(name);
      this.#listed = undefined;
      return undefined;
    }
    const active: ActiveFunction = {
      name,
      current,
      manifest: parseManifest(current.manifestSource),
      previousVersion: record.history.at(-2) ?? null,
    };
    this.#active.set(name, active);
    this.#listed = undefined;
    return active;
  }

  /**
   * Writes `name`'s file, or deletes it if the function is gone. Writes are serialised, each with the
   * record as it is when called, so the files on disk always reflect the latest state.
   */
  #persist(name: string): Promise<void> {
    const path = this.#fileOf(name);
    const record = this.#records.get(name);
    const json = record ? serialize(record) : undefined;
    this.#writes = this.#writes
      .catch(() => undefined)
      .then(() => (json === undefined ? rm(path, { force: true }) : writeFileAtomic(path, json)));
    return this.#writes;
  }

  #fileOf(name: string): string {
    // Names come from parsed manifests; checked again because this one becomes a path.
    if (!functionNamePattern.test(name)) throw new Error(`not a function name: ${JSON.stringify(name)}`);
    return join(this.#functionsDir, `${name}${functionFileSuffix}`);
  }

  async #readFunctionFiles(): Promise<FunctionRecord[]> {
    let entries: string[];
    try {
      entries = await readdir(this.#functionsDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new Error(`cannot read registry ${this.#functionsDir}`, { cause: err });
    }
    // Leftover `*.tmp` files of an interrupted write are not records: the rename never happened.
    const files = entries.filter((entry) => entry.endsWith(functionFileSuffix));
    const records: FunctionRecord[] = [];
    for (let i = 0; i < files.length; i += openReadConcurrency) {
      const batch = files.slice(i, i + openReadConcurrency);
      const read = await Promise.all(batch.map((file) => readJson<FunctionFile>(join(this.#functionsDir, file))));
      for (const file of read) if (file) records.push(file.function);
    }
    return records;
  }
}

function serialize(record: FunctionRecord): string {
  return JSON.stringify({ format: 2, function: record } satisfies FunctionFile, null, 2);
}

/** The parsed file, or undefined if it does not exist; any other failure is a bug or a damaged data dir, and stops the host. */
async function readJson<T>(path: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read registry ${path}`, { cause: err });
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`registry file ${path} is not valid JSON`, { cause: err });
  }
}

function trim(record: FunctionRecord): void {
  while (record.versions.length > maxVersionsKept) {
    const dropped = record.versions.shift()!;
    record.history = record.history.filter((v) => v !== dropped.version);
  }
}
