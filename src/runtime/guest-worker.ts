// Entry point of a guest worker thread: loads compiled code on demand and runs invocations one at a time.
// A runaway guest blocks only this thread; the pool terminates and replaces it (its memories die with it).
// Between invocations it keeps ready instances (runtime/instance-policy.ts): pre-instantiated ones,
// prepared while idle after answering, and reusable ones when a manifest sets `instance_reuse`.
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import type { InstanceGrants } from '../capabilities/instance-imports.js';
import { instanceKey, mayServeAgain, readyInstanceSweepMs } from './instance-policy.js';
import { IdleMemoryBudget, MemoryPool } from './memory-pool.js';
import type { InstanceOrigin, InvocationResult } from './outcome.js';
import { installPromisingPolyfill } from './promising-polyfill.js';
import { ReadyInstances } from './ready-instances.js';
import { callInstance, failedInstantiation, instantiate, type InstantiateGlue, type LiveInstance, type LoadedCode } from './run-invocation.js';
import { WorkerHostLink } from './worker-host-link.js';
import type { GuestWorkerData, InvokeBatchMessage, InvokeMessage, ResultMessage, ToWorker } from './worker-protocol.js';

installPromisingPolyfill();
const port = parentPort;
if (!port) throw new Error('guest-worker must run in a worker thread');
const { preInstantiate, events, wake, decided } = workerData as GuestWorkerData;
const link = new WorkerHostLink(port, events, new Int32Array(wake));
/** The highest invocation seq decided: see `GuestWorkerData.decided`. */
const decidedSeq = new BigInt64Array(decided);
const loaded = new Map<string, LoadedCode>();
/** Grants by function version, sent once per version (the pool tells this worker when to forget one). */
const grantsByVersion = new Map<string, InstanceGrants>();
/** One bound on the idle memories of every function loaded in this worker. */
const idleMemory = new IdleMemoryBudget();
const ready = new ReadyInstances();
setInterval(() => ready.sweep(), readyInstanceSweepMs).unref();

/**
 * Messages are handled one after the other, an invocation's included: the pool may hand an
 * invocation ahead while another runs here (worker-pool.ts), and the first load of a function's
 * glue awaits an import, during which the next must not start.
 */
let handled: Promise<void> = Promise.resolve();
port.on('message', (message: ToWorker) => {
  if (message.type === 'invoke-batch') for (const invocation of message.invocations) handleInTurn(invocation);
  else handleInTurn(message);
});

function handleInTurn(message: Exclude<ToWorker, InvokeBatchMessage>): void {
  // A failure of the worker itself still crashes it, as an unhandled one would (the pool replaces it).
  handled = handled.then(() => handle(message)).catch((err: unknown) => {
    setImmediate(() => {
      throw err;
    });
  });
}

function handle(message: Exclude<ToWorker, InvokeBatchMessage>): Promise<void> | undefined {
  if (message.type === 'forget-version') {
    grantsByVersion.delete(message.versionKey);
    return;
  }
  if (message.type === 'evict') {
    ready.dropCode(message.codeKey); // first: their memories go back to the pool that is drained next
    loaded.get(message.codeKey)?.memories.drain();
    loaded.delete(message.codeKey);
    return;
  }
  // Taken back by the pool before it started (its predecessor waited, or its deadline passed): skip it.
  if (!claim(message.seq)) return;
  return handleInvoke(message);
}

/** Starts invocation `seq` unless the pool has taken it back: moves the decided cell up to it. */
function claim(seq: number): boolean {
  const wanted = BigInt(seq);
  for (;;) {
    const seen = Atomics.load(decidedSeq, 0);
    if (seen >= wanted) return false;
    if (Atomics.compareExchange(decidedSeq, 0, seen, wanted) === seen) return true;
  }
}

async function handleInvoke(message: InvokeMessage): Promise<void> {
  const code = await codeFor(message);
  if (!code) {
    const result = { outcome: { kind: 'trap' as const, message: 'worker has no code for this function (host bug)' }, logs: [] };
    reply(message, result, false);
    return;
  }
  if (message.grants) grantsByVersion.set(message.versionKey, message.grants);
  const grants = grantsByVersion.get(message.versionKey);
  if (!grants) {
    reply(message, { outcome: { kind: 'host_error', message: 'worker has no grants for this function version (host bug)' }, logs: [] }, false);
    return;
  }
  const key = instanceKey(message.functionName, message.codeKey);
  const kept = ready.take(key, grants);
  let instance: LiveInstance;
  let origin: InstanceOrigin;
  let createdAt: number;
  if (kept) {
    ({ instance, createdAt } = kept);
    origin = instance.uses === 0 ? 'pre-instantiated' : 'reused';
  } else {
    const lease = code.memories.lease();
    createdAt = performance.now();
    const made = instantiate(code, lease, grants, link);
    if (!made.ok) {
      try {
        reply(message, failedInstantiation(made, lease), false);
      } finally {
        lease.release();
      }
      if (preInstantiate) schedulePreparation(key, message.codeKey, code, grants);
      return;
    }
    instance = made.instance;
    origin = 'fresh';
  }
  let keep = false;
  try {
    link.begin();
    let result: InvocationResult;
    try {
      result = callInstance(instance, message.call, message.maxResponseBytes, origin);
    } finally {
      link.end();
    }
    keep = instance.uses < message.instanceReuse && mayServeAgain(result.outcome);
    reply(message, result, keep || preInstantiate);
  } finally {
    // After the result has left: the caller waits neither for the zeroing nor for the next instance.
    if (keep) {
      ready.keep(key, { instance, codeKey: message.codeKey, grants, createdAt });
    } else {
      instance.memories.release();
      if (preInstantiate) schedulePreparation(key, message.codeKey, code, grants);
    }
  }
}

async function codeFor(message: InvokeMessage): Promise<LoadedCode | undefined> {
  let code = loaded.get(message.codeKey);
  if (!code && message.load) {
    const { gluePath, modules, memories } = message.load;
    const glue = (await import(pathToFileURL(gluePath).href)) as { instantiate: InstantiateGlue };
    code = { instantiate: glue.instantiate, modules, memories: MemoryPool.forModules(modules, memories, idleMemory) };
    loaded.set(message.codeKey, code);
  }
  return code;
}

/**
 * Instantiates the function's next instance once the event loop has nothing else to do: an
 * invocation that has already arrived goes first. An instance whose initialisation fails is not
 * kept; the next invocation instantiates itself and reports that failure.
 */
function schedulePreparation(key: string, codeKey: string, code: LoadedCode, grants: InstanceGrants): void {
  setImmediate(() => {
    if (ready.has(key) || loaded.get(codeKey) !== code) return; // already prepared, or the code was evicted
    const lease = code.memories.lease();
    const createdAt = performance.now();
    const made = instantiate(code, lease, grants, link);
    if (!made.ok) {
      lease.release();
      return;
    }
    ready.keep(key, { instance: made.instance, codeKey, grants, createdAt });
  });
}

function reply(message: InvokeMessage, result: InvocationResult, readyAfter: boolean): void {
  const body = result.outcome.kind === 'ok' ? result.outcome.response.body : undefined;
  const answer: ResultMessage = { type: 'result', id: message.id, result, ready: readyAfter };
  port!.postMessage(answer, ownsWholeBuffer(body) ? [body.buffer as ArrayBuffer] : []);
}

/** Transfer the body instead of copying it, but only when no one else shares its buffer. */
function ownsWholeBuffer(bytes: Uint8Array | undefined): bytes is Uint8Array {
  return !!bytes && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.byteLength > 0;
}
