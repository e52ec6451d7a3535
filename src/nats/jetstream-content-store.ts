// The ContentStore port on a JetStream object store shared by every host (`serve --nats`): bundles
// and components as objects named by their sha256. Each host reads a component from here when it
// has no artifacts for it, and keeps its own transpiled artifacts and compiled code.
//
// Collection must never remove what another host is about to use. The danger is a blob nothing
// references *yet*: another host stored it for a deploy whose activation has not reached this
// host's view of the registry. So every put first marks its digest `live` (a KV entry, moved by
// compare-and-swap) and a collector removes a blob only when its mark is older than the grace
// period (default 1 hour: far longer than a deploy takes from storing its bundle to its activation
// reaching every host). The removal itself is claimed: the collector moves the mark to `deleting`
// by compare-and-swap (losing to a put that marked it meanwhile), deletes the object, then clears
// the mark. A put that finds a fresh claim waits for it to finish, then stores the bytes again; one
// that finds a stale claim (a collector that died) takes over and stores them again. What remains:
// a collector paused for longer than `claimTimeoutMs` between its claim and its delete (it checks
// its own elapsed time just before deleting), and clocks more than the grace period apart.
import type { NatsConnection } from '@nats-io/transport-node';
import type { KV, KvEntry } from '@nats-io/kv';
import { Objm, type ObjectStore } from '@nats-io/obj';
import { jetstream } from '@nats-io/jetstream';
import type { ContentStore } from '../store/content-store.js';
import { sha256Hex } from '../store/digest.js';
import type { StoredEntry } from '../store/stored-entry.js';
import { apiTimeoutMs, jetstreamClientOf, kvmOf } from './jetstream-clients.js';
import { natsError } from './jetstream-errors.js';
import { isKvConflict } from './kv-conflict.js';

export interface JetStreamContentStoreOptions {
  readonly connection: NatsConnection;
  readonly replicas?: number;
  /** A blob stored (or stored again) less than this long ago is never collected. Default 1 hour. */
  readonly graceMs?: number;
  /** A removal claimed longer ago than this is taken to have died. Default 5 minutes. */
  readonly claimTimeoutMs?: number;
  /** Wall time, milliseconds (tests move it). */
  readonly now?: () => number;
}

export const contentBucket = 'wasmlet_content';
export const contentMarkBucket = 'wasmlet_content_marks';
export const defaultContentGraceMs = 60 * 60 * 1000;
const defaultClaimTimeoutMs = 5 * 60 * 1000;
const digestName = /^[0-9a-f]{64}$/;

interface Mark {
  readonly state: 'live' | 'deleting';
  /** When it was set, wall time in milliseconds. */
  readonly at: number;
}

export class JetStreamContentStore implements ContentStore {
  readonly #objects: ObjectStore;
  readonly #marks: KV;
  readonly #graceMs: number;
  readonly #claimTimeoutMs: number;
  readonly #now: () => number;
  #written = new Set<string>();

  private constructor(objects: ObjectStore, marks: KV, options: JetStreamContentStoreOptions) {
    this.#objects = objects;
    this.#marks = marks;
    this.#graceMs = options.graceMs ?? defaultContentGraceMs;
    this.#claimTimeoutMs = options.claimTimeoutMs ?? defaultClaimTimeoutMs;
    this.#now = options.now ?? Date.now;
  }

  static async open(options: JetStreamContentStoreOptions): Promise<JetStreamContentStore> {
    const replicas = options.replicas ?? 1;
    try {
      const objects = await new Objm(jetstreamClientOf(options.connection)).create(contentBucket, { replicas });
      const marks = await kvmOf(options.connection).create(contentMarkBucket, { replicas, history: 1, allow_direct: false });
      return new JetStreamContentStore(objects, marks, options);
    } catch (err) {
      throw natsError(`cannot open the content store ${contentBucket}`, err);
    }
  }

  async put(bytes: Uint8Array): Promise<string> {
    const hex = sha256Hex(bytes);
    this.#written.add(hex);
    try {
      const tookOver = await this.#markLive(hex);
      if (tookOver || !(await this.has(hex))) await this.#objects.putBlob({ name: hex }, bytes);
    } catch (err) {
      throw natsError(`cannot store blob ${hex}`, err);
    }
    return hex;
  }

  async has(hex: string): Promise<boolean> {
    return (await this.#info(hex)) !== undefined;
  }

  async get(hex: string): Promise<Uint8Array> {
    checkDigest(hex);
    let bytes: Uint8Array | null;
    try {
      bytes = await this.#objects.getBlob(hex);
    } catch (err) {
      throw natsError(`cannot read blob ${hex}`, err);
    }
    if (bytes === null) throw new Error(`content store blob ${hex} is missing from ${contentBucket}`);
    if (sha256Hex(bytes) !== hex) throw new Error(`content store blob ${hex} is corrupt`);
    // The client hands back a Buffer; callers get a plain Uint8Array, as from the file store (no copy).
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async sizeOf(hex: string): Promise<number> {
    const info = await this.#info(hex);
    if (!info) throw new Error(`content store blob ${hex} is missing from ${contentBucket}`);
    return info.size;
  }

  takeWritten(): string[] {
    const written = [...this.#written];
    this.#written = new Set();
    return written;
  }

  async entriesOf(hex: string): Promise<StoredEntry[]> {
    const info = await this.#info(hex);
    return info ? [entryOf(hex, info.size)] : [];
  }

  async inventory(): Promise<StoredEntry[]> {
    let infos: Awaited<ReturnType<ObjectStore['list']>>;
    try {
      infos = await this.#objects.list();
    } catch (err) {
      throw natsError(`cannot list ${contentBucket}`, err);
    }
    // Objects this host did not name (not a digest) are left alone, as the file store leaves other files.
    return infos.filter((info) => !info.deleted && digestName.test(info.name)).map((info) => entryOf(info.name, info.size));
  }

  /** Removes a blob unless it was stored within the grace period or another host is removing it (see the top of the file). */
  async remove(entry: StoredEntry): Promise<boolean> {
    const hex = entry.digest;
    if (hex === undefined || !digestName.test(hex)) return false;
    try {
      const current = await this.#marks.get(hex);
      const now = this.#now();
      if (!this.#removable(markOf(current), now)) return false;
      const claimedAt = performance.now();
      const claim = JSON.stringify({ state: 'deleting', at: now } satisfies Mark);
      let claimRevision: number;
      try {
        claimRevision = current ? await this.#marks.update(hex, claim, current.revision) : await this.#marks.create(hex, claim);
      } catch (err) {
        if (isKvConflict(err)) return false; // marked meanwhile (stored again, or another collector claimed it)
        throw err;
      }
      // A claim older than half its timeout may have been taken over by a put: leave the blob.
      if (performance.now() - claimedAt > this.#claimTimeoutMs / 2) return false;
      await this.#objects.delete(hex);
      // A put that took the mark over after our claim keeps it (the revision moved): it stores the blob again.
      await this.#marks.delete(hex, { previousSeq: claimRevision }).catch(() => undefined);
      return true;
    } catch (err) {
      throw natsError(`cannot remove blob ${hex}`, err);
    }
  }

  /** Whether `remove` would remove the blob now (a dry run's report): not stored within the grace period, nobody removing it. */
  async wouldRemove(entry: StoredEntry): Promise<boolean> {
    if (entry.digest === undefined || !digestName.test(entry.digest)) return false;
    try {
      return this.#removable(markOf(await this.#marks.get(entry.digest)), this.#now());
    } catch (err) {
      throw natsError(`cannot look up the mark of blob ${entry.digest}`, err);
    }
  }

  #removable(mark: Mark | undefined, now: number): boolean {
    if (mark?.state === 'live' && now - mark.at < this.#graceMs) return false; // stored a moment ago: its deploy may not be in the registry yet
    if (mark?.state === 'deleting' && now - mark.at < this.#claimTimeoutMs) return false; // another host is removing it
    return true;
  }

  /** Marks `hex` live now, waiting out a removal in progress; true when it took over from one (the object may be half gone: store it again). */
  async #markLive(hex: string): Promise<boolean> {
    const live = () => JSON.stringify({ state: 'live', at: this.#now() } satisfies Mark);
    for (;;) {
      const current = await this.#marks.get(hex);
      const mark = markOf(current);
      const removing = mark?.state === 'deleting';
      if (removing && this.#now() - mark.at < this.#claimTimeoutMs) {
        await new Promise((resolve) => setTimeout(resolve, 50)); // a collector is deleting it right now: store it after
        continue;
      }
      try {
        if (current) await this.#marks.update(hex, live(), current.revision);
        else await this.#marks.create(hex, live());
        return removing;
      } catch (err) {
        if (!isKvConflict(err)) throw err;
        // Another put or a collector moved the mark first: look again.
      }
    }
  }

  async #info(hex: string) {
    checkDigest(hex);
    try {
      const info = await this.#objects.info(hex);
      return info && !info.deleted ? info : undefined;
    } catch (err) {
      throw natsError(`cannot look up blob ${hex}`, err);
    }
  }
}

function checkDigest(hex: string): void {
  if (!digestName.test(hex)) throw new Error(`not a sha256 hex digest: ${hex}`);
}

function entryOf(hex: string, bytes: number): StoredEntry {
  return { kind: 'blob', path: `nats-object://${contentBucket}/${hex}`, digest: hex, bytes };
}

function markOf(entry: KvEntry | null): Mark | undefined {
  if (!entry || entry.operation !== 'PUT') return undefined;
  try {
    return entry.json<Mark>();
  } catch {
    return undefined; // not a mark this host wrote: as if there were none
  }
}
