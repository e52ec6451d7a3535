// The InvocationStore on JetStream: records and idempotency keys in a KV bucket whose TTL is the
// retention (a record untouched for 24 h goes, as in the embedded store), the event on the
// function's async queue (a JetStream queue) under the invocation id as its Nats-Msg-Id. Any host
// reads an invocation submitted on any other.
//
// Not one transaction: submit creates the key, then the record, then publishes the event; update
// writes the record, then settles the event. A crash between leaves a record ahead of its queue
// (repaired at the next submit of the same key; an update is re-run with the redelivered event), never
// an event without a record.
import { createHash } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { systemClock, type Clock } from '../queue/clock.js';
import { newMessageId } from '../queue/queue-input.js';
import { asyncQueueName } from '../queue/queue-names.js';
import type { QueueStore, Settlement } from '../queue/queue-store.js';
import {
  checkIdempotencyKey, idempotencyKeyReused, invocationRetentionMs, requestDigest,
  type AsyncSubmission, type InvocationListQuery, type InvocationRecord, type InvocationState, type InvocationStore, type InvocationUpdate,
} from '../async/invocation-records.js';
import { kvmOf, managerOf } from './jetstream-clients.js';

export interface JetStreamInvocationStoreOptions {
  readonly connection: NatsConnection;
  /** The JetStream queue store the events go to (the same cluster). */
  readonly queues: QueueStore;
  readonly clock?: Clock;
  readonly replicas?: number;
}

interface StoredRecord {
  readonly id: string;
  readonly function: string;
  readonly state: InvocationState;
  readonly attempts: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly lastError: string | null;
  readonly status: number | null;
}

export const invocationBucket = 'wasmlet_invocations';
/** Tries at claiming an idempotency key whose create failed and whose read saw nothing (about 1.5 s in all). */
const claimAttempts = 8;
const claimRetryMs = 40;

export class JetStreamInvocationStore implements InvocationStore {
  readonly #nc: NatsConnection;
  readonly #queues: QueueStore;
  readonly #clock: Clock;
  readonly #replicas: number;
  #bucket: Promise<KV> | undefined;
  #jsm: Promise<JetStreamManager> | undefined;

  constructor(options: JetStreamInvocationStoreOptions) {
    this.#nc = options.connection;
    this.#queues = options.queues;
    this.#clock = options.clock ?? systemClock;
    this.#replicas = options.replicas ?? 1;
  }

  async submit(submission: AsyncSubmission): Promise<{ readonly id: string; readonly duplicate: boolean }> {
    const { functionName, payload, contentType, idempotencyKey } = submission;
    checkIdempotencyKey(idempotencyKey);
    const kv = await this.#kv();
    const now = this.#clock.now();
    const id = newMessageId(now);
    if (idempotencyKey !== undefined) {
      const digest = requestDigest(payload, contentType);
      const keyName = idempotencyKeyName(functionName, idempotencyKey);
      const first = await this.#claimKey(kv, keyName, JSON.stringify({ id, digest }));
      if (first !== 'claimed') {
        if (first.digest !== digest) throw idempotencyKeyReused(functionName, idempotencyKey, first.id);
        // The first submit may have died before recording or queuing: finish it (the event's id dedupes).
        if ((await kv.get(recordKey(first.id)))?.operation !== 'PUT') await this.#recordAndQueue(kv, first.id, submission, now);
        return { id: first.id, duplicate: true };
      }
    }
    await this.#recordAndQueue(kv, id, submission, now);
    return { id, duplicate: false };
  }

  /**
   * Creates the idempotency key, or reads the submission that holds it. A bucket with replicas
   * answers reads from any of them (direct get), so right after another host's create a read may
   * not see it yet: the read is retried for a while before the claim is tried again.
   */
  async #claimKey(kv: KV, keyName: string, value: string): Promise<'claimed' | { id: string; digest: string }> {
    let lastError: unknown;
    for (let attempt = 0; attempt < claimAttempts; attempt++) {
      try {
        await kv.create(keyName, value);
        return 'claimed';
      } catch (err) {
        lastError = err;
      }
      const existing = await kv.get(keyName);
      if (existing && existing.operation === 'PUT') return existing.json() as { id: string; digest: string };
      await new Promise((resolve) => setTimeout(resolve, claimRetryMs * (attempt + 1)));
    }
    throw new Error(`idempotency key ${keyName}: neither created nor readable after ${claimAttempts} tries: ${(lastError as Error)?.message ?? lastError}`);
  }

  async get(id: string): Promise<InvocationRecord | undefined> {
    if (!/^[A-Za-z0-9-]{1,64}$/.test(id)) return undefined;
    const entry = await (await this.#kv()).get(recordKey(id));
    return entry && entry.operation === 'PUT' ? toRecord(entry.json() as StoredRecord) : undefined;
  }

  /** Reads every kept record (a console query or a metrics scrape, not a hot path): fine for a day of invocations, not for millions. */
  async list(query: InvocationListQuery): Promise<InvocationRecord[]> {
    const kv = await this.#kv();
    const records: StoredRecord[] = [];
    // The keys from the bucket stream's subject list: one request, where kv.keys() would leave an ephemeral consumer per call.
    this.#jsm ??= managerOf(this.#nc);
    const prefix = `$KV.${invocationBucket}.`;
    const info = await (await this.#jsm).streams.info(`KV_${invocationBucket}`, { subjects_filter: `${prefix}rec.>` });
    for (const subject of Object.keys(info.state.subjects ?? {})) {
      const entry = await kv.get(subject.slice(prefix.length));
      if (entry && entry.operation === 'PUT') records.push(entry.json() as StoredRecord);
    }
    return records
      .filter((r) => query.state === undefined || r.state === query.state)
      .sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? 1 : -1))
      .slice(0, query.limit)
      .map(toRecord);
  }

  /** How many kept records are in each state (a metrics scrape): reads every record. */
  async countByState(): Promise<Record<InvocationState, number>> {
    const counts: Record<InvocationState, number> = { queued: 0, retrying: 0, succeeded: 0, failed: 0, expired: 0 };
    for (const record of await this.list({ limit: Number.MAX_SAFE_INTEGER })) counts[record.state]++;
    return counts;
  }

  /** The record first, then the event's settlement: a crash between redelivers the event, never loses the record's news. */
  async update(id: string, update: InvocationUpdate, queue: string, settlement: Settlement): Promise<void> {
    const kv = await this.#kv();
    const entry = await kv.get(recordKey(id));
    const previous = entry && entry.operation === 'PUT' ? (entry.json() as StoredRecord) : undefined;
    const now = this.#clock.now();
    const record: StoredRecord = {
      id,
      function: previous?.function ?? '',
      state: update.state,
      attempts: update.attempts,
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
      lastError: update.lastError,
      status: update.status,
    };
    await kv.put(recordKey(id), JSON.stringify(record));
    await this.#queues.settle(queue, settlement);
  }

  async #recordAndQueue(kv: KV, id: string, submission: AsyncSubmission, now: number): Promise<void> {
    const record: StoredRecord = { id, function: submission.functionName, state: 'queued', attempts: 0, createdAt: now, updatedAt: now, lastError: null, status: null };
    await kv.put(recordKey(id), JSON.stringify(record));
    await this.#queues.send(asyncQueueName(submission.functionName), [{
      id, body: submission.payload, attributes: { ...submission.attributes, 'content-type': submission.contentType },
    }]);
  }

  #kv(): Promise<KV> {
    // No direct gets: they may be answered by a replica that has not seen this host's last write yet.
    this.#bucket ??= kvmOf(this.#nc).create(invocationBucket, { replicas: this.#replicas, ttl: invocationRetentionMs, history: 1, allow_direct: false });
    this.#bucket.catch(() => (this.#bucket = undefined));
    return this.#bucket;
  }
}

function recordKey(id: string): string {
  return `rec.${id}`;
}

/** KV keys allow few characters: the function and the key, hashed. */
function idempotencyKeyName(functionName: string, key: string): string {
  return `key.${createHash('sha256').update(functionName).update('\0').update(key).digest('hex')}`;
}

function toRecord(r: StoredRecord): InvocationRecord {
  return {
    id: r.id,
    function: r.function,
    state: r.state,
    attempts: r.attempts,
    createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
    lastError: r.lastError,
    status: r.status,
  };
}
