// What the worker pool tracks: an invocation from `invoke` to its result (`Pending`), a thread and
// the scheduler's view of it (`Slot`), and what waits in the fair queue for a compute slot (`Turn`).
// Shared by the scheduler (worker-pool.ts) and hand-ahead (hand-ahead.ts).
import type { InvocationScope } from '../capabilities/host-link.js';
import type { PoolTrace } from '../tracing/tracing.js';
import type { GuestCall } from './guest-call.js';
import type { GuestThread } from './guest-thread.js';
import type { InvocationResult } from './outcome.js';
import type { RunnableFunction } from './runnable-function.js';
import type { ResponseStream } from './worker-pool-options.js';

export interface Pending {
  readonly id: number;
  readonly functionName: string;
  readonly fn: RunnableFunction;
  readonly call: GuestCall;
  readonly stream: ResponseStream | undefined;
  readonly background: boolean;
  readonly resolve: (result: InvocationResult) => void;
  readonly scope: InvocationScope;
  /** Cancel functions of its host requests under way, by the worker's request id. */
  readonly requests: Map<number, () => void>;
  /** Told when it is dispatched (tracing on only). */
  readonly trace: PoolTrace | undefined;
  timer?: NodeJS.Timeout;
  slot?: Slot;
  /** `performance.now()` when queued; the wait until dispatch goes back in the result (`queueWaitMs`). */
  readonly queuedAt: number;
  queueWaitMs?: number;
  /** Compute time so far (all its computing spells): its function's mean call length. */
  computedMs: number;
  /** Response bytes it sent (streamed chunks and the final body): main-thread work charged to its quota. */
  responseBytes: number;
  /** Instantiation and call as the worker timed them (its result's timings), when it answered. */
  workerMs?: number;
  /** Its `seq` on the thread it was sent to (worker-protocol.ts). */
  seq?: number;
  /** Handed ahead and its deadline passed: its caller has the timeout; it only has to leave its thread. */
  expired?: boolean;
}

export type SlotState = 'idle' | 'computing' | 'blocked';

/** A blocked invocation ready to compute again: queued with its function, ahead of its new calls. */
export interface ResumeEntry {
  readonly functionName: string;
  readonly slot: Slot;
}

/** What waits for a compute slot: a new invocation, or one resuming after a wait. */
export type Turn = Pending | ResumeEntry;

/** A thread and what the scheduler knows of it. */
export interface Slot {
  readonly thread: GuestThread;
  state: SlotState;
  running: Pending | undefined;
  /** `performance.now()` when it last started computing (dispatch or wake-up). */
  computingSince: number;
  /** Events sent to it (compared with what the worker says it read when it blocks). */
  eventsSent: number;
  /** Blocked, its event (or timer) came, and it waits in the queue for a compute slot. */
  resumeEntry: ResumeEntry | undefined;
  wakeTimer: NodeJS.Timeout | undefined;
  idleSince: number;
  /** Sent to this thread to start, in order, when `running` ends (hand-ahead): in flight, not computing yet. */
  readonly handed: Pending[];
}

export function isPending(turn: Turn): turn is Pending {
  return 'call' in turn;
}
