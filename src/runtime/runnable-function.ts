// Everything a worker needs to run one deployed function version: compiled code plus its grants.
import { noGrants, type InstanceGrants } from '../capabilities/instance-imports.js';
import type { HostGrants } from '../capabilities/host-link.js';
import { defaultOutboundLimits } from '../capabilities/outbound-http/outbound-limits.js';
import type { MemoryLimits } from '../wasm/import-memory.js';

export interface RunnableFunction extends HostGrants {
  /** Function name, for queue bounds and messages. */
  readonly name: string;
  /** Identity of the compiled code (component digest + memory cap); workers cache by it. */
  readonly codeKey: string;
  /** Absolute path of the transpiled glue module (`instantiate` factory). */
  readonly gluePath: string;
  /** Compiled core modules by the file name the glue asks for. */
  readonly modules: Readonly<Record<string, WebAssembly.Module>>;
  /** Modules (by name) whose memory the worker supplies and recycles, with the limits it must have. */
  readonly memories: Readonly<Record<string, MemoryLimits>>;
  /** Identity of the deployed version (its bundle digest): workers cache its grants by it. */
  readonly versionKey: string;
  /** What its instances are granted; sent to a worker once per version. */
  readonly grants: InstanceGrants;
  readonly timeoutMs: number;
  /** `[runtime] instance_reuse`: invocations one instance may serve; default 1, a fresh instance every time. */
  readonly instanceReuse?: number;
  /** `[limits] max_concurrency`: invocations in flight at once (computing or waiting); more wait in its queue. */
  readonly maxConcurrency?: number;
  /** `[limits] memory_mb`: the memory cap of its instances, reserved from the host memory budget while one runs. */
  readonly memoryMb?: number;
}

/** Grants of a function that is granted nothing (tests, benchmarks): spread into a RunnableFunction. */
export const grantedNothing: Pick<RunnableFunction, 'grants' | 'outbound'> = Object.freeze({
  grants: noGrants,
  outbound: Object.freeze({ allowedHosts: [], limits: defaultOutboundLimits }),
});
