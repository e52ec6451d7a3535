// What an invocation produced. Expected failures are values, not exceptions: callers map each kind to a status.
import type { CapturedLine } from '../capabilities/invocation-log.js';

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
  | { readonly kind: 'ok'; readonly response: GuestResponse }
  | { readonly kind: 'guest_error'; readonly message: string }
  | { readonly kind: 'trap'; readonly message: string }
  | { readonly kind: 'response_invalid'; readonly message: string }
  | { readonly kind: 'response_too_large'; readonly message: string }
  | { readonly kind: 'timeout'; readonly timeoutMs: number }
  | { readonly kind: 'overloaded' }
  /** The host failed (e.g. code could not be loaded); never the guest's fault. */
  | { readonly kind: 'host_error'; readonly message: string };

export interface InvocationTimings {
  /** Creating the fresh instance (core instantiate + glue). */
  readonly instantiateMicros: number;
  /** The handler call, including lifting the result. */
  readonly callMicros: number;
}

export interface InvocationResult {
  readonly outcome: Outcome;
  readonly logs: readonly CapturedLine[];
  readonly timings?: InvocationTimings;
}
