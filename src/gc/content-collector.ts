// Garbage collection of deployed content: the blobs (bundles, components) and transpiled artifacts
// that no kept version of any function refers to. They come from deletes, from versions aging out
// of the registry's last ten, and from deploys that failed or were killed half-way (with the
// temporary files of their unfinished writes).
//
// Safe against a deploy by construction: every pass runs under the deployer's exclusion
// (`Deployer.exclusive`), and everything a deploy writes is referenced by the registry before its
// exclusion ends. Between deploys only deletes and rollbacks change the registry, and neither
// makes a digest referenced again, so a pass that read the references keeps at least what it must.
import { lstat, readdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
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
  readonly kept: { readonly blobs: number; readonly artifacts: number };
  /** What went (or would go), largest first, at most `maxReportedItems`. */
  readonly items: readonly GcItem[];
  /** Items beyond `maxReportedItems`, counted but not listed. */
  readonly itemsOmitted: number;
  /** Set when the pass removed nothing because what is referenced is not fully known (a quarantined file that cannot be read). */
  readonly refused?: string;
}

export interface ContentCollectorDeps {
  /** Where paths in reports are relative to. */
  readonly dataDir: string;
  /** What must stay. */
  readonly references: () => ReferencedDigests;
  /** Inventories of the stores: `ContentStore.inventory`, `ArtifactStore.inventory`. */
  readonly inventories: readonly (() => Promise<StoredEntry[]>)[];
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
 *   inventories: [() => store.inventory(), () => artifacts.inventory()], exclusive: (work) => deployer.exclusive(work), log });
 * const report = await collector.collect({ dryRun: true }); // report.reclaimedBytes
 */
export class ContentCollector {
  readonly #deps: ContentCollectorDeps;
  /** An automatic pass queued behind a deploy and not started yet: later requests join it. */
  #queued: Promise<void> | undefined;
  /** Every pass not finished, so `close` can wait for them. */
  readonly #running = new Set<Promise<unknown>>();

  constructor(deps: ContentCollectorDeps) {
    this.#deps = deps;
  }

  /** One pass, between deploys: removes what no kept version refers to (or, dryRun, only reports it). */
  collect(options: { readonly dryRun: boolean }): Promise<GcReport> {
    return this.#track(this.#deps.exclusive(() => this.#pass(options.dryRun)));
  }

  /**
   * Asks for a pass soon (after a delete, a new version, a failed deploy, a start), never failing:
   * requests made while one is still queued are served by it, so a burst of deletes costs one pass.
   */
  schedule(): void {
    if (this.#queued) return;
    const queued = this.#deps.exclusive(async () => {
      this.#queued = undefined;
      const report = await this.#pass(false);
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

  async #pass(dryRun: boolean): Promise<GcReport> {
    const { digests, complete } = this.#deps.references();
    const entries = (await Promise.all(this.#deps.inventories.map((inventory) => inventory()))).flat();
    const garbage: StoredEntry[] = [];
    const kept = { blobs: 0, artifacts: 0 };
    for (const entry of entries) {
      if (isGarbage(entry, digests)) garbage.push(entry);
      else kept[entry.kind === 'blob' ? 'blobs' : 'artifacts'] += 1;
    }
    const refused = complete ? undefined : 'a quarantined function file cannot be read, so what it refers to is unknown; repair or delete it first';
    const removing = !dryRun && complete;
    const items: GcItem[] = [];
    for (const entry of garbage) {
      const bytes = await sizeOf(entry.path);
      // A pass removes one entry at a time: one that fails (a permission) is reported by the error, the others stay as they were.
      if (removing) await rm(entry.path, { recursive: true, force: true });
      items.push({ kind: entry.kind, path: relative(this.#deps.dataDir, entry.path), bytes });
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
