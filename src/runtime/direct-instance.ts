// The direct path: a folded component (compile/fold-core-modules.ts) whose imports the host lowers
// itself (runtime/direct-plan.ts) is one `new WebAssembly.Instance` over the pool's memory, with the
// import object its code shares on this thread; the host lowers the handler's arguments into the
// guest's memory, lifts its result and calls `cabi_post_*`, as jco's glue would, without running it.
// Per instance this makes the core instance and one state object: no glue closures, no import object.
import type { HostLink } from '../capabilities/host-link.js';
import type { InstanceGrants } from '../capabilities/instance-imports.js';
import type { InvocationLog } from '../capabilities/invocation-log.js';
import type { PublishedMessage } from '../capabilities/publisher-interface.js';
import type { DirectState } from './direct-abi.js';
import type { DirectCode } from './direct-plan.js';
import type { MemoryLease } from './memory-pool.js';

export type CoreFunction = (...args: unknown[]) => unknown;

/** Instantiates `code` over `memories` and runs its former start functions (the guest's initialisation). */
export function instantiateDirect(
  code: DirectCode,
  memories: MemoryLease,
  grants: InstanceGrants,
  link: HostLink,
  log: InvocationLog,
  outbox: PublishedMessage[],
): DirectState {
  const { exports } = memories.instantiateCore(code.module, code.imports);
  const state: DirectState = { exports, memory: exports[code.memory] as WebAssembly.Memory, log, outbox, grants, link, tables: undefined, objects: undefined, publisher: undefined, outbound: undefined, buckets: undefined };
  const previous = code.running.state;
  code.running.state = state;
  try {
    for (const start of code.starts) (exports[start] as CoreFunction)();
  } finally {
    code.running.state = previous;
  }
  return state;
}
