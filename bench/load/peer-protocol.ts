// The messages between the bench and its peer process (peer-process.ts): the outside world of the
// host under test, i.e. the upstream its guests call and the clients that call its routes.
import type { CallRecord } from './call-record.js';

export type { CallRecord } from './call-record.js';

/** Bench -> peer. The peer answers each command with exactly one reply, in order. */
export type PeerCommand =
  /** `concurrency` calls of `url` at once, `rounds` times in a row; answered with every call's latency. */
  | { readonly kind: 'rounds'; readonly url: string; readonly concurrency: number; readonly rounds: number }
  /** `concurrency` loops calling `url` back to back until `stop`; answered at once with `started`. */
  | { readonly kind: 'start'; readonly url: string; readonly concurrency: number }
  /** Ends the loops of `start`, waits for the calls in flight, answers with what they measured. */
  | { readonly kind: 'stop' }
  /** Answered with `cpu`: the peer's own CPU time so far (user + system), µs, for the CPU watch. */
  | { readonly kind: 'cpu' };

export interface RoundRecord extends CallRecord {
  /** From the first call sent to the last answer read, ms. */
  readonly wallMs: number;
}

/** Peer -> bench. */
export type PeerReply =
  | { readonly kind: 'ready'; readonly upstreamPort: number }
  | { readonly kind: 'rounds'; readonly rounds: readonly RoundRecord[] }
  | { readonly kind: 'started' }
  | { readonly kind: 'cpu'; readonly cpuMicros: number }
  | { readonly kind: 'stopped'; readonly calls: CallRecord; readonly seconds: number }
  | { readonly kind: 'error'; readonly message: string };
