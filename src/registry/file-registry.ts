// The embedded registry backend: one small JSON file per function (`<data-dir>/functions/<name>.json`),
// replaced atomically when that function changes (so a deploy's cost does not grow with the number
// of functions), and a restarted host comes back with exactly the functions that were active. A file
// that cannot be read back quarantines its function alone: listed with the reason, never served,
// its blobs kept, and the other functions start as usual. One host per data directory: nothing
// here watches for other writers.
import { readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { functionNamePattern } from '../manifest/manifest-bounds.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import { digestsOf, parseFunctionFile, serializeFunctionFile, type FunctionRecord } from './function-file.js';
import { RecordRegistry, type EditOf } from './record-registry.js';

/** The registry before per-function files: every function in one file, rewritten whole on each change. */
interface LegacyRegistryFile {
  readonly format: 1;
  readonly functions: FunctionRecord[];
}

/** Files read (or, migrating, written) at once when opening: enough to keep the disk busy, few enough to stay under the fd limit with 10 000 functions. */
const openReadConcurrency = 64;
const functionsDirName = 'functions';
const functionFileSuffix = '.json';

export class FileRegistry extends RecordRegistry {
  readonly #functionsDir: string;
  #writes: Promise<void> = Promise.resolve();

  private constructor(functionsDir: string) {
    super();
    this.#functionsDir = functionsDir;
  }

  /**
   * Opens the registry whose legacy single file is `path` (`<data-dir>/registry.json`); the records
   * live in `functions/` beside it. A legacy file found there is migrated: its functions are written
   * as per-function files (those already present win: they are newer), then it is removed. A
   * function file that cannot be read back quarantines its function (see `quarantined`).
   * @example const registry = await FileRegistry.open(join(dataDir, 'registry.json'));
   */
  static async open(path: string): Promise<FileRegistry> {
    const registry = new FileRegistry(join(dirname(path), functionsDirName));
    const records = new Map<string, FunctionRecord>();
    await registry.#readFunctionFiles(records);
    const legacy = await readLegacy(path);
    if (legacy) {
      const missing = legacy.functions.filter((record) => !records.has(record.name) && !registry.isQuarantined(record.name));
      for (let i = 0; i < missing.length; i += openReadConcurrency) {
        await Promise.all(missing.slice(i, i + openReadConcurrency).map((record) => writeFileAtomic(registry.#fileOf(record.name), serializeFunctionFile(record))));
      }
      for (const record of missing) records.set(record.name, record);
      // Only once every function has its own file: a crash before this line migrates again, harmlessly.
      await rm(path, { force: true });
    }
    for (const [name, record] of records) registry.load(name, record);
    return registry;
  }

  /** Edits the view at once and writes the file after the writes before it, so the files always end as the latest state. */
  protected async commit<T>(name: string, edit: EditOf<T>): Promise<T> {
    const decided = edit(this.recordOf(name));
    if (decided.kind === 'keep') return decided.value();
    if (decided.record) this.#fileOf(name); // a name that becomes a path is checked first
    this.applyHere(name, decided.record);
    await this.#persist(name, decided.record);
    return decided.value();
  }

  protected erase(name: string): Promise<void> {
    return this.#persist(name, undefined);
  }

  protected whereIs(name: string): string {
    return join(this.#functionsDir, `${name}${functionFileSuffix}`);
  }

  /** Writes `name`'s file, or deletes it if the function is gone; writes are serialised. */
  #persist(name: string, record: FunctionRecord | undefined): Promise<void> {
    const path = this.whereIs(name);
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

  /** Reads every `<name>.json`: records into `records`, damaged files into quarantine. */
  async #readFunctionFiles(records: Map<string, FunctionRecord>): Promise<void> {
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
      await Promise.all(files.slice(i, i + openReadConcurrency).map((file) => this.#readFunctionFile(file, records)));
    }
  }

  async #readFunctionFile(file: string, records: Map<string, FunctionRecord>): Promise<void> {
    const name = file.slice(0, -functionFileSuffix.length);
    const path = join(this.#functionsDir, file);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // removed meanwhile
      // EIO, EACCES, a directory named like a record: what it would reference is unknown.
      this.quarantine(name, `cannot be read: ${(err as Error).message}`, undefined);
      return;
    }
    if (!functionNamePattern.test(name)) {
      // Not a file this host wrote (a name it would refuse); listed so that someone looks at it.
      this.quarantine(name, 'the file name is not a function name', digestsOf(text));
      return;
    }
    const read = parseFunctionFile(name, text);
    if (read.kind === 'record') records.set(name, read.record);
    else this.quarantine(name, read.reason, read.digests);
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
