// Garbage collection of deployed content: the blobs (bundles, components) and transpiled artifacts
// that no kept version of any function refers to. They come from deletes, from versions aging out
// of the registry's last ten, and from deploys that failed or were killed half-way (with the
// temporary files of their unfinished writes).
//
// Safe against a deploy by construction: every pass runs under the deployer's exclusion
// (`Deployer.exclusive`), and everything a deploy writes is referenced by the registry before its
// exclusion ends. Between deploys only deletes and rollbacks change the registry, and neither
// makes a digest referenced again, so a pass that read the references keeps at least what it must.
//
// Two sizes of pass. A full one lists the stores (at start, and when asked: `wasmlet gc`); it
// costs a directory listing per store, most of a second at 10 000 functions. The one that follows
// each change looks only at the digests that change may have freed (versions the registry let go,
// content a deploy wrote), so a deploy still costs the same at 10 000 functions as at 1.
import { lstat, readdir, rm } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import type { ReferencedDigests } from '../registry/registry.js';
import type { StoredEntry } from '../store/stored-entry.js';

export interface GcItem {
  readonly kind: StoredEntry['kind'];
  /** Relative to the data directory, e.g. `blobs/sha256/1a2b…`. */
  readonly path: string;
  readonly bytes: number;
}

export interface GcReport {
  /** True: nothing was removed, the report says what would have been. */
  readonly dryRun: boolean;
  /** Bytes removed (with dryRun: that would be). */
  readonly reclaimedBytes: number;
  readonly removed: { readonly blobs: number; readonly artifacts: number; readonly temporary: number };
  /** What stays, counted by a full pass (the one `collect` runs); 0 in the passes that follow a change. */
  readonly kept: { readonly blobs: number; readonly artifacts: number };
  /** What went (or would go), largest first, at most `maxReportedItems`. */
  readonly items: readonly GcItem[];
  /** Items beyond `maxReportedItems`, counted but not listed. */
  readonly itemsOmitted: number;
  /** Set when the pass removed nothing because what is referenced is not fully known (a quarantined file that cannot be read). */
  readonly refused?: string;
}

/** A store as collection sees it (`ContentStore`, `ArtifactStore`). */
export interface CollectableStore {
  /** Everything it holds, temporary leftovers included. */
  inventory(): Promise<StoredEntry[]>;
  /** What it holds for one digest (nothing if none). */
  entriesOf(digest: string): Promise<StoredEntry[]>;
  /**
   * Removes one of its entries, or says it must stay after all (false: stored again meanwhile by
   * another host sharing it). Absent: entries are files and directories, removed by their path.
   */
  remove?(entry: StoredEntry): Promise<boolean>;
  /** Whether `remove` would remove it now, for a pass that removes nothing (a dry run); absent: it would. */
  wouldRemove?(entry: StoredEntry): Promise<boolean>;
}

export interface ContentCollectorDeps {
  /** Where paths in reports are relative to. */
  readonly dataDir: string;
  /** What must stay. */
  readonly references: () => ReferencedDigests;
  /**
   * Digests that may have become garbage since last asked (`Registry.takeReleased`,
   * `ContentStore.takeWritten`); called only inside the exclusion, so no deploy is half-way.
   */
  readonly candidates: () => Iterable<string>;
  readonly stores: readonly CollectableStore[];
  /** Runs work between deploys (`Deployer.exclusive`). */
  readonly exclusive: <T>(work: () => Promise<T>) => Promise<T>;
  /** Where an automatic pass reports what it did, or why it failed. */
  readonly log: (line: string) => void;
}

/** A report lists this many items at most: a collection after thousands of deletes is summed up, not printed whole. */
export const maxReportedItems = 1_000;

/**
 * @example
 * const collector = new ContentCollector({ dataDir, references: () => registry.referencedDigests(),
 *   candidates: () => [...registry.takeReleased(), ...store.takeWritten()], stores: [store, artifacts],
 *   exclusive: (work) => deployer.exclusive(work), log });
 * const report = await collector.collect({ dryRun: true }); // report.reclaimedBytes
 */
export class ContentCollector {
  readonly #deps: ContentCollectorDeps;
  /** An automatic pass queued behind a deploy and not started yet: later requests join it. */
  #queued: Promise<void> | undefined;
  /** Whether the queued pass lists the stores (a start asked for it) or looks at the candidates only. */
  #queuedScope: 'all' | 'changed' = 'changed';
  /** Every pass not finished, so `close` can wait for them. */
  readonly #running = new Set<Promise<unknown>>();

  constructor(deps: ContentCollectorDeps) {
    this.#deps = deps;
  }

  /** A full pass, between deploys: removes what no kept version refers to (or, dryRun, only reports it). */
  collect(options: { readonly dryRun: boolean }): Promise<GcReport> {
    return this.#track(this.#deps.exclusive(() => this.#pass(options.dryRun, 'all')));
  }

  /**
   * Asks for a pass soon, never failing: `changed` (after a delete, a new version, a failed deploy)
   * looks at the candidates only, `all` (at start) lists the stores. Requests made while one is
   * still queued are served by it, so a burst of deletes costs one pass.
   */
  schedule(scope: 'all' | 'changed' = 'changed'): void {
    if (scope === 'all') this.#queuedScope = 'all';
    if (this.#queued) return;
    const queued = this.#deps.exclusive(async () => {
      this.#queued = undefined;
      const queuedScope = this.#queuedScope;
      this.#queuedScope = 'changed';
      const report = await this.#pass(false, queuedScope);
      if (report.refused) this.#deps.log(`garbage collection skipped: ${report.refused}`);
      else if (report.reclaimedBytes > 0) this.#deps.log(`garbage collection reclaimed ${report.reclaimedBytes} bytes (${describeCounts(report)})`);
    });
    this.#queued = queued;
    void this.#track(queued).catch((err: unknown) => {
      if (this.#queued === queued) this.#queued = undefined;
      this.#deps.log(`garbage collection failed: ${(err as Error).message}`);
    });
  }

  /** Resolves once no pass is running (the host closes its data directory after). */
  async close(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  #track<T>(pass: Promise<T>): Promise<T> {
    this.#running.add(pass);
    void pass.finally(() => this.#running.delete(pass)).catch(() => undefined);
    return pass;
  }

  async #pass(dryRun: boolean, scope: 'all' | 'changed'): Promise<GcReport> {
    const { digests, complete } = this.#deps.references();
    const refused = complete ? undefined : 'a quarantined function file cannot be read, so what it refers to is unknown; repair or delete it first';
    const removing = !dryRun && complete;
    // Taken only by a pass that removes (a full one looks at every candidate anyway); a dry run leaves them for the next.
    const candidates = removing ? new Set(this.#deps.candidates()) : new Set<string>();
    const { stores } = this.#deps;
    const listed = async (store: CollectableStore, entries: Promise<StoredEntry[]>) => (await entries).map((entry) => ({ store, entry }));
    const entries =
      scope === 'all'
        ? (await Promise.all(stores.map((store) => listed(store, store.inventory())))).flat()
        : (await Promise.all([...candidates].filter((digest) => !digests.has(digest)).flatMap((digest) => stores.map((store) => listed(store, store.entriesOf(digest)))))).flat();
    const garbage: { store: CollectableStore; entry: StoredEntry }[] = [];
    const kept = { blobs: 0, artifacts: 0 };
    for (const found of entries) {
      if (isGarbage(found.entry, digests)) garbage.push(found);
      else kept[found.entry.kind === 'blob' ? 'blobs' : 'artifacts'] += 1;
    }
    const items: GcItem[] = [];
    for (const { store, entry } of garbage) {
      const bytes = entry.bytes ?? (await sizeOf(entry.path));
      // A pass removes one entry at a time: one that fails (a permission) is reported by the error, the others stay as they were.
      if (removing) {
        if (store.remove) {
          if (!(await store.remove(entry))) continue; // stored again by another host: it stays
        } else {
          await rm(entry.path, { recursive: true, force: true });
        }
      } else if (store.wouldRemove && !(await store.wouldRemove(entry))) {
        continue; // the real pass would keep it too
      }
      items.push({ kind: entry.kind, path: isAbsolute(entry.path) ? relative(this.#deps.dataDir, entry.path) : entry.path, bytes });
    }
    items.sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : 1));
    const count = (kind: StoredEntry['kind']) => items.filter((item) => item.kind === kind).length;
    return {
      dryRun: !removing,
      reclaimedBytes: items.reduce((sum, item) => sum + item.bytes, 0),
      removed: { blobs: count('blob'), artifacts: count('artifacts'), temporary: count('temporary') },
      kept,
      items: items.slice(0, maxReportedItems),
      itemsOmitted: Math.max(0, items.length - maxReportedItems),
      ...(refused ? { refused } : {}),
    };
  }
}

function isGarbage(entry: StoredEntry, referenced: ReadonlySet<string>): boolean {
  if (entry.kind === 'temporary' || entry.outdated) return true;
  return entry.digest === undefined || !referenced.has(entry.digest);
}

/** Bytes of a file, or of every file under a directory (links not followed); 0 for what is gone. */
async function sizeOf(path: string): Promise<number> {
  const stats = await lstat(path).catch(() => undefined);
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.size;
  const names = await readdir(path).catch(() => [] as string[]);
  let total = 0;
  for (const name of names) total += await sizeOf(join(path, name));
  return total;
}

export function describeCounts(report: Pick<GcReport, 'removed'>): string {
  const { blobs, artifacts, temporary } = report.removed;
  return `${blobs} blob(s), ${artifacts} artifact director${artifacts === 1 ? 'y' : 'ies'}, ${temporary} temporary file(s)`;
}
