// wasi:clocks: real time is not a secret, so these are shared by every instance of a thread.
import type { HostLink } from '../host-link.js';
import { timerPollable } from './streams.js';

const nanosecondsPerMillisecond = 1_000_000;

/** `link` is the thread's: a guest sleeping on a timer waits without counting as computing. */
export function createClockImports(link: HostLink) {
  return {
    'wasi:clocks/wall-clock': {
      now() {
        const ms = Date.now();
        return { seconds: BigInt(Math.floor(ms / 1000)), nanoseconds: (ms % 1000) * nanosecondsPerMillisecond };
      },
      resolution: () => ({ seconds: 0n, nanoseconds: nanosecondsPerMillisecond }),
    },
    'wasi:clocks/monotonic-clock': {
      now: () => process.hrtime.bigint(),
      resolution: () => 1n,
      subscribeInstant: (when: bigint) => timerPollable(when, link),
      subscribeDuration: (duration: bigint) => timerPollable(process.hrtime.bigint() + duration, link),
    },
  };
}
