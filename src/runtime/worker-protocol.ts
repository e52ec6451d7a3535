// Messages between the pool (main thread) and a guest worker. Plain data only: they cross threads.
import type { MemoryLimits } from '../wasm/import-memory.js';
import type { GuestCall } from './guest-call.js';
import type { InvocationResult } from './outcome.js';

export interface InvokeMessage {
  readonly type: 'invoke';
  readonly id: number;
  /** Kept instances are keyed by function and code: never shared between functions. */
  readonly functionName: string;
  readonly codeKey: string;
  /** Invocations one instance may serve (`[runtime] instance_reuse`); 1 = fresh every time. */
  readonly instanceReuse: number;
  /** Present when the worker has not loaded this code yet. */
  readonly load?: {
    readonly gluePath: string;
    readonly modules: Readonly<Record<string, WebAssembly.Module>>;
    readonly memories: Readonly<Record<string, MemoryLimits>>;
  };
  readonly env: Readonly<Record<string, string>>;
  readonly config: Readonly<Record<string, string>>;
  readonly publish: readonly string[];
  readonly call: GuestCall;
  readonly maxResponseBytes: number;
}

export interface EvictMessage {
  readonly type: 'evict';
  readonly codeKey: string;
}

export type ToWorker = InvokeMessage | EvictMessage;

export interface ResultMessage {
  readonly type: 'result';
  readonly id: number;
  readonly result: InvocationResult;
  /** The worker keeps (or is preparing) an instance of this function for its next invocation: a routing hint. */
  readonly ready: boolean;
}

/** Fixed for the life of a worker (its `workerData`). */
export interface GuestWorkerData {
  /** Instantiate the next instance of a function while idle, after answering (runtime/instance-policy.ts). */
  readonly preInstantiate: boolean;
}
