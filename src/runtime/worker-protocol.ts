// Messages between the pool (main thread) and a guest worker. Plain data only: they cross threads.
import type { MessagePort } from 'node:worker_threads';
import type { HostEvent, HostRequest, ResponseStreamMessage } from '../capabilities/host-link.js';
import type { InstanceGrants } from '../capabilities/instance-imports.js';
import type { MemoryLimits } from '../wasm/import-memory.js';
import type { GuestCall } from './guest-call.js';
import type { InvocationResult } from './outcome.js';

export interface InvokeMessage {
  readonly type: 'invoke';
  readonly id: number;
  /**
   * This thread's count of invocations sent to it, this one included (1, 2, …): the worker claims
   * it on the shared `decided` cell before starting it, so the pool can take back one it handed
   * ahead and that has not started (see `GuestWorkerData.decided`).
   */
  readonly seq: number;
  /** Kept instances are keyed by function and code: never shared between functions. */
  readonly functionName: string;
  readonly codeKey: string;
  /** Identity of the deployed version (bundle digest): grants are cached by it. */
  readonly versionKey: string;
  /** Invocations one instance may serve (`[runtime] instance_reuse`); 1 = fresh every time. */
  readonly instanceReuse: number;
  /** Present when the worker has not loaded this code yet. */
  readonly load?: {
    readonly gluePath: string;
    readonly modules: Readonly<Record<string, WebAssembly.Module>>;
    readonly memories: Readonly<Record<string, MemoryLimits>>;
  };
  /** Present when the worker has not seen this version yet: grants travel once per version. */
  readonly grants?: InstanceGrants;
  readonly call: GuestCall;
  readonly maxResponseBytes: number;
}

export interface EvictMessage {
  readonly type: 'evict';
  readonly codeKey: string;
}

export interface ForgetVersionMessage {
  readonly type: 'forget-version';
  readonly versionKey: string;
}

/** Several invocations at once (calls handed ahead to one thread in one pass): run in order, each as if sent alone. */
export interface InvokeBatchMessage {
  readonly type: 'invoke-batch';
  readonly invocations: readonly InvokeMessage[];
}

export type ToWorker = InvokeMessage | InvokeBatchMessage | EvictMessage | ForgetVersionMessage;

/** On the worker's event port, read synchronously while the guest waits. */
export interface EventMessage {
  readonly id: number;
  readonly event: HostEvent;
}

export interface ResultMessage {
  readonly type: 'result';
  readonly id: number;
  readonly result: InvocationResult;
  /** The worker keeps (or is preparing) an instance of this function for its next invocation: a routing hint. */
  readonly ready: boolean;
}

export type FromWorker =
  | ResultMessage
  /** The running invocation asks for something (an outbound request); events come back on the event port. */
  | { readonly type: 'host-request'; readonly id: number; readonly request: HostRequest }
  | { readonly type: 'host-cancel'; readonly id: number }
  /**
   * The worker sleeps until woken: it computes no more. `delivered` counts the events it has read
   * (more were sent: wake it at once); `wakeInMs`: wake it then even without an event (a timer).
   */
  | { readonly type: 'blocked'; readonly delivered: number; readonly wakeInMs: number | undefined }
  /** Part of the running invocation's streamed response. */
  | { readonly type: 'response'; readonly message: ResponseStreamMessage };

/** Fixed for the life of a worker (its `workerData`). */
export interface GuestWorkerData {
  /** Instantiate the next instance of a function while idle, after answering (runtime/instance-policy.ts). */
  readonly preInstantiate: boolean;
  /** Where the main thread sends events for the running invocation's requests. */
  readonly events: MessagePort;
  /** One Int32 cell: bumped (and notified) by the main thread to let a blocked worker compute again. */
  readonly wake: SharedArrayBuffer;
  /**
   * One BigInt64 cell: the highest `seq` decided, either started by the worker or taken back by the
   * pool. Both move it only forward with compareExchange, so each invocation is decided once: the
   * worker starts `seq` only by moving the cell from below `seq` to `seq`; the pool takes back the
   * one it handed ahead only by moving it from `seq - 1` (its predecessor started, it did not).
   */
  readonly decided: SharedArrayBuffer;
}
