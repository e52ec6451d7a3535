// The JetStream object store's records (jetstream-object-records.ts) in the KV bucket
// `wasmlet_object_meta`: read with the revision a compare-and-swap needs, read many at once, written
// by compare-and-swap, listed by key filter; and what a failed JetStream call becomes (`natsCall`).
import type { KV, KvEntry } from '@nats-io/kv';
import { ObjectError } from '../objects/object-error.js';
import { apiTimeoutMs } from './jetstream-clients.js';
import { natsError } from './jetstream-errors.js';
import { isKvConflict } from './kv-conflict.js';

/** A record read with the revision to compare-and-swap against (0: never written; a deleted key keeps its delete marker's). */
export interface Versioned<T> {
  readonly value: T | undefined;
  readonly revision: number;
}

/** Records fetched at once when a listing or the usage reads many. */
const readConcurrency = 64;

export class JetStreamObjectMeta {
  /** The bucket itself, for what is not a read or a write by compare-and-swap (deletes, plain puts). */
  readonly kv: KV;

  constructor(kv: KV) {
    this.kv = kv;
  }

  async read<T>(kvKey: string): Promise<Versioned<T>> {
    const entry = await natsCall('read the object store', () => this.kv.get(kvKey));
    return { value: valueOf<T>(entry), revision: entry?.revision ?? 0 };
  }

  async readMany<T>(kvKeys: readonly string[]): Promise<Array<T | undefined>> {
    const values: Array<T | undefined> = [];
    for (let i = 0; i < kvKeys.length; i += readConcurrency) {
      const batch = await Promise.all(kvKeys.slice(i, i + readConcurrency).map((k) => this.read<T>(k)));
      values.push(...batch.map((v) => v.value));
    }
    return values;
  }

  /** Writes by compare-and-swap on `revision` (0: the key must never have been written); the new revision. */
  async write(kvKey: string, value: unknown, revision: number): Promise<number> {
    const data = JSON.stringify(value);
    return natsCall('write the object store', () => (revision === 0 ? this.kv.create(kvKey, data) : this.kv.update(kvKey, data, revision)));
  }

  /** The live keys under `filter`; a listing that stalls (its consumer lost) fails after the API timeout instead of hanging the request. */
  async keys(filter: string): Promise<string[]> {
    return natsCall('list the object store', async () => {
      const keys: string[] = [];
      const iterator = await this.kv.keys(filter);
      let timer: NodeJS.Timeout | undefined;
      const stalled = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          iterator.stop();
          reject(new Error(`listing ${filter} did not finish within ${apiTimeoutMs} ms`));
        }, apiTimeoutMs);
      });
      try {
        await Promise.race([(async () => { for await (const key of iterator) keys.push(key); })(), stalled]);
      } finally {
        clearTimeout(timer);
      }
      return keys;
    });
  }
}

/** Runs a JetStream call; a compare-and-swap conflict and the store's own errors pass as they are, anything else is `nats_unavailable`. */
export async function natsCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ObjectError || isKvConflict(err)) throw err;
    throw natsError(`cannot ${what}`, err);
  }
}

function valueOf<T>(entry: KvEntry | null): T | undefined {
  if (!entry || entry.operation !== 'PUT') return undefined;
  return entry.json<T>();
}
