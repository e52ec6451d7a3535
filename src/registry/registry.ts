// Which version of each function is active. Persisted as one small JSON file per function, replaced
// atomically when that function changes (so a deploy's cost does not grow with the number of
// functions), and a restarted host comes back with exactly the functions that were active. A file
// that cannot be read back quarantines its function alone: listed with the reason, never served,
// its blobs kept, and the other functions start as usual.
import { readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { HandlerKind } from '../component/validate-component.js';
import type { Manifest } from '../manifest/manifest.js';
import { parseManifest } from '../manifest/parse-manifest.js';
import { WasmletError } from '../errors/wasmlet-error.js';
import { functionNamePattern } from '../manifest/manifest-bounds.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import { digestsOf, parseFunctionFile, serializeFunctionFile, type AliasRecord, type FunctionRecord, type FunctionVersion, type PublishedVersion } from './function-file.js';
import { withReservedConcurrency } from './reserved-concurrency.js';

export type { AliasRecord, FunctionVersion, PublishedVersion } from './function-file.js';

/** The registry before per-function files: every function in one file, rewritten whole on each change. */
interface LegacyRegistryFile {
  readonly format: 1;
  readonly functions: FunctionRecord[];
}

/** A function whose file could not be read back at start: not served until it is repaired (and the host restarted) or deleted. */
export interface QuarantinedFunction {
  readonly name: string;
  /** The damaged file, left where it was. */
  readonly file: string;
  readonly reason: string;
}

/** The digests no collection may remove; `complete` is false when a quarantined file could not even be read (its digests are unknown). */
export interface ReferencedDigests {
  readonly digests: ReadonlySet<string>;
  readonly complete: boolean;
}

interface Quarantine extends QuarantinedFunction {
  /** Every digest the damaged text mentions; undefined when the file could not be read. */
  readonly digests: ReadonlySet<string> | undefined;
}

export interface ActiveFunction {
  readonly name: string;
  readonly current: FunctionVersion;
  readonly manifest: Manifest;
  readonly previousVersion: number | null;
}

/** Versions kept per function for rollback; older ones are forgotten (their blobs are then garbage: gc/). */
export const maxVersionsKept = 10;

/** Files read (or, migrating, written) at once when opening: enough to keep the disk busy, few enough to stay under the fd limit with 10 000 functions. */
const openReadConcurrency = 64;
const functionsDirName = 'functions';
const functionFileSuffix = '.json';

export class Registry {
  readonly #functionsDir: string;
  readonly #records = new Map<string, FunctionRecord>();
  readonly #active = new Map<string, ActiveFunction>();
  readonly #quarantined = new Map<string, Quarantine>();
  /** Digests of versions forgotten (aged out, deleted) since `takeReleased` was last called. */
  #released = new Set<string>();
  /** `list()`'s answer until the next change: every deploy and trigger sync asks for it. */
  #listed: ActiveFunction[] | undefined;
  /** Published versions in runnable form, by `name@version`: parsed once, dropped when the function changes. */
  readonly #publishedRunnable = new Map<string, ActiveFunction>();
  #writes: Promise<void> = Promise.resolve();

  private constructor(functionsDir: string) {
    this.#functionsDir = functionsDir;
  }

  /**
   * Opens the registry whose legacy single file is `path` (`<data-dir>/registry.json`); the records
   * live in `functions/` beside it. A legacy file found there is migrated: its functions are written
   * as per-function files (those already present win: they are newer), then it is removed. A
   * function file that cannot be read back quarantines its function (see `quarantined`).
   * @example const registry = await Registry.open(join(dataDir, 'registry.json'));
   */
  static async open(path: string): Promise<Registry> {
    const registry = new Registry(join(dirname(path), functionsDirName));
    await registry.#readFunctionFiles();
    const legacy = await readLegacy(path);
    if (legacy) {
      const missing = legacy.functions.filter((record) => !registry.#records.has(record.name) && !registry.#quarantined.has(record.name));
      for (let i = 0; i < missing.length; i += openReadConcurrency) {
        await Promise.all(missing.slice(i, i + openReadConcurrency).map((record) => writeFileAtomic(registry.#fileOf(record.name), serializeFunctionFile(record))));
      }
      for (const record of missing) registry.#records.set(record.name, record);
      // Only once every function has its own file: a crash before this line migrates again, harmlessly.
      await rm(path, { force: true });
    }
    for (const name of [...registry.#records.keys()]) {
      try {
        registry.#refresh(name);
      } catch (err) {
        // A manifest this host no longer accepts (or a damaged one): this function waits, the others start.
        const record = registry.#records.get(name)!;
        registry.#records.delete(name);
        registry.#quarantine(name, `its active version's manifest does not parse: ${(err as Error).message}`, new Set(record.versions.flatMap((v) => [v.bundleHex, v.componentHex])));
      }
    }
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

  /** The functions whose files were damaged at start, by name: not served, their files untouched. */
  quarantined(): QuarantinedFunction[] {
    return [...this.#quarantined.values()]
      .map(({ name, file, reason }) => ({ name, file, reason }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * Every bundle and component digest a kept version (active, rollback target or older) refers to,
   * plus every digest a quarantined file mentions: what garbage collection must keep.
   */
  referencedDigests(): ReferencedDigests {
    const digests = new Set<string>();
    for (const record of this.#records.values()) {
      for (const version of [...record.versions, ...(record.published ?? [])]) {
        digests.add(version.bundleHex);
        digests.add(version.componentHex);
      }
    }
    let complete = true;
    for (const quarantine of this.#quarantined.values()) {
      if (quarantine.digests === undefined) complete = false;
      else for (const digest of quarantine.digests) digests.add(digest);
    }
    return { digests, complete };
  }

  /** The digests of versions forgotten since the last call (and forgets them): garbage, unless another version still names them. */
  takeReleased(): string[] {
    const released = [...this.#released];
    this.#released = new Set();
    return released;
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
    this.#refuseQuarantined(name);
    const record: FunctionRecord = this.#records.get(name) ?? { name, versions: [], history: [] };
    const current = this.#active.get(name);
    if (current && current.current.bundleHex === bundleHex) return { active: current, unchanged: true };
    const version = (record.versions.at(-1)?.version ?? 0) + 1;
    record.versions.push({ version, bundleHex, componentHex, handlers, manifestSource, deployedAt: new Date().toISOString() });
    record.history.push(version);
    for (const dropped of trim(record)) this.#release(dropped);
    this.#records.set(name, record);
    await this.#persist(name);
    return { active: this.#refresh(name)!, unchanged: false };
  }

  async rollback(name: string): Promise<ActiveFunction> {
    this.#refuseQuarantined(name);
    const record = this.#records.get(name);
    if (!record || !this.#active.has(name)) throw new WasmletError('function_not_found', `no function named ${name}`);
    if (record.history.length < 2) throw new WasmletError('no_previous_version', `${name} has no previous version to roll back to`);
    record.history.pop();
    await this.#persist(name);
    return this.#refresh(name)!;
  }

  /** Removes a function, or a quarantined one's damaged file: the operator has given up on repairing it. */
  async remove(name: string): Promise<ActiveFunction | QuarantinedFunction> {
    const quarantine = this.#quarantined.get(name);
    if (quarantine) {
      this.#quarantined.delete(name);
      for (const digest of quarantine.digests ?? []) this.#released.add(digest);
      await this.#persist(name);
      return { name, file: quarantine.file, reason: quarantine.reason };
    }
    const active = this.#active.get(name);
    if (!active) throw new WasmletError('function_not_found', `no function named ${name}`);
    const removed = this.#records.get(name);
    for (const version of [...(removed?.versions ?? []), ...(removed?.published ?? [])]) this.#release(version);
    this.#forgetRunnable(name);
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

  /** Versions frozen by PublishVersion, oldest first (empty for an unknown function). */
  published(name: string): readonly PublishedVersion[] {
    return this.#records.get(name)?.published ?? [];
  }

  /** A published version in runnable form (the invoker's input), reserved concurrency applied. */
  publishedFunction(name: string, version: number): ActiveFunction | undefined {
    const key = `${name}@${version}`;
    const cached = this.#publishedRunnable.get(key);
    if (cached) return cached;
    const record = this.#records.get(name);
    const frozen = record?.published?.find((v) => v.version === version);
    if (!record || !frozen) return undefined;
    const runnable: ActiveFunction = {
      name,
      current: frozen,
      manifest: withReservedConcurrency(parseManifest(frozen.manifestSource), record.reservedConcurrency),
      previousVersion: null,
    };
    this.#publishedRunnable.set(key, runnable);
    return runnable;
  }

  /**
   * Freezes the active version under its own number (Lambda's PublishVersion). Publishing a version
   * already published returns it (`created` false), as Lambda does when the code has not changed.
   */
  async publish(name: string, description: string): Promise<{ readonly version: PublishedVersion; readonly created: boolean }> {
    this.#refuseQuarantined(name);
    const record = this.#records.get(name);
    const active = this.#active.get(name);
    if (!record || !active) throw new WasmletError('function_not_found', `no function named ${name}`);
    const existing = record.published?.find((v) => v.version === active.current.version);
    if (existing) return { version: existing, created: false };
    const version: PublishedVersion = { ...active.current, description, publishedAt: new Date().toISOString() };
    record.published = [...(record.published ?? []), version].sort((a, b) => a.version - b.version);
    await this.#persist(name);
    return { version, created: true };
  }

  /** Deletes a published version; the caller has checked that no alias names it. */
  async unpublish(name: string, version: number): Promise<boolean> {
    const record = this.#records.get(name);
    const frozen = record?.published?.find((v) => v.version === version);
    if (!record || !frozen) return false;
    record.published = record.published!.filter((v) => v !== frozen);
    this.#release(frozen);
    this.#publishedRunnable.delete(`${name}@${version}`);
    await this.#persist(name);
    return true;
  }

  aliases(name: string): readonly AliasRecord[] {
    return this.#records.get(name)?.aliases ?? [];
  }

  /** Creates or replaces an alias; the caller has checked the versions it names are published. */
  async putAlias(name: string, alias: AliasRecord): Promise<void> {
    const record = this.#records.get(name);
    if (!record || !this.#active.has(name)) throw new WasmletError('function_not_found', `no function named ${name}`);
    record.aliases = [...(record.aliases ?? []).filter((a) => a.name !== alias.name), alias].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    await this.#persist(name);
  }

  async deleteAlias(name: string, aliasName: string): Promise<boolean> {
    const record = this.#records.get(name);
    if (!record?.aliases?.some((a) => a.name === aliasName)) return false;
    record.aliases = record.aliases.filter((a) => a.name !== aliasName);
    await this.#persist(name);
    return true;
  }

  reservedConcurrency(name: string): number | undefined {
    return this.#records.get(name)?.reservedConcurrency;
  }

  /**
   * Sets (or, undefined, removes) the function's reserved concurrency: its invocations in flight at
   * once, every version together, in place of `[limits] max_concurrency` (runtime/worker-pool.ts).
   */
  async setReservedConcurrency(name: string, reserved: number | undefined): Promise<void> {
    this.#refuseQuarantined(name);
    const record = this.#records.get(name);
    if (!record || !this.#active.has(name)) throw new WasmletError('function_not_found', `no function named ${name}`);
    if (reserved === undefined) delete record.reservedConcurrency;
    else record.reservedConcurrency = reserved;
    this.#forgetRunnable(name);
    await this.#persist(name);
    this.#refresh(name);
  }

  #forgetRunnable(name: string): void {
    for (const version of this.#records.get(name)?.published ?? []) this.#publishedRunnable.delete(`${name}@${version.version}`);
  }

  #release(version: FunctionVersion): void {
    this.#released.add(version.bundleHex);
    this.#released.add(version.componentHex);
  }

  #refuseQuarantined(name: string): void {
    const quarantine = this.#quarantined.get(name);
    if (!quarantine) return;
    throw new WasmletError(
      'function_quarantined',
      `${name} is quarantined: ${quarantine.file}: ${quarantine.reason}. Repair the file and restart the host, or delete the function (wasmlet delete ${name}) to deploy it afresh`,
      { name, file: quarantine.file, reason: quarantine.reason },
    );
  }

  #quarantine(name: string, reason: string, digests: ReadonlySet<string> | undefined): void {
    this.#quarantined.set(name, { name, file: join(this.#functionsDir, `${name}${functionFileSuffix}`), reason, digests });
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
      manifest: withReservedConcurrency(parseManifest(current.manifestSource), record.reservedConcurrency),
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
    const path = join(this.#functionsDir, `${name}${functionFileSuffix}`);
    const record = this.#records.get(name);
    if (record) this.#fileOf(name); // a name that becomes a path is checked first
    const json = record ? serializeFunctionFile(record) : undefined;
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

  /** Reads every `<name>.json`: records go to #records, damaged files to #quarantined. */
  async #readFunctionFiles(): Promise<void> {
    let entries: string[];
    try {
      entries = await readdir(this.#functionsDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new Error(`cannot read registry ${this.#functionsDir}`, { cause: err });
    }
    // Leftover `*.tmp` files of an interrupted write are not records: the rename never happened.
    const files = entries.filter((entry) => entry.endsWith(functionFileSuffix));
    for (let i = 0; i < files.length; i += openReadConcurrency) {
      await Promise.all(files.slice(i, i + openReadConcurrency).map((file) => this.#readFunctionFile(file)));
    }
  }

  async #readFunctionFile(file: string): Promise<void> {
    const name = file.slice(0, -functionFileSuffix.length);
    const path = join(this.#functionsDir, file);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // removed meanwhile
      // EIO, EACCES, a directory named like a record: what it would reference is unknown.
      this.#quarantine(name, `cannot be read: ${(err as Error).message}`, undefined);
      return;
    }
    if (!functionNamePattern.test(name)) {
      // Not a file this host wrote (a name it would refuse); listed so that someone looks at it.
      this.#quarantine(name, 'the file name is not a function name', digestsOf(text));
      return;
    }
    const read = parseFunctionFile(name, text);
    if (read.kind === 'record') this.#records.set(name, read.record);
    else this.#quarantine(name, read.reason, read.digests);
  }
}

/** The legacy file, or undefined if it does not exist; a damaged one stops the host (it holds every function, and is only migrated once). */
async function readLegacy(path: string): Promise<LegacyRegistryFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read registry ${path}`, { cause: err });
  }
  try {
    return JSON.parse(text) as LegacyRegistryFile;
  } catch (err) {
    throw new Error(`the legacy registry ${path} is not valid JSON; restore it from a backup or move it aside to start without its functions`, { cause: err });
  }
}

/** Forgets the versions beyond `maxVersionsKept`, oldest first; returns them. */
function trim(record: FunctionRecord): FunctionVersion[] {
  const dropped: FunctionVersion[] = [];
  while (record.versions.length > maxVersionsKept) {
    const oldest = record.versions.shift()!;
    record.history = record.history.filter((v) => v !== oldest.version);
    dropped.push(oldest);
  }
  return dropped;
}
