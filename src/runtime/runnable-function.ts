// Everything a worker needs to run one deployed function version: compiled code plus its grants.
import type { MemoryLimits } from '../wasm/import-memory.js';

export interface RunnableFunction {
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
  readonly env: Readonly<Record<string, string>>;
  readonly config: Readonly<Record<string, string>>;
  /** Queues the guest may send to. */
  readonly publish: readonly string[];
  readonly timeoutMs: number;
  /** `[runtime] instance_reuse`: invocations one instance may serve; default 1, a fresh instance every time. */
  readonly instanceReuse?: number;
}
