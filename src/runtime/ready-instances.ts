// The instances one guest worker keeps between invocations (runtime/instance-policy.ts): at most one
// per function, for its most recently used functions, each dropped when too old. Dropping an
// instance releases its memories, which go back (zeroed) to the function's memory pool.
import type { InstanceGrants } from '../capabilities/instance-imports.js';
import { maxReadyInstanceAgeMs, maxReadyInstancesPerWorker, sameGrants } from './instance-policy.js';
import type { LiveInstance } from './run-invocation.js';

export interface ReadyInstance {
  readonly instance: LiveInstance;
  readonly codeKey: string;
  /** The grants its imports were built with. */
  readonly grants: InstanceGrants;
  /** `performance.now()` when it was instantiated. */
  readonly createdAt: number;
}

export interface ReadyInstancesOptions {
  readonly maxInstances?: number;
  readonly maxAgeMs?: number;
  /** Injected clock (ms), for tests. */
  readonly now?: () => number;
}

export class ReadyInstances {
  /** Insertion order is recency: `take` removes, `keep` appends. */
  readonly #entries = new Map<string, ReadyInstance>();
  readonly #maxInstances: number;
  readonly #maxAgeMs: number;
  readonly #now: () => number;

  constructor(options: ReadyInstancesOptions = {}) {
    this.#maxInstances = options.maxInstances ?? maxReadyInstancesPerWorker;
    this.#maxAgeMs = options.maxAgeMs ?? maxReadyInstanceAgeMs;
    this.#now = options.now ?? (() => performance.now());
  }

  get size(): number {
    return this.#entries.size;
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** The instance kept under `key`, removed from the set, if it is young enough and was built with the same grants. */
  take(key: string, grants: InstanceGrants): ReadyInstance | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (this.#now() - entry.createdAt > this.#maxAgeMs || !sameGrants(entry.grants, grants)) {
      drop(entry);
      return undefined;
    }
    return entry;
  }

  /** Keeps `entry` as the most recent; drops whatever it replaces and the least recent beyond the bound. */
  keep(key: string, entry: ReadyInstance): void {
    const previous = this.#entries.get(key);
    if (previous && previous !== entry) drop(previous);
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    for (const [oldest, old] of this.#entries) {
      if (this.#entries.size <= this.#maxInstances) break;
      this.#entries.delete(oldest);
      drop(old);
    }
  }

  /** Drops every instance of `codeKey` (the worker is evicting that code). */
  dropCode(codeKey: string): void {
    for (const [key, entry] of this.#entries) {
      if (entry.codeKey !== codeKey) continue;
      this.#entries.delete(key);
      drop(entry);
    }
  }

  /** Drops instances past their age. */
  sweep(): void {
    const now = this.#now();
    for (const [key, entry] of this.#entries) {
      if (now - entry.createdAt <= this.#maxAgeMs) continue;
      this.#entries.delete(key);
      drop(entry);
    }
  }
}

function drop(entry: ReadyInstance): void {
  entry.instance.memories.release();
}
