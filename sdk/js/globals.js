// Web-style globals the QuickJS engine lacks, installed once when the component is
// built (top-level code runs at build time and is snapshotted into the component).
import { log } from './host.js';
import { Utf8TextDecoder, Utf8TextEncoder } from './utf8.js';

if (typeof globalThis.console === 'undefined') {
  // Every console line becomes a host log line of the matching level.
  globalThis.console = {
    debug: log.debug,
    log: log.info,
    info: log.info,
    warn: log.warn,
    error: log.error,
    trace: log.debug,
  };
}
if (typeof globalThis.TextEncoder === 'undefined') globalThis.TextEncoder = Utf8TextEncoder;
if (typeof globalThis.TextDecoder === 'undefined') globalThis.TextDecoder = Utf8TextDecoder;

// QuickJS seeds Math.random once, at build time, so every instance of a component would
// replay the same sequence. The export adapters call beginInvocation() on every call; the
// first one in an instance drops the snapshotted state, and the next Math.random() seeds
// from the clocks (the only entropy this world has). Still not cryptographic, like any Math.random.
let state = null; // sfc32: four u32 words; null = seed on next use
// False in the build-time snapshot, so every instance's first call reseeds.
let started = false;

/** Called by each export adapter before it runs the user's handler. */
export function beginInvocation() {
  if (started) return;
  started = true;
  state = null;
}
function seed() {
  const wall = Date.now();
  const mono = performance.now();
  state = [wall >>> 0, (wall / 2 ** 32) >>> 0, (mono * 1e6) >>> 0, 0x9e3779b9 ^ ((mono * 1e3) >>> 0)];
  for (let i = 0; i < 16; i++) next();
}
function next() {
  let [a, b, c, d] = state;
  const t = (((a + b) >>> 0) + d) >>> 0;
  d = (d + 1) >>> 0;
  a = b ^ (b >>> 9);
  b = (c + (c << 3)) >>> 0;
  c = ((c << 21) | (c >>> 11)) >>> 0;
  c = (c + t) >>> 0;
  state = [a, b, c, d];
  return t;
}
Math.random = function random() {
  if (state === null) seed();
  return next() / 2 ** 32;
};
