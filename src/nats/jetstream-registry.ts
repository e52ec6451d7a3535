// The Registry port on a JetStream KV bucket shared by every host (`serve --nats`): one entry per
// function, key = its name, value = the same JSON as the file backend's `<name>.json`. A change
// reads the latest entry, edits it and writes it back by compare-and-swap on its revision (another
// host's write in between makes it read and edit again), so concurrent deploys on two hosts each
// become a version and none is lost. Every host watches the bucket: another host's change is
// applied to this host's view as it arrives (well under a second on a healthy cluster) and told to
// `onChange` listeners as `elsewhere`; the host then updates its routes and triggers exactly as
// after a deploy of its own. Changes to one function are atomic; nothing spans two functions (two
// hosts may, at the same instant, give one route to two functions: the first deploy after either
// sees the conflict).
import type { NatsConnection } from '@nats-io/transport-node';
import type { KV, KvEntry } from '@nats-io/kv';
import { WasmletError } from '../errors/wasmlet-error.js';
import { functionNamePattern } from '../manifest/manifest-bounds.js';
import { digestsOf, parseFunctionFile, serializeFunctionFile, type FunctionRecord } from '../registry/function-file.js';
import { quarantinedError, RecordRegistry, type EditOf } from '../registry/record-registry.js';
import { kvmOf } from './jetstream-clients.js';
import { natsError } from './jetstream-errors.js';
import { isKvConflict } from './kv-conflict.js';

export interface JetStreamRegistryOptions {
  readonly connection: NatsConnection;
  /** Replicas of the bucket: 3 on a 3-node cluster. */
  readonly replicas?: number;
  /** Where a failure of the watch is reported. */
  readonly log?: (line: string) => void;
}

export const registryBucket = 'wasmlet_functions';
/** How long `open` waits for the bucket's current entries before refusing to start. */
const initialLoadMs = 60_000;
/** How often a host checks that its watch has not fallen behind the bucket. */
const watchCheckMs = 1_000;
/** Compare-and-swap attempts before a change gives up: only a storm of writes to one function gets there. */
const maxAttempts = 100;

export class JetStreamRegistry extends RecordRegistry {
  readonly #connection: NatsConnection;
  readonly #kv: KV;
  readonly #log: (line: string) => void;
  /** The largest entry the server takes (its max_payload, less room for headers). */
  #maxValueBytes = 1024 * 1024 - 1024;
  /** The revision of each function's entry the view reflects: older arrivals are ignored. */
  readonly #revisions = new Map<string, number>();
  /** The highest revision the watch delivered: where the initial entries end, where a new watch resumes. */
  #highest = 0;
  /** Writes of this host in flight, by function, and the watch's entries for those functions held until they end. */
  readonly #writing = new Map<string, number>();
  readonly #deferred = new Map<string, KvEntry[]>();
  #watch: { stop(): void } | undefined;
  #watching: Promise<void> = Promise.resolve();
  #closed = false;
  /** The periodic look for a watch fallen behind (`#keepWatching`), and whether one is under way. */
  #timer: NodeJS.Timeout | undefined;
  #checking = false;

  private constructor(connection: NatsConnection, kv: KV, log: (line: string) => void) {
    super();
    this.#connection = connection;
    this.#kv = kv;
    this.#log = log;
  }

  /** Opens (creating it on first use) the bucket and returns once this host's view holds every function stored when it opened. */
  static async open(options: JetStreamRegistryOptions): Promise<JetStreamRegistry> {
    const log = options.log ?? (() => {});
    let kv: KV;
    try {
      kv = await kvmOf(options.connection).create(registryBucket, { replicas: options.replicas ?? 1, history: 1, allow_direct: false });
    } catch (err) {
      throw natsError(`cannot open the registry bucket ${registryBucket}`, err);
    }
    const registry = new JetStreamRegistry(options.connection, kv, log);
    const maxPayload = options.connection.info?.max_payload;
    if (maxPayload !== undefined) registry.#maxValueBytes = maxPayload - 1024; // headroom for the headers
    await registry.#startWatch();
    return registry;
  }

  override async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#watch?.stop();
    await this.#watching;
  }

  protected whereIs(name: string): string {
    return `NATS KV ${registryBucket}/${name}`;
  }

  protected async commit<T>(name: string, edit: EditOf<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const entry = await this.#kv.get(name).catch((err: unknown) => {
        throw natsError(`cannot read ${name} from the registry`, err);
      });
      // The view catches up with what was read (another host's change not yet arrived by the watch).
      if (entry) this.#received(entry);
      const current = entry && entry.operation === 'PUT' ? this.#recordOf(name, entry) : undefined;
      const decided = edit(current);
      if (decided.kind === 'keep') return decided.value();
      // While this host's write is on its way, the watch's entries for the function wait: the write
      // is told as `here` once acknowledged, whether or not the watch brought it back first.
      this.#writing.set(name, (this.#writing.get(name) ?? 0) + 1);
      try {
        if (decided.record === undefined) {
          if (!entry || entry.operation !== 'PUT') return decided.value();
          await this.#kv.delete(name, { previousSeq: entry.revision });
          this.#applyStored(name, undefined, entry.revision + 1);
        } else {
          const json = serializeFunctionFile(decided.record);
          if (Buffer.byteLength(json) > this.#maxValueBytes) {
            throw new WasmletError('registry_record_too_large', `the registry record of ${name} would be ${Buffer.byteLength(json)} bytes; NATS takes at most ${this.#maxValueBytes} in one entry (delete published versions, or raise max_payload)`, { name });
          }
          const revision = entry ? await this.#kv.update(name, json, entry.revision) : await this.#kv.create(name, json);
          this.#applyStored(name, decided.record, revision);
        }
        return decided.value();
      } catch (err) {
        if (err instanceof WasmletError) throw err;
        if (isKvConflict(err) && attempt < maxAttempts) continue; // another host wrote it first: read and edit again
        throw natsError(`cannot store ${name} in the registry`, err);
      } finally {
        this.#writeDone(name);
      }
    }
  }

  protected async erase(name: string): Promise<void> {
    try {
      await this.#kv.purge(name);
    } catch (err) {
      throw natsError(`cannot remove ${name} from the registry`, err);
    }
  }

  /** An entry read for an edit: its record, or refused as quarantined when it does not parse. */
  #recordOf(name: string, entry: KvEntry): FunctionRecord {
    const read = parseFunctionFile(name, entry.string());
    if (read.kind === 'damaged') throw quarantinedError({ name, file: this.whereIs(name), reason: read.reason });
    return read.record;
  }

  /** What this host wrote, at `revision`: applied now unless the watch already brought it (or something newer). */
  #applyStored(name: string, record: FunctionRecord | undefined, revision: number): void {
    if ((this.#revisions.get(name) ?? 0) >= revision) return;
    this.#revisions.set(name, revision);
    this.applyHere(name, record);
  }

  /** One write of this host to `name` ended: what the watch brought meanwhile is applied now (another host's write that won, if any). */
  #writeDone(name: string): void {
    const left = (this.#writing.get(name) ?? 1) - 1;
    if (left > 0) {
      this.#writing.set(name, left);
      return;
    }
    this.#writing.delete(name);
    const deferred = this.#deferred.get(name);
    this.#deferred.delete(name);
    for (const entry of deferred ?? []) this.#received(entry);
  }

  /** An entry from the watch: held while this host writes the same function, applied otherwise. */
  #watched(entry: KvEntry): void {
    this.#highest = Math.max(this.#highest, entry.revision);
    if (this.#writing.has(entry.key)) {
      this.#deferred.set(entry.key, [...(this.#deferred.get(entry.key) ?? []), entry]);
      return;
    }
    this.#received(entry);
  }

  /** An entry from the watch or read for an edit: applied when newer than what the view holds. */
  #received(entry: KvEntry): void {
    const name = entry.key;
    if ((this.#revisions.get(name) ?? 0) >= entry.revision) return;
    this.#revisions.set(name, entry.revision);
    if (entry.operation !== 'PUT') {
      this.applyElsewhere(name, undefined);
      return;
    }
    const text = entry.string();
    if (!functionNamePattern.test(name)) {
      this.quarantineElsewhere(name, 'the key is not a function name', digestsOf(text));
      return;
    }
    const read = parseFunctionFile(name, text);
    if (read.kind === 'record') this.applyElsewhere(name, read.record);
    else this.quarantineElsewhere(name, read.reason, read.digests);
  }

  /** Watches the bucket (its current entries first, then every change) and waits for the entries that exist now. */
  async #startWatch(): Promise<void> {
    let lastRevision: number;
    try {
      lastRevision = (await this.#kv.status()).streamInfo.state.last_seq;
      await this.#consume(await this.#kv.watch());
    } catch (err) {
      throw natsError(`cannot watch the registry bucket ${registryBucket}`, err);
    }
    // The entry at the stream's last sequence is the latest of its key, so the watch delivers it.
    const deadline = Date.now() + initialLoadMs;
    while (this.#highest < lastRevision) {
      if (Date.now() > deadline) {
        this.#watch?.stop();
        throw new WasmletError('nats_unavailable', `the registry bucket ${registryBucket} did not deliver its entries within ${initialLoadMs / 1000} s (${this.#highest} of ${lastRevision})`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    this.#keepWatching();
  }

  /** Feeds `watch`'s entries to the view until it stops. */
  async #consume(watch: Awaited<ReturnType<KV['watch']>>): Promise<void> {
    this.#watch = watch;
    const consuming = (async () => {
      try {
        for await (const entry of watch) {
          try {
            this.#watched(entry);
          } catch (err) {
            this.#log(`registry: could not apply ${entry.key} (revision ${entry.revision}): ${(err as Error).message}`);
          }
        }
      } catch (err) {
        if (!this.#closed && this.#watch === watch) this.#log(`registry: the watch of ${registryBucket} failed: ${(err as Error).message}`);
      }
    })();
    const before = this.#watching;
    this.#watching = Promise.all([before, consuming]).then(() => undefined);
  }

  /**
   * The client recreates its watch consumer by itself, but only after two missed heartbeats (a
   * minute) when the server holding it dies. So this host looks: after the connection comes back,
   * and every `watchCheckMs`, it compares the bucket's last revision with what it has applied; still
   * behind on the next look (nothing arrived meanwhile), it watches again from the next revision.
   */
  #keepWatching(): void {
    let behind: number | undefined;
    const check = async () => {
      if (this.#closed || this.#checking) return;
      this.#checking = true;
      try {
        const last = (await this.#kv.status()).streamInfo.state.last_seq;
        if (last <= this.#highest) behind = undefined;
        else if (behind === undefined || this.#highest > behind) behind = this.#highest;
        else await this.#rewatch(`revision ${last} stored, ${this.#highest} applied`);
      } catch {
        // NATS unreachable: the next look tries again.
      } finally {
        this.#checking = false;
      }
    };
    this.#timer = setInterval(() => void check(), watchCheckMs);
    this.#timer.unref();
    void (async () => {
      for await (const status of this.#connection.status()) {
        if (this.#closed) return;
        if (status.type === 'reconnect') behind = this.#highest; // the next look rewatches if nothing arrives
      }
    })().catch(() => undefined);
  }

  async #rewatch(reason: string): Promise<void> {
    if (this.#closed) return;
    const old = this.#watch;
    const resumeFromRevision = this.#highest + 1;
    const watch = await this.#kv.watch({ resumeFromRevision });
    this.#watch = watch;
    old?.stop();
    this.#log(`registry: watching ${registryBucket} again from revision ${resumeFromRevision} (${reason})`);
    await this.#consume(watch);
  }
}
