// The messages between the bench and a tally peer (tally-peer.ts, tally-child.ts): a load client in a
// process of its own whose calls are counted by status (status-tally.ts).
import type { StatusTally } from './status-tally.js';

/** Bench -> peer. The peer answers each command with exactly one reply, in order. */
export type TallyCommand =
  /**
   * `concurrency` loops calling `url` back to back until `stop` (or until `maxCalls` calls were
   * started in all); answered at once with `started`.
   */
  | { readonly kind: 'start'; readonly url: string; readonly concurrency: number; readonly maxCalls?: number | undefined }
  /** Ends the loops; `abort`: cut the calls in flight at once (counted as cut), else wait for them. */
  | { readonly kind: 'stop'; readonly abort: boolean }
  /** Answered with `cpu`: the peer's own CPU time so far (user + system), µs, for the CPU watch. */
  | { readonly kind: 'cpu' };

/** Peer -> bench. */
export type TallyReply =
  | { readonly kind: 'ready' }
  | { readonly kind: 'started' }
  | { readonly kind: 'cpu'; readonly cpuMicros: number }
  | { readonly kind: 'stopped'; readonly tally: StatusTally; readonly seconds: number }
  | { readonly kind: 'error'; readonly message: string };
