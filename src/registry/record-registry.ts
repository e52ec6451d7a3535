// What every registry backend shares: the in-memory view of the per-function records (what `get`
// and `list` answer from, parsed once per change), the edits (activate, rollback, publish…) written
// as functions from a record to the next one, and the change notifications. A backend supplies only
// how one function's record is read-modified-written (`commit`) and how a damaged one is erased:
// the file backend edits its view and writes a file; the JetStream backend reads the latest entry,
// edits it and writes it back by compare-and-swap on its revision, and feeds other hosts' changes
// in with `applyElsewhere`.
import type { HandlerKind } from '../component/validate-component.js';
import { WasmletError } from '../errors/wasmlet-error.js';
import type { Manifest } from '../manifest/manifest.js';
import { parseManifest } from '../manifest/parse-manifest.js';
import type { AliasRecord, FunctionRecord, FunctionVersion, PublishedVersion } from './function-file.js';
import { maxVersionsKept, type ActiveFunction, type QuarantinedFunction, type ReferencedDigests, type Registry, type RegistryChange } from './registry.js';
import { withReservedConcurrency } from './reserved-concurrency.js';

/** What an edit decided: keep the record as it is, or write `record` (undefined: delete it). */
export type Edit<T> =
  | { readonly kind: 'keep'; readonly value: () => T }
  | { readonly kind: 'write'; readonly record: FunctionRecord | undefined; readonly value: () => T };

/** Computes an edit from the latest record (a private copy it may change), or throws to refuse it. */
export type EditOf<T> = (current: FunctionRecord | undefined) => Edit<T>;

interface Quarantine extends QuarantinedFunction {
  /** Every digest the damaged record mentions; undefined when it could not be read. */
  readonly digests: ReadonlySet<string> | undefined;
}

export abstract class RecordRegistry implements Registry {
  readonly #records = new Map<string, FunctionRecord>();
  readonly #active = new Map<string, ActiveFunction>();
  readonly #quarantined = new Map<string, Quarantine>();
  /** Digests of versions forgotten (aged out, deleted) since `takeReleased` was last called. */
  #released = new Set<string>();
  /** `list()`'s answer until the next change: every deploy and trigger sync asks for it. */
  #listed: ActiveFunction[] | undefined;
  /** Published versions in runnable form, by `name@version`: parsed once, dropped when the function changes. */
  readonly #publishedRunnable = new Map<string, ActiveFunction>();
  readonly #listeners = new Set<(change: RegistryChange) => void>();

  /** Reads the latest record of `name`, applies `edit`, stores the result and applies it to the view (`applyHere`). */
  protected abstract commit<T>(name: string, edit: EditOf<T>): Promise<T>;
  /** Removes a quarantined function's damaged record from where it is stored. */
  protected abstract erase(name: string): Promise<void>;
  /** Where a function's record is stored, for messages (a file path, a bucket and key). */
  protected abstract whereIs(name: string): string;

  close(): Promise<void> {
    return Promise.resolve();
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

  quarantined(): QuarantinedFunction[] {
    return [...this.#quarantined.values()]
      .map(({ name, file, reason }) => ({ name, file, reason }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

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

  takeReleased(): string[] {
    const released = [...this.#released];
    this.#released = new Set();
    return released;
  }

  onChange(listener: (change: RegistryChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async activate(manifest: Manifest, manifestSource: string, bundleHex: string, componentHex: string, handlers: readonly HandlerKind[] = ['http']): Promise<{ active: ActiveFunction; unchanged: boolean }> {
    const name = manifest.name;
    this.refuseQuarantined(name);
    return this.commit<{ active: ActiveFunction; unchanged: boolean }>(name, (current) => {
      const record: FunctionRecord = current ?? { name, versions: [], history: [] };
      const activeVersion = record.history.at(-1);
      if (current && record.versions.find((v) => v.version === activeVersion)?.bundleHex === bundleHex) {
        return { kind: 'keep', value: () => ({ active: this.#activeOf(name, record), unchanged: true }) };
      }
      const version = (record.versions.at(-1)?.version ?? 0) + 1;
      record.versions.push({ version, bundleHex, componentHex, handlers, manifestSource, deployedAt: new Date().toISOString() });
      record.history.push(version);
      trim(record);
      return { kind: 'write', record, value: () => ({ active: this.#activeOf(name, record), unchanged: false }) };
    });
  }

  async rollback(name: string): Promise<ActiveFunction> {
    this.refuseQuarantined(name);
    return this.commit(name, (record) => {
      if (!record) throw new WasmletError('function_not_found', `no function named ${name}`);
      if (record.history.length < 2) throw new WasmletError('no_previous_version', `${name} has no previous version to roll back to`);
      record.history.pop();
      return { kind: 'write', record, value: () => this.#activeOf(name, record) };
    });
  }

  async remove(name: string): Promise<ActiveFunction | QuarantinedFunction> {
    const quarantine = this.#quarantined.get(name);
    if (quarantine) {
      await this.erase(name);
      this.#quarantined.delete(name);
      for (const digest of quarantine.digests ?? []) this.#released.add(digest);
      this.#notify({ name, origin: 'here' });
      return { name, file: quarantine.file, reason: quarantine.reason };
    }
    return this.commit(name, (record) => {
      const active = this.get(name);
      if (!record || !active) throw new WasmletError('function_not_found', `no function named ${name}`);
      return { kind: 'write', record: undefined, value: () => active };
    });
  }

  previousOf(name: string): FunctionVersion | undefined {
    const record = this.#records.get(name);
    const previous = record?.history.at(-2);
    return record?.versions.find((v) => v.version === previous);
  }

  published(name: string): readonly PublishedVersion[] {
    return this.#records.get(name)?.published ?? [];
  }

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

  async publish(name: string, description: string): Promise<{ readonly version: PublishedVersion; readonly created: boolean }> {
    this.refuseQuarantined(name);
    return this.commit<{ readonly version: PublishedVersion; readonly created: boolean }>(name, (record) => {
      const activeVersion = record?.history.at(-1);
      const current = record?.versions.find((v) => v.version === activeVersion);
      if (!record || !current) throw new WasmletError('function_not_found', `no function named ${name}`);
      const existing = record.published?.find((v) => v.version === current.version);
      if (existing) return { kind: 'keep', value: () => ({ version: existing, created: false }) };
      const version: PublishedVersion = { ...current, description, publishedAt: new Date().toISOString() };
      record.published = [...(record.published ?? []), version].sort((a, b) => a.version - b.version);
      return { kind: 'write', record, value: () => ({ version, created: true }) };
    });
  }

  async unpublish(name: string, version: number): Promise<boolean> {
    return this.commit(name, (record) => {
      const frozen = record?.published?.find((v) => v.version === version);
      if (!record || !frozen) return { kind: 'keep', value: () => false };
      record.published = record.published!.filter((v) => v !== frozen);
      return { kind: 'write', record, value: () => true };
    });
  }

  aliases(name: string): readonly AliasRecord[] {
    return this.#records.get(name)?.aliases ?? [];
  }

  async putAlias(name: string, alias: AliasRecord): Promise<void> {
    return this.commit(name, (record) => {
      if (!record) throw new WasmletError('function_not_found', `no function named ${name}`);
      record.aliases = [...(record.aliases ?? []).filter((a) => a.name !== alias.name), alias].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return { kind: 'write', record, value: () => undefined };
    });
  }

  async deleteAlias(name: string, aliasName: string): Promise<boolean> {
    return this.commit(name, (record) => {
      if (!record?.aliases?.some((a) => a.name === aliasName)) return { kind: 'keep', value: () => false };
      record.aliases = record.aliases.filter((a) => a.name !== aliasName);
      return { kind: 'write', record, value: () => true };
    });
  }

  reservedConcurrency(name: string): number | undefined {
    return this.#records.get(name)?.reservedConcurrency;
  }

  async setReservedConcurrency(name: string, reserved: number | undefined): Promise<void> {
    this.refuseQuarantined(name);
    return this.commit(name, (record) => {
      if (!record) throw new WasmletError('function_not_found', `no function named ${name}`);
      if (reserved === undefined) delete record.reservedConcurrency;
      else record.reservedConcurrency = reserved;
      return { kind: 'write', record, value: () => undefined };
    });
  }

  /** A private copy of `name`'s record in the view, for an edit to change. */
  protected recordOf(name: string): FunctionRecord | undefined {
    const record = this.#records.get(name);
    return record === undefined ? undefined : structuredClone(record);
  }

  protected isQuarantined(name: string): boolean {
    return this.#quarantined.has(name);
  }

  protected refuseQuarantined(name: string): void {
    const quarantine = this.#quarantined.get(name);
    if (!quarantine) return;
    throw quarantinedError(quarantine);
  }

  /** Puts `name` in quarantine (a record that cannot be read back), dropping it from the active functions. */
  protected quarantine(name: string, reason: string, digests: ReadonlySet<string> | undefined): void {
    this.#records.delete(name);
    this.#active.delete(name);
    this.#forget(name);
    this.#quarantined.set(name, { name, file: this.whereIs(name), reason, digests });
  }

  /**
   * Sets `name`'s record in the view as read at open, without notifying: a record whose active
   * manifest no longer parses is quarantined instead (this function waits, the others start).
   */
  protected load(name: string, record: FunctionRecord): void {
    try {
      this.#set(name, record);
    } catch (err) {
      this.#records.delete(name);
      this.#active.delete(name);
      this.quarantine(name, `its active version's manifest does not parse: ${(err as Error).message}`, new Set(record.versions.flatMap((v) => [v.bundleHex, v.componentHex])));
    }
  }

  /** Applies a change this registry just stored, and tells the listeners. */
  protected applyHere(name: string, record: FunctionRecord | undefined): void {
    this.#apply(name, record, 'here');
  }

  /** Applies a change another host stored; tells the listeners only when the view changed. */
  protected applyElsewhere(name: string, record: FunctionRecord | undefined): void {
    const before = this.#records.get(name);
    if (before === undefined && record === undefined && !this.#quarantined.has(name)) return;
    if (before !== undefined && record !== undefined && JSON.stringify(before) === JSON.stringify(record)) return;
    try {
      this.#apply(name, record, 'elsewhere');
    } catch (err) {
      // A manifest this host does not accept (a newer host wrote it): not served here, said so.
      this.quarantine(name, `its active version's manifest does not parse: ${(err as Error).message}`, new Set(record!.versions.flatMap((v) => [v.bundleHex, v.componentHex])));
      this.#notify({ name, origin: 'elsewhere' });
    }
  }

  /** A damaged record arrived from another host: the function is not served here until it is repaired or deleted. */
  protected quarantineElsewhere(name: string, reason: string, digests: ReadonlySet<string>): void {
    const was = this.#quarantined.get(name);
    if (was?.reason === reason) return;
    const before = this.#records.get(name);
    const hadRecord = before !== undefined;
    // What the record named before it was damaged stays referenced too: someone may restore it.
    const kept = new Set([...digests, ...(was?.digests ?? []), ...(before ? [...before.versions, ...(before.published ?? [])].flatMap((v) => [v.bundleHex, v.componentHex]) : [])]);
    this.quarantine(name, reason, kept);
    if (hadRecord || !was) this.#notify({ name, origin: 'elsewhere' });
  }

  #apply(name: string, record: FunctionRecord | undefined, origin: RegistryChange['origin']): void {
    const before = this.#records.get(name);
    const quarantine = this.#quarantined.get(name);
    this.#quarantined.delete(name);
    for (const digest of quarantine?.digests ?? []) this.#released.add(digest);
    for (const version of droppedVersions(before, record)) {
      this.#released.add(version.bundleHex);
      this.#released.add(version.componentHex);
    }
    this.#set(name, record);
    this.#notify({ name, origin });
  }

  /**
   * The active version of `record` in runnable form: the view's when it shows that version (the
   * usual case), built from the record otherwise (another host's change overtook this one in the
   * view between its write and its answer).
   */
  #activeOf(name: string, record: FunctionRecord): ActiveFunction {
    const activeVersion = record.history.at(-1);
    const shown = this.get(name);
    if (shown && shown.current.version === activeVersion) return shown;
    const current = record.versions.find((v) => v.version === activeVersion)!;
    return {
      name,
      current,
      manifest: withReservedConcurrency(parseManifest(current.manifestSource), record.reservedConcurrency),
      previousVersion: record.history.at(-2) ?? null,
    };
  }

  /** Replaces the record and its runnable form; throws (leaving the view as it was) when the active manifest does not parse. */
  #set(name: string, record: FunctionRecord | undefined): void {
    const activeVersion = record?.history.at(-1);
    const current = record?.versions.find((v) => v.version === activeVersion);
    const active: ActiveFunction | undefined =
      record && current
        ? {
            name,
            current,
            manifest: withReservedConcurrency(parseManifest(current.manifestSource), record.reservedConcurrency),
            previousVersion: record.history.at(-2) ?? null,
          }
        : undefined;
    this.#forget(name);
    if (record) this.#records.set(name, record);
    else this.#records.delete(name);
    if (active) this.#active.set(name, active);
    else this.#active.delete(name);
  }

  #forget(name: string): void {
    for (const key of [...this.#publishedRunnable.keys()]) if (key.startsWith(`${name}@`)) this.#publishedRunnable.delete(key);
    this.#listed = undefined;
  }

  #notify(change: RegistryChange): void {
    for (const listener of this.#listeners) listener(change);
  }
}

export function quarantinedError(quarantine: QuarantinedFunction): WasmletError {
  const { name, file, reason } = quarantine;
  return new WasmletError(
    'function_quarantined',
    `${name} is quarantined: ${file}: ${reason}. Repair the record and restart the host, or delete the function (wasmlet delete ${name}) to deploy it afresh`,
    { name, file, reason },
  );
}

/** Forgets the versions beyond `maxVersionsKept`, oldest first. */
function trim(record: FunctionRecord): void {
  while (record.versions.length > maxVersionsKept) {
    const oldest = record.versions.shift()!;
    record.history = record.history.filter((v) => v !== oldest.version);
  }
}

/** The kept and published versions `before` had that `after` no longer has: their digests may be garbage now. */
function droppedVersions(before: FunctionRecord | undefined, after: FunctionRecord | undefined): FunctionVersion[] {
  if (!before) return [];
  const keptVersions = new Set((after?.versions ?? []).map((v) => v.version));
  const keptPublished = new Set((after?.published ?? []).map((v) => v.version));
  return [...before.versions.filter((v) => !keptVersions.has(v.version)), ...(before.published ?? []).filter((v) => !keptPublished.has(v.version))];
}
