// What an invocation produced. Expected failures are values, not exceptions: callers map each kind to a status.
import type { CapturedLine } from '../capabilities/invocation-log.js';
import type { PublishedMessage } from '../capabilities/publisher-interface.js';
import type { MessageResult } from './guest-call.js';

export type Header = readonly [name: string, value: string];

export interface GuestRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: readonly Header[];
  readonly body: Uint8Array;
}

export interface GuestResponse {
  readonly status: number;
  readonly headers: readonly Header[];
  readonly body: Uint8Array;
}

export type Outcome =
  /** An HTTP call answered (whatever the status). */
  /** `streamed`: the head and body already went to the caller as the guest wrote them (wasi:http); `response.body` is empty. */
  | { readonly kind: 'ok'; readonly response: GuestResponse; readonly streamed?: boolean }
  /** A queue batch handled: one result per message, in order. */
  | { readonly kind: 'batch_ok'; readonly results: readonly MessageResult[] }
  /** A schedule event handled. */
  | { readonly kind: 'event_ok' }
  | { readonly kind: 'guest_error'; readonly message: string }
  | { readonly kind: 'trap'; readonly message: string }
  /** `streamed`: part of the response already reached the caller, which can only cut it off. */
  | { readonly kind: 'response_invalid'; readonly message: string; readonly streamed?: boolean }
  | { readonly kind: 'response_too_large'; readonly message: string; readonly streamed?: boolean }
  | { readonly kind: 'timeout'; readonly timeoutMs: number }
  /** Not run: the function's queue is full, or its breaker is open (`retryAfterS`, `reason`: runtime/circuit-breaker.ts). */
  | { readonly kind: 'overloaded'; readonly retryAfterS?: number; readonly reason?: string }
  /** The host failed (e.g. code could not be loaded); never the guest's fault. */
  | { readonly kind: 'host_error'; readonly message: string };

/**
 * How the instance serving an invocation came to be: `fresh` = instantiated for it, on its latency
 * path; `pre-instantiated` = instantiated before it arrived (off the latency path), never used
 * before; `reused` = it served earlier invocations of the same function (`[runtime] instance_reuse`).
 */
export type InstanceOrigin = 'fresh' | 'pre-instantiated' | 'reused';

export interface InvocationTimings {
  /** Creating the instance (core instantiate + glue) on this invocation's path; 0 unless `instance` is `fresh`. */
  readonly instantiateMicros: number;
  /** The handler call, including lifting the result. */
  readonly callMicros: number;
  /** Linear memories this instance got recycled from the worker's pool (runtime/memory-pool.ts). */
  readonly memoriesRecycled: number;
  /** Linear memories the pool created for this instance, none being idle (a module that defines its own memory is not counted). */
  readonly memoriesCreated: number;
  readonly instance: InstanceOrigin;
  /** 1 for the first invocation an instance serves, n for its n-th (reuse). */
  readonly instanceUse: number;
  /** How the instance was made (runtime/run-invocation.ts `instantiationPathOf`); absent when none was made. */
  readonly path?: 'direct' | 'folded' | 'glue';
}

/** The outcomes in which the handler returned normally; only these publish what the guest sent. */
export type SuccessOutcome = Extract<Outcome, { kind: 'ok' | 'batch_ok' | 'event_ok' }>;
export type FailureOutcome = Exclude<Outcome, SuccessOutcome>;

export function isSuccess(outcome: Outcome): outcome is SuccessOutcome {
  return outcome.kind === 'ok' || outcome.kind === 'batch_ok' || outcome.kind === 'event_ok';
}

export interface InvocationResult {
  readonly outcome: Outcome;
  /** Messages the guest sent; empty unless the outcome is a success (a failed invocation publishes nothing). */
  readonly published?: readonly PublishedMessage[];
  readonly logs: readonly CapturedLine[];
  readonly timings?: InvocationTimings;
  /** How long it waited in the pool for a compute slot and a thread (set by the pool once dispatched). */
  readonly queueWaitMs?: number;
}
