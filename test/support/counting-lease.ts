// A memory lease that counts the core instances created through it: how the fold tests tell one
// folded instance from the glue's four.
import type { MemoryLease } from '../../src/runtime/memory-pool.js';

export function countingLease(lease: MemoryLease): { lease: MemoryLease; instances: () => number } {
  let instances = 0;
  return {
    instances: () => instances,
    lease: {
      instantiateCore: (module, imports) => {
        instances++;
        return lease.instantiateCore(module, imports);
      },
      memoryFor: (module) => lease.memoryFor(module),
      get recycled() {
        return lease.recycled;
      },
      get created() {
        return lease.created;
      },
      release: () => lease.release(),
    },
  };
}
