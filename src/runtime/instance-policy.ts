// When a guest worker may serve an invocation with an instance it did not create for that
// invocation: the policy, its defaults, and the isolation each choice keeps or gives up.
//
// Pre-instantiation (pool option `preInstantiate`, on by default) keeps isolation as it is. After a
// worker has answered an invocation and released its memories, it instantiates the next instance of
// the same function at once, while idle, with the imports of a new invocation (its own log, outbox,
// env and config), and keeps it ready. The next invocation of that function on that worker takes it
// instead of instantiating on its latency path. A ready instance has run nothing but its own
// initialisation (active data segments, `_initialize`, start functions), which a fresh instance
// runs too; only *when* that happens moves. What it means for a guest:
//   - a wall-clock or monotonic reading taken during initialisation is from when the instance was
//     prepared, up to `maxReadyInstanceAgeMs` before the invocation (never from another invocation);
//   - random seeds drawn during initialisation (wasi:random, insecure-seed; e.g. a hash-map seed in
//     a language runtime) are drawn then, from the host's CSPRNG, once per instance as before;
//   - log lines written during initialisation carry the preparation time and are delivered with the
//     invocation that uses the instance; an instance whose initialisation fails is thrown away and
//     the invocation instantiates (and reports the failure) itself.
// (With `[runtime] init_snapshot` initialisation ran once, at deploy: compile/init-snapshot.ts.)
// A worker keeps a ready instance only for its most recently used functions, so in a pool of W
// workers a hot function has up to W of them: one per worker, which is its concurrency there.
//
// Reuse (`[runtime] instance_reuse = N` in the manifest, default 1) gives isolation up, inside one
// function: an instance serves up to N invocations, then it is dropped and the next one is fresh.
// Between those N invocations everything the guest keeps persists: globals, heap, caches, a secret
// one request read, a request's data it forgot to clear. It never crosses functions (instances are
// keyed by function name and code, and must see the same env, config and publish grants) and never
// survives a failure: an instance whose call did not return normally (a trap, an exit, a deadline,
// an invalid response) is dropped. Logs and published messages are still per invocation.
// Choose N > 1 only for a function whose code does not keep per-request data, or whose callers all
// trust each other.
import type { InstanceGrants } from '../capabilities/instance-imports.js';
import type { Outcome } from './outcome.js';

/**
 * Functions per worker with a ready (or reusable) instance. Each holds its linear memories (a JS
 * guest ≈ 9 MiB resident) while idle; four covers a handful of hot functions per core.
 */
export const maxReadyInstancesPerWorker = 4;
/**
 * A ready instance older than this is dropped instead of used: it holds memory for a function that
 * is not hot, and the clock readings its initialisation took grow stale.
 */
export const maxReadyInstanceAgeMs = 60_000;
/** How often a worker looks for ready instances past their age, so an idle worker lets go of them. */
export const readyInstanceSweepMs = 15_000;

/** Instances are kept per function and code: never shared between two functions, even with the same code. */
export function instanceKey(functionName: string, codeKey: string): string {
  return `${functionName}\u0000${codeKey}`;
}

/** Whether `key` (from `instanceKey`) is an instance of `codeKey`. */
export function isInstanceOfCode(key: string, codeKey: string): boolean {
  return key.endsWith(`\u0000${codeKey}`);
}

/** Only an instance whose call returned normally may serve again; after anything else its state is suspect. */
export function mayServeAgain(outcome: Outcome): boolean {
  return outcome.kind === 'ok' || outcome.kind === 'batch_ok' || outcome.kind === 'event_ok' || outcome.kind === 'guest_error';
}

/** The same env, config and publish grants; a redeploy that changes them gets new instances. */
export function sameGrants(a: InstanceGrants, b: InstanceGrants): boolean {
  return a.outboundHttp === b.outboundHttp && sameRecord(a.env, b.env) && sameRecord(a.config, b.config) && a.publish.length === b.publish.length && a.publish.every((queue, i) => queue === b.publish[i]);
}

function sameRecord(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key]);
}
