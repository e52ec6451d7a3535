// Entry point of a guest worker thread: loads compiled code on demand and runs invocations one at a time.
// A runaway guest blocks only this thread; the pool terminates and replaces it (its memories die with it).
import { pathToFileURL } from 'node:url';
import { parentPort } from 'node:worker_threads';
import { IdleMemoryBudget, MemoryPool } from './memory-pool.js';
import { installPromisingPolyfill } from './promising-polyfill.js';
import { runInvocation, type InstantiateGlue, type LoadedCode } from './run-invocation.js';
import type { ResultMessage, ToWorker } from './worker-protocol.js';

installPromisingPolyfill();
const port = parentPort;
if (!port) throw new Error('guest-worker must run in a worker thread');
const loaded = new Map<string, LoadedCode>();
/** One bound on the idle memories of every function loaded in this worker. */
const idleMemory = new IdleMemoryBudget();

port.on('message', (message: ToWorker) => {
  if (message.type === 'evict') {
    loaded.get(message.codeKey)?.memories.drain();
    loaded.delete(message.codeKey);
    return;
  }
  void handleInvoke(message);
});

async function handleInvoke(message: Extract<ToWorker, { type: 'invoke' }>): Promise<void> {
  let code = loaded.get(message.codeKey);
  if (!code && message.load) {
    const { gluePath, modules, memories } = message.load;
    const glue = (await import(pathToFileURL(gluePath).href)) as { instantiate: InstantiateGlue };
    code = { instantiate: glue.instantiate, modules, memories: MemoryPool.forModules(modules, memories, idleMemory) };
    loaded.set(message.codeKey, code);
  }
  if (!code) {
    const result = { outcome: { kind: 'trap' as const, message: 'worker has no code for this function (host bug)' }, logs: [] };
    port!.postMessage({ type: 'result', id: message.id, result } satisfies ResultMessage);
    return;
  }
  const lease = code.memories.lease();
  try {
    const result = runInvocation(code, lease, message, message.call, message.maxResponseBytes);
    const body = result.outcome.kind === 'ok' ? result.outcome.response.body : undefined;
    const reply: ResultMessage = { type: 'result', id: message.id, result };
    port!.postMessage(reply, ownsWholeBuffer(body) ? [body.buffer as ArrayBuffer] : []);
  } finally {
    // After the result has left: the caller does not wait for the zeroing.
    lease.release();
  }
}

/** Transfer the body instead of copying it, but only when no one else shares its buffer. */
function ownsWholeBuffer(bytes: Uint8Array | undefined): bytes is Uint8Array {
  return !!bytes && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.byteLength > 0;
}
