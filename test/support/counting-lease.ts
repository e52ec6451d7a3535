// Memory leases that watch the core instances created through them: how the fold tests tell one
// folded instance from the glue's four, and how the direct-path tests read an instance's memory.
import type { MemoryLease } from '../../src/runtime/memory-pool.js';

/** `lease`, telling `onInstance` of every core instance made with it. */
export function watchingLease(lease: MemoryLease, onInstance: (instance: WebAssembly.Instance) => void): MemoryLease {
  return {
    instantiateCore: (module, imports) => {
      const instance = lease.instantiateCore(module, imports);
      onInstance(instance);
      return instance;
    },
    memoryFor: (module) => lease.memoryFor(module),
    get recycled() {
      return lease.recycled;
    },
    get created() {
      return lease.created;
    },
    release: () => lease.release(),
  };
}

export function countingLease(lease: MemoryLease): { lease: MemoryLease; instances: () => number } {
  let instances = 0;
  return { instances: () => instances, lease: watchingLease(lease, () => instances++) };
}
