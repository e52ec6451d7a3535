// Instantiating a component with its per-invocation imports, and calling one of its handlers:
// classify the result. Runs inside a guest worker; never throws for anything the guest does.
import { GuestExit } from '../capabilities/guest-exit.js';
import { sleepOnlyLink, type HostLink } from '../capabilities/host-link.js';
import { callIncomingHandler, type IncomingHandle } from './call-incoming-handler.js';
import type { DirectState } from './direct-abi.js';
import { checkBatchResults, checkResponse } from './check-results.js';
import { callDirect } from './direct-handlers.js';
import { instantiateDirect } from './direct-instance.js';
import { decideDirect, type DirectCode, type DirectDecision } from './direct-plan.js';
import { foldedInstantiateCore, foldOf, moduleNameToken } from './folded-instantiation.js';
import { createInstanceImports, type InstanceGrants } from '../capabilities/instance-imports.js';
import { InvocationLog } from '../capabilities/invocation-log.js';
import { redactorFor } from '../capabilities/log-redaction.js';
import type { PublishedMessage } from '../capabilities/publisher-interface.js';
import type { GuestCall } from './guest-call.js';
import type { MemoryLease, MemoryPool } from './memory-pool.js';
import { isSuccess, type InstanceOrigin, type InvocationResult, type InvocationTimings, type Outcome } from './outcome.js';

/**
 * The `instantiate` factory jco generates with `--instantiation sync`; `instantiateCore` creates each
 * core instance. A folded component's glue carries its fold plan (runtime/folded-instantiation.ts).
 */
export type InstantiateGlue = (
  getCoreModule: (name: string) => WebAssembly.Module,
  imports: Record<string, unknown>,
  instantiateCore?: MemoryLease['instantiateCore'],
) => Record<string, unknown>;

export interface LoadedCode {
  readonly instantiate: InstantiateGlue;
  readonly modules: Readonly<Record<string, WebAssembly.Module>>;
  /** Recycled memories for the modules that import theirs (wasm/import-memory.ts). */
  readonly memories: MemoryPool;
  /**
   * How its instances are made, decided on first use (`instantiationPathOf`): `direct` when the
   * component is folded and the host lowers every import itself (runtime/direct-plan.ts); `false`
   * forces jco's glue (the bench's baseline).
   */
  direct?: DirectDecision | false;
}

/** How instances of `code` are made: `direct` (runtime/direct-instance.ts), `folded` (the glue over one core instance) or `glue`. */
export type InstantiationPath = NonNullable<InvocationTimings['path']>;

/** The direct path's decision for `code`, made once and kept on it; undefined when it runs on the glue. */
export function directCodeOf(code: LoadedCode): DirectCode | undefined {
  if (code.direct === undefined) {
    const fold = foldOf(code.instantiate, code.modules);
    code.direct = fold ? decideDirect(fold) : { path: 'glue', reason: 'not folded' };
  }
  return code.direct && code.direct.path === 'direct' ? code.direct.code : undefined;
}

export function instantiationPathOf(code: LoadedCode): InstantiationPath {
  if (directCodeOf(code)) return 'direct';
  return foldOf(code.instantiate, code.modules) ? 'folded' : 'glue';
}

/** The export of each handler, as jco names it on the instance: versioned key first, camelCase as a fallback. */
const handlerExports = {
  http: ['wasmlet:function/http-handler@0.1.0', 'httpHandler'],
  queue: ['wasmlet:function/queue-handler@0.1.0', 'queueHandler'],
  schedule: ['wasmlet:function/schedule-handler@0.1.0', 'scheduleHandler'],
} as const;

/** How jco names an exported `wasi:http/incoming-handler@0.2.x` on the instance, whatever its patch version. */
const wasiIncomingHandlerExport = 'incomingHandler';

interface Handler {
  handle(...args: unknown[]): unknown;
}


/** An instantiated component with the per-invocation state its imports write to. */
export interface LiveInstance {
  readonly exports: Record<string, unknown>;
  /** The log its imports write to; restarted for each invocation it serves. */
  readonly log: InvocationLog;
  /** What the guest sent with the publisher import; emptied for each invocation it serves. */
  readonly outbox: PublishedMessage[];
  /** Its linear memories, held until the instance is dropped. */
  readonly memories: MemoryLease;
  /** The thread's HostLink its imports were built with (a streamed response goes through it). */
  readonly link: HostLink;
  readonly instantiateMicros: number;
  /** Invocations it has served. */
  uses: number;
  readonly path?: InstantiationPath;
  /** Set when it runs on the direct path: its code and the state its lowered imports use (`exports` is then empty). */
  readonly direct?: { readonly code: DirectCode; readonly state: DirectState };
}

const noExports: Record<string, unknown> = Object.freeze({});

/** An instance, or why it could not be created (with whatever its initialisation logged). */
export type Instantiation =
  | { readonly ok: true; readonly instance: LiveInstance }
  | { readonly ok: false; readonly outcome: Outcome; readonly log: InvocationLog; readonly instantiateMicros: number };

/**
 * Instantiates `code` with fresh imports (a new log and outbox), its memories from `memories`.
 * Runs the guest's initialisation (`_initialize`, start functions) and nothing else.
 */
export function instantiate(
  code: LoadedCode,
  memories: MemoryLease,
  grants: InstanceGrants,
  /** The thread's way to the main thread; the default only sleeps (no network, nothing streams). */
  link: HostLink = sleepOnlyLink,
  /** Lets the snapshot capture (compile/capture-snapshot.ts) restrict what init may call; given, the glue's path is taken. */
  decorateImports?: (imports: Record<string, unknown>) => Record<string, unknown>,
): Instantiation {
  const log = new InvocationLog(redactorFor(grants.redact));
  const outbox: PublishedMessage[] = [];
  const started = performance.now();
  try {
    const directCode = decorateImports ? undefined : directCodeOf(code);
    if (directCode) {
      const state = instantiateDirect(directCode, memories, grants, link, log, outbox);
      const direct = { code: directCode, state };
      return { ok: true, instance: { exports: noExports, log, outbox, memories, link, instantiateMicros: (performance.now() - started) * 1000, uses: 0, path: 'direct', direct } };
    }
    const created = createInstanceImports(grants, { log, outbox, link });
    const imports = decorateImports ? decorateImports(created) : created;
    const fold = foldOf(code.instantiate, code.modules);
    const exports = fold
      ? code.instantiate(moduleNameToken, imports, foldedInstantiateCore(fold, memories))
      : code.instantiate((name) => moduleNamed(code, name), imports, memories.instantiateCore);
    const path = fold ? 'folded' : 'glue';
    return { ok: true, instance: { exports, log, outbox, memories, link, instantiateMicros: (performance.now() - started) * 1000, uses: 0, path } };
  } catch (err) {
    return { ok: false, outcome: classifyFailure(err), log, instantiateMicros: (performance.now() - started) * 1000 };
  }
}

/**
 * One invocation on a fresh instance. `memories` supplies the instance's linear memories; the caller
 * releases it after delivering the result, so that zeroing them is not on the caller's latency path.
 * @example const lease = code.memories.lease(); const result = runInvocation(code, lease, grants, call, max); send(result); lease.release();
 */
export function runInvocation(code: LoadedCode, memories: MemoryLease, grants: InstanceGrants, call: GuestCall, maxResponseBytes: number): InvocationResult {
  const instantiation = instantiate(code, memories, grants);
  if (!instantiation.ok) return failedInstantiation(instantiation, memories);
  return callInstance(instantiation.instance, call, maxResponseBytes, 'fresh');
}

/** The result of an invocation whose instance could not be created. */
export function failedInstantiation(failure: Extract<Instantiation, { ok: false }>, memories: MemoryLease): InvocationResult {
  const { log } = failure;
  const outcome = redactOutcome(failure.outcome, log);
  if (outcome.kind === 'guest_error' || outcome.kind === 'trap') log.add('error', 'host', `${outcome.kind}: ${outcome.message}`);
  return {
    outcome,
    published: [],
    logs: log.finish(),
    timings: {
      instantiateMicros: failure.instantiateMicros,
      callMicros: 0,
      memoriesRecycled: memories.recycled,
      memoriesCreated: memories.created,
      instance: 'fresh',
      instanceUse: 1,
    },
  };
}

/**
 * Calls the handler of `instance` once and takes its log and outbox, leaving both empty for a next
 * invocation. Timings count instantiation only when it happened for this call (`origin` fresh).
 */
export function callInstance(instance: LiveInstance, call: GuestCall, maxResponseBytes: number, origin: InstanceOrigin): InvocationResult {
  const started = performance.now();
  instance.uses++;
  let outcome: Outcome;
  try {
    const { direct } = instance;
    outcome = direct ? callDirect(direct.code, direct.state, call, maxResponseBytes) : callGlue(instance, call, maxResponseBytes);
  } catch (err) {
    outcome = classifyFailure(err);
  }
  const finished = performance.now();
  const { log } = instance;
  outcome = redactOutcome(outcome, log);
  if (outcome.kind === 'guest_error' || outcome.kind === 'trap') log.add('error', 'host', `${outcome.kind}: ${outcome.message}`);
  const sent = instance.outbox.splice(0);
  const firstUse = instance.uses === 1;
  return {
    outcome,
    published: isSuccess(outcome) ? sent : [],
    logs: log.finishAndRestart(),
    timings: {
      instantiateMicros: origin === 'fresh' ? instance.instantiateMicros : 0,
      callMicros: (finished - started) * 1000,
      // The memories came with the instance: they count for the invocation that first used it.
      memoriesRecycled: firstUse ? instance.memories.recycled : 0,
      memoriesCreated: firstUse ? instance.memories.created : 0,
      instance: origin,
      instanceUse: instance.uses,
      path: instance.path,
    },
  };
}

/**
 * The guest's own words in an outcome (its error, a queue message's failure reason, a trap or
 * response message) become error responses, records and dead letters: masked like its log lines.
 * The response body is the guest's answer and is never altered.
 */
function redactOutcome(outcome: Outcome, log: InvocationLog): Outcome {
  switch (outcome.kind) {
    case 'guest_error':
    case 'trap':
    case 'response_invalid':
    case 'response_too_large':
    case 'host_error': {
      const message = log.redact(outcome.message);
      return message === outcome.message ? outcome : { ...outcome, message };
    }
    case 'batch_ok':
      if (!outcome.results.some((r) => r.kind === 'fail' && log.redact(r.reason) !== r.reason)) return outcome;
      return { ...outcome, results: outcome.results.map((r) => (r.kind === 'fail' ? { ...r, reason: log.redact(r.reason) } : r)) };
    default:
      return outcome;
  }
}

/** A call through the exports jco's glue made. */
function callGlue(instance: LiveInstance, call: GuestCall, maxResponseBytes: number): Outcome {
  const [key, camel] = handlerExports[call.kind];
  const handler = (instance.exports[key] ?? instance.exports[camel]) as Handler | undefined;
  const incoming = call.kind === 'http' && !handler ? (instance.exports[wasiIncomingHandlerExport] as { handle: IncomingHandle } | undefined) : undefined;
  if (incoming && call.kind === 'http') return callIncomingHandler((request, out) => incoming.handle(request, out), call, instance.link, maxResponseBytes);
  if (handler) return callHandler(handler, call, maxResponseBytes);
  throw new Error(`component does not export the ${call.kind}-handler interface`);
}


function callHandler(handler: Handler, call: GuestCall, maxResponseBytes: number): Outcome {
  switch (call.kind) {
    case 'http':
      return checkResponse(handler.handle(call.request), maxResponseBytes);
    case 'queue': {
      const messages = call.messages.map((m) => ({ ...m, enqueuedAt: BigInt(m.enqueuedAt), attributes: m.attributes.map(([k, v]) => [k, v]) }));
      return checkBatchResults(handler.handle(call.queue, messages), call.messages.length);
    }
    case 'schedule':
      handler.handle({ name: call.event.name, scheduledAt: BigInt(call.event.scheduledAt) });
      return { kind: 'event_ok' };
  }
}


function moduleNamed(code: LoadedCode, name: string): WebAssembly.Module {
  const module = code.modules[name];
  if (!module) throw new Error(`glue asked for unknown core module ${name}`);
  return module;
}


function classifyFailure(err: unknown): Outcome {
  if (err instanceof GuestExit) return { kind: 'trap', message: err.message };
  if (err instanceof Error && Object.hasOwn(err, 'payload')) {
    // jco's ComponentError: the guest returned err(message).
    const payload = (err as Error & { payload: unknown }).payload;
    return { kind: 'guest_error', message: typeof payload === 'string' ? payload : String(payload) };
  }
  if (err instanceof RangeError && /call stack/i.test(err.message)) return { kind: 'trap', message: 'stack overflow' };
  if (err instanceof WebAssembly.RuntimeError) return { kind: 'trap', message: `wasm trap: ${err.message}` };
  if (err instanceof RangeError) return { kind: 'trap', message: err.message };
  return { kind: 'trap', message: err instanceof Error ? err.message : String(err) };
}
