// Recycled linear memories for one loaded code version in one guest worker. A fresh instance gets a
// memory from the free list (or a new one) through jco's `instantiateCore` hook; after the
// invocation the memory is zeroed (memory-clearing.ts) and goes back. Zero is the exact state before instantiation:
// active data segments and `_initialize` run again in every instance, so nothing an invocation
// wrote can reach the next one. A memory that grew is discarded, because a memory cannot shrink
// and the next instance must start at the size the module declares.
// Why: a fresh memory costs mmap, first-touch page faults and a GC to release it
// (shared/notes/host-performance.md); clearing a recycled one costs a read of it and a write of the
// blocks the guest wrote (bench/README.md, "Clearing a recycled memory").
import { hostMemoryModule, hostMemoryName, type MemoryLimits } from '../wasm/import-memory.js';
import { wasmPageBytes } from '../wasm/limit-memory.js';
import { defaultMemoryClearing, type MemoryClearing } from './memory-clearing.js';

/**
 * Idle memories kept per rewritten module. A worker runs one invocation at a time and releases its
 * memories before the next starts, so one is reused over and over.
 */
export const maxIdleMemoriesPerModule = 1;
/**
 * Larger memories are not recycled. Clearing reads the whole size after every call, a fresh memory
 * costs only the pages the guest touches; measured here (with fill(0), which writes the whole size:
 * the dirty-block scan that replaced it reads untouched pages from the cache): 9 MiB ≈ 0.1 ms, 16 MiB ≈ 0.3 ms,
 * 32 MiB ≈ 0.8–1.0 ms, 128 MiB ≈ 2.6 ms, against a new memory's 60–120 µs plus ~12 µs per 4 KiB page
 * first touched. At 16 MiB, zeroing still costs less than a guest touching 1 MiB of a fresh memory.
 */
export const maxRecycledMemoryBytes = 16 * 1024 * 1024;
/**
 * Idle memory one worker may hold across all its loaded functions. A recycled memory keeps resident
 * every page a guest ever wrote (the clearing leaves untouched pages unmapped); this bounds the RSS
 * recycling adds to a worker, counting every page.
 */
export const maxIdleBytesPerWorker = 256 * 1024 * 1024;

type InstantiateCore = (module: WebAssembly.Module, imports?: WebAssembly.Imports) => WebAssembly.Instance;

/** Idle bytes of every pool in one worker; shared so that many loaded functions stay within one bound. */
export class IdleMemoryBudget {
  #usedBytes = 0;
  constructor(readonly maxBytes = maxIdleBytesPerWorker) {}
  get usedBytes(): number {
    return this.#usedBytes;
  }
  tryReserve(bytes: number): boolean {
    if (this.#usedBytes + bytes > this.maxBytes) return false;
    this.#usedBytes += bytes;
    return true;
  }
  refund(bytes: number): void {
    this.#usedBytes -= bytes;
  }
}

/** What the pool did since it was created; tests and the bench read it. */
export interface MemoryPoolStats {
  /** Memories created because none was idle. */
  created: number;
  /** Memories taken from the free list. */
  recycled: number;
  /** Memories dropped after use: grew, too large, free list full, or over the worker's budget. */
  discarded: number;
}

export class MemoryPool {
  readonly #limits: ReadonlyMap<WebAssembly.Module, MemoryLimits>;
  readonly #idle = new Map<WebAssembly.Module, WebAssembly.Memory[]>();
  readonly #budget: IdleMemoryBudget;
  readonly #clearing: MemoryClearing;
  readonly stats: MemoryPoolStats = { created: 0, recycled: 0, discarded: 0 };

  /**
   * `limits`: the modules rewritten by wasm/import-memory.ts, with the limits their memory import requires.
   * `clearing`: how a released memory is returned to zero (memory-clearing.ts); the bench compares them.
   */
  constructor(limits: ReadonlyMap<WebAssembly.Module, MemoryLimits>, budget: IdleMemoryBudget, clearing: MemoryClearing = defaultMemoryClearing) {
    this.#limits = limits;
    this.#budget = budget;
    this.#clearing = clearing;
  }

  /** A pool for compiled code: `memories` names the rewritten modules in `modules`. */
  static forModules(
    modules: Readonly<Record<string, WebAssembly.Module>>,
    memories: Readonly<Record<string, MemoryLimits>>,
    budget: IdleMemoryBudget,
    clearing: MemoryClearing = defaultMemoryClearing,
  ): MemoryPool {
    const limits = new Map<WebAssembly.Module, MemoryLimits>();
    for (const [name, memory] of Object.entries(memories)) {
      const module = modules[name];
      if (module) limits.set(module, memory);
    }
    return new MemoryPool(limits, budget, clearing);
  }

  /** The memories of one invocation: pass `lease.instantiateCore` to the glue, `release()` when done. */
  lease(): MemoryLease {
    return new PoolLease(this.#source);
  }

  /** What a lease reaches of this pool; built once, so that a lease allocates at most one closure (`instantiateCore`). */
  readonly #source: LeaseSource = {
    limits: (module) => this.#limits.get(module),
    take: (module, limits) => {
      const idle = this.#idle.get(module)?.pop();
      if (!idle) {
        this.stats.created++;
        return newMemory(limits);
      }
      this.#budget.refund(idle.buffer.byteLength);
      this.stats.recycled++;
      return idle;
    },
    give: (module, memory) => this.#give(module, memory),
    recycledTotal: () => this.stats.recycled,
  };

  /** Lets go of every idle memory (the code was evicted from the worker). */
  drain(): void {
    for (const list of this.#idle.values()) for (const memory of list) this.#budget.refund(memory.buffer.byteLength);
    this.#idle.clear();
  }

  /** Zeroes `memory` and keeps it, or drops it. */
  #give(module: WebAssembly.Module, memory: WebAssembly.Memory): void {
    const bytes = this.#limits.get(module)!.initialPages * wasmPageBytes;
    const idle = this.#idle.get(module) ?? [];
    const keep =
      this.#clearing.recycles &&
      memory.buffer.byteLength === bytes && // it did not grow
      bytes <= maxRecycledMemoryBytes &&
      idle.length < maxIdleMemoriesPerModule &&
      this.#budget.tryReserve(bytes);
    if (!keep) {
      this.stats.discarded++;
      return;
    }
    // Every byte, whatever the guest did (a trap included): a memory's whole state is its bytes and
    // its size, so after this it is indistinguishable from a new one.
    this.#clearing.clear(memory);
    idle.push(memory);
    this.#idle.set(module, idle);
  }
}

/** The memories one invocation took; each goes back to the pool (zeroed) or away on `release()`. */
export interface MemoryLease {
  /** jco's `instantiateCore` hook: a rewritten module gets its memory import here, others pass through. */
  readonly instantiateCore: InstantiateCore;
  /**
   * The memory the next `instantiateCore` of `module` will be given, taken now: a folded component's
   * glue keeps its main memory before the one core instance exists (runtime/folded-instantiation.ts).
   */
  memoryFor(module: WebAssembly.Module): WebAssembly.Memory;
  /** Memories this invocation got from the free list. */
  readonly recycled: number;
  /** Memories created for this invocation. */
  readonly created: number;
  /** Call once the invocation's result has left the worker: nothing may read the memories afterwards. Idempotent. */
  release(): void;
}

interface LeaseSource {
  limits(module: WebAssembly.Module): MemoryLimits | undefined;
  /** An idle memory (counted in `recycledTotal`) or a new one. */
  take(module: WebAssembly.Module, limits: MemoryLimits): WebAssembly.Memory;
  recycledTotal(): number;
  give(module: WebAssembly.Module, memory: WebAssembly.Memory): void;
}

/** One per invocation, on the worker's hot path: a class, not a bag of closures (fewer allocations, less GC). */
class PoolLease implements MemoryLease {
  readonly #source: LeaseSource;
  /** module, memory, module, memory, …: what this lease took, in order. */
  readonly #taken: (WebAssembly.Module | WebAssembly.Memory)[] = [];
  /** Memories taken ahead of their module's instantiation (`memoryFor`), by module. */
  #early: Map<WebAssembly.Module, WebAssembly.Memory> | undefined;
  #released = false;
  #recycled = 0;
  #instantiateCore: InstantiateCore | undefined;

  constructor(source: LeaseSource) {
    this.#source = source;
  }

  /** Bound on first use: the glue calls it detached. */
  get instantiateCore(): InstantiateCore {
    return (this.#instantiateCore ??= (module, imports) => this.#instantiate(module, imports));
  }

  memoryFor(module: WebAssembly.Module): WebAssembly.Memory {
    const limits = this.#source.limits(module);
    if (!limits) throw new Error('memoryFor: the module does not import its memory from the host (host bug)');
    let memory = this.#early?.get(module);
    if (!memory) (this.#early ??= new Map()).set(module, (memory = this.#take(module, limits)));
    return memory;
  }

  get recycled(): number {
    return this.#recycled;
  }

  get created(): number {
    return this.#taken.length / 2 - this.#recycled;
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    const taken = this.#taken;
    for (let i = 0; i < taken.length; i += 2) this.#source.give(taken[i] as WebAssembly.Module, taken[i + 1] as WebAssembly.Memory);
  }

  #instantiate(module: WebAssembly.Module, imports: WebAssembly.Imports = {}): WebAssembly.Instance {
    const limits = this.#source.limits(module);
    if (!limits) return new WebAssembly.Instance(module, imports);
    let memory = this.#early?.get(module);
    if (memory) this.#early!.delete(module);
    else memory = this.#take(module, limits);
    return new WebAssembly.Instance(module, { ...imports, [hostMemoryModule]: { [hostMemoryName]: memory } });
  }

  #take(module: WebAssembly.Module, limits: MemoryLimits): WebAssembly.Memory {
    if (this.#released) throw new Error('a memory lease was used after its release (host bug)');
    const recycledBefore = this.#source.recycledTotal();
    const memory = this.#source.take(module, limits);
    this.#taken.push(module, memory);
    if (this.#source.recycledTotal() > recycledBefore) this.#recycled++;
    return memory;
  }
}

function newMemory(limits: MemoryLimits): WebAssembly.Memory {
  const descriptor: WebAssembly.MemoryDescriptor = { initial: limits.initialPages };
  if (limits.maximumPages !== undefined) descriptor.maximum = limits.maximumPages;
  return new WebAssembly.Memory(descriptor);
}
