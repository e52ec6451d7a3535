// The content store port: bundles and components by their sha256, immutable once stored. Writing
// the same bytes twice is a no-op; a read checks the bytes still have the digest they are filed
// under. Nothing here knows who uses a blob: gc/content-collector.ts removes the ones no kept version
// names, through `inventory`/`entriesOf` and (when the store is not a directory of files) `remove`.
// Backends: `file-content-store.ts` (<data-dir>/blobs) and `nats/jetstream-content-store.ts` (a
// JetStream object store every host shares). Conformance suite: `content-store.case.ts`.
import type { StoredEntry } from './stored-entry.js';

export interface ContentStore {
  /** Stores `bytes` and returns their sha256 hex digest. */
  put(bytes: Uint8Array): Promise<string>;
  has(hex: string): Promise<boolean>;
  /** The bytes filed under `hex`; throws if there are none, or if they no longer have that digest (corruption, tampering). */
  get(hex: string): Promise<Uint8Array>;
  /** The size in bytes of what is filed under `hex`; throws if there is nothing. */
  sizeOf(hex: string): Promise<number>;
  /** The digests put since the last call (and forgets them): what a failed deploy may have left unreferenced. */
  takeWritten(): string[];
  /** What it holds for one digest (nothing if none), as garbage collection sees it. */
  entriesOf(hex: string): Promise<StoredEntry[]>;
  /** Everything it holds, leftovers of unfinished writes included. */
  inventory(): Promise<StoredEntry[]>;
  /**
   * Removes an entry `inventory`/`entriesOf` gave, unless it must stay after all (another host
   * stored it again a moment ago): false then. Absent: entries are files, removed by their path.
   */
  remove?(entry: StoredEntry): Promise<boolean>;
  /** Whether `remove` would remove it now (for a dry run's report); absent: it would. */
  wouldRemove?(entry: StoredEntry): Promise<boolean>;
}
