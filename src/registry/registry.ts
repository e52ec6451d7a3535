// Which version of each function is active. Persisted as one JSON file, replaced atomically on every
// change, so a restarted host comes back with exactly the functions that were active.
import type { HandlerKind } from '../component/validate-component.js';
import { readFile } from 'node:fs/promises';
import type { Manifest } from '../manifest/manifest.js';
import { parseManifest } from '../manifest/parse-manifest.js';
import { WasmletError } from '../errors/wasmlet-error.js';
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

interface RegistryFile {
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

export class Registry {
  readonly #path: string;
  readonly #records = new Map<string, FunctionRecord>();
  readonly #active = new Map<string, ActiveFunction>();
  #writes: Promise<void> = Promise.resolve();

  private constructor(path: string) {
    this.#path = path;
  }

  static async open(path: string): Promise<Registry> {
    const registry = new Registry(path);
    let file: RegistryFile | undefined;
    try {
      file = JSON.parse(await readFile(path, 'utf8')) as RegistryFile;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read registry ${path}`, { cause: err });
    }
    for (const record of file?.functions ?? []) {
      registry.#records.set(record.name, record);
      registry.#refresh(record.name);
    }
    return registry;
  }

  get(name: string): ActiveFunction | undefined {
    return this.#active.get(name);
  }

  list(): ActiveFunction[] {
    return [...this.#active.values()].sort((a, b) => a.name.localeCompare(b.name));
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
    await this.#persist();
    return { active: this.#refresh(name)!, unchanged: false };
  }

  async rollback(name: string): Promise<ActiveFunction> {
    const record = this.#records.get(name);
    if (!record || !this.#active.has(name)) throw new WasmletError('function_not_found', `no function named ${name}`);
    if (record.history.length < 2) throw new WasmletError('no_previous_version', `${name} has no previous version to roll back to`);
    record.history.pop();
    await this.#persist();
    return this.#refresh(name)!;
  }

  async remove(name: string): Promise<ActiveFunction> {
    const active = this.#active.get(name);
    if (!active) throw new WasmletError('function_not_found', `no function named ${name}`);
    this.#records.delete(name);
    this.#active.delete(name);
    await this.#persist();
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
      return undefined;
    }
    const active: ActiveFunction = {
      name,
      current,
      manifest: parseManifest(current.manifestSource),
      previousVersion: record.history.at(-2) ?? null,
    };
    this.#active.set(name, active);
    return active;
  }

  /** Writes are serialised so the file on disk always reflects the latest state. */
  #persist(): Promise<void> {
    const snapshot: RegistryFile = { format: 1, functions: [...this.#records.values()] };
    const json = JSON.stringify(snapshot, null, 2);
    this.#writes = this.#writes.catch(() => undefined).then(() => writeFileAtomic(this.#path, json));
    return this.#writes;
  }
}

function trim(record: FunctionRecord): void {
  while (record.versions.length > maxVersionsKept) {
    const dropped = record.versions.shift()!;
    record.history = record.history.filter((v) => v !== dropped.version);
  }
}
