// wasi:clocks: real time is not a secret, so these are shared, stateless functions.
import { Pollable } from './streams.js';

const nanosecondsPerMillisecond = 1_000_000;

export const clockImports = {
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
    subscribeInstant: (when: bigint) => new Pollable(when),
    subscribeDuration: (duration: bigint) => new Pollable(process.hrtime.bigint() + duration),
  },
};
