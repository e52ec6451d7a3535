// Messages between `wasmlet bench <target>` and its load generator, a child process of its own (so the
// load's CPU is not the host's, and its share can be reported): one job at a time.
import type { HistogramJson } from './latency-histogram.js';

/** How one call reaches the function. */
export type LoadTarget =
  /** A request to one of its HTTP routes. */
  | { readonly kind: 'http'; readonly url: string; readonly method: string; readonly headers: Readonly<Record<string, string>>; readonly bodyBase64?: string | undefined }
  /** `POST /v1/functions/{name}/invoke` on the admin API. */
  | { readonly kind: 'invoke'; readonly adminUrl: string; readonly token?: string | undefined; readonly name: string; readonly contentType: string; readonly bodyBase64?: string | undefined }
  /** A message sent to its queue; the call ends when the message has left the queue (acknowledged or dead-lettered). */
  | {
      readonly kind: 'queue';
      readonly adminUrl: string;
      readonly token?: string | undefined;
      readonly queue: string;
      /** Where its failures go: a message found there counts as `dead_lettered`. */
      readonly deadLetter?: string | undefined;
      readonly contentType: string;
      readonly bodyBase64?: string | undefined;
    };

export interface LoadJob {
  readonly id: number;
  readonly target: LoadTarget;
  /** Calls in flight at once (a closed loop: each connection sends its next call when the last answered). */
  readonly connections: number;
  /** Stop starting calls after this long... */
  readonly durationMs?: number | undefined;
  /** ...or after this many calls, whichever comes first. */
  readonly requests?: number | undefined;
}

export interface LoadResult {
  /** Calls that completed (answered, or failed at the transport). */
  readonly requests: number;
  readonly elapsedMs: number;
  readonly histogram: HistogramJson;
  /** Completed calls by HTTP status ("transport" when no answer came). */
  readonly statuses: Readonly<Record<string, number>>;
  /** Completed calls by outcome: ok, the host's error code (guest_trap, timeout, overloaded, ...), function_error (the function's own status ≥ 400), dead_lettered, transport. */
  readonly outcomes: Readonly<Record<string, number>>;
  /** The first few distinct transport errors, for the report. */
  readonly transportErrors: readonly string[];
  /** CPU time the load generator used meanwhile (user + system), µs. */
  readonly cpuMicros: number;
  /** Cut short by a stop request (Ctrl-C). */
  readonly interrupted: boolean;
}

export type ParentMessage = { readonly type: 'job'; readonly job: LoadJob } | { readonly type: 'stop' } | { readonly type: 'exit' };

export type ChildMessage =
  | { readonly type: 'progress'; readonly id: number; readonly completed: number; readonly failed: number }
  | { readonly type: 'done'; readonly id: number; readonly result: LoadResult }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };
