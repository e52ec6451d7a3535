// wasi:clocks and wasi:random lowered by the host for the direct path, with the behaviour of
// capabilities/wasi/clocks.ts and random.ts (the very functions the glue calls): real time, the
// host's CSPRNG for every variant, and timers as pollables that wait through the thread's HostLink,
// so a sleeping guest does not count as computing.
import { createClockImports } from '../capabilities/wasi/clocks.js';
import { sleepOnlyLink } from '../capabilities/host-link.js';
import { randomImports } from '../capabilities/wasi/random.js';
import { timerPollable } from '../capabilities/wasi/streams.js';
import { resourceTables, storeBytes, storeList, view, type DirectState } from './direct-abi.js';
import { reallocOf, runningState, type ImportSite, type Lowering } from './direct-lowering.js';
import { ownHandleFor } from './direct-resources.js';

// Wall-clock and monotonic reads need no link; only timers do, and they take the instance's.
const clocks = createClockImports(sleepOnlyLink);
const wallClock = clocks['wasi:clocks/wall-clock'];
const monotonicClock = clocks['wasi:clocks/monotonic-clock'];
const { getRandomBytes, getRandomU64 } = randomImports['wasi:random/random'];
const { getInsecureRandomBytes, getInsecureRandomU64 } = randomImports['wasi:random/insecure'];
const { insecureSeed } = randomImports['wasi:random/insecure-seed'];

/** A datetime record at `retptr`: seconds (u64) at 0, nanoseconds (u32) at 8. */
function storeDatetime(state: DirectState, retptr: number, time: { seconds: bigint; nanoseconds: number }): void {
  const dv = view(state.memory);
  dv.setBigInt64(retptr, BigInt.asUintN(64, time.seconds), true);
  dv.setInt32(retptr + 8, time.nanoseconds >>> 0, true);
}

/** list<u8> of `len` random bytes at `retptr`, allocated through the importer's realloc as the glue does. */
function randomBytesLowering(bytesOf: (len: bigint) => Uint8Array): Lowering {
  return (site: ImportSite) => (len: bigint, retptr: number) => {
    const state = runningState(site.running);
    const bytes = bytesOf(BigInt.asUintN(64, len));
    storeList(state.memory, retptr, storeBytes(state.memory, reallocOf(state, site), bytes), bytes.byteLength);
  };
}

export const clockAndRandomLowerings: Readonly<Record<string, Lowering>> = {
  'wasi:clocks/wall-clock#now': ({ running }) => (retptr: number) => storeDatetime(runningState(running), retptr, wallClock.now()),
  'wasi:clocks/wall-clock#resolution': ({ running }) => (retptr: number) => storeDatetime(runningState(running), retptr, wallClock.resolution()),
  'wasi:clocks/monotonic-clock#now': () => () => monotonicClock.now(),
  'wasi:clocks/monotonic-clock#resolution': () => () => monotonicClock.resolution(),
  'wasi:clocks/monotonic-clock#subscribe-instant': ({ running }) => (when: bigint) => {
    const state = runningState(running);
    return ownHandleFor(state, resourceTables.pollable, timerPollable(BigInt.asUintN(64, when), state.link));
  },
  'wasi:clocks/monotonic-clock#subscribe-duration': ({ running }) => (duration: bigint) => {
    const state = runningState(running);
    return ownHandleFor(state, resourceTables.pollable, timerPollable(process.hrtime.bigint() + BigInt.asUintN(64, duration), state.link));
  },
  'wasi:random/random#get-random-bytes': randomBytesLowering(getRandomBytes),
  'wasi:random/random#get-random-u64': () => () => getRandomU64(),
  'wasi:random/insecure#get-insecure-random-bytes': randomBytesLowering(getInsecureRandomBytes),
  'wasi:random/insecure#get-insecure-random-u64': () => () => getInsecureRandomU64(),
  'wasi:random/insecure-seed#insecure-seed': ({ running }) => (retptr: number) => {
    const [first, second] = insecureSeed();
    const dv = view(runningState(running).memory);
    dv.setBigInt64(retptr, first, true);
    dv.setBigInt64(retptr + 8, second, true);
  },
};
