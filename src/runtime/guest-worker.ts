// Entry point of a guest worker thread: loads compiled code on demand and runs invocations one at a time.
// A runaway guest blocks only this thread; the pool terminates and replaces it.
import { pathToFileURL } from 'node:url';
import { parentPort } from 'node:worker_threads';
import { installPromisingPolyfill } from './promising-polyfill.js';
import { runInvocation, type InstantiateGlue, type LoadedCode } from './run-invocation.js';
import type { ResultMessage, ToWorker } from './worker-protocol.js';

installPromisingPolyfill();
const port = parentPort;
if (!port) throw new Error('guest-worker must run in a worker thread');
const loaded = new Map<string, LoadedCode>();

port.on('message', (message: ToWorker) => {
  if (message.type === 'evict') {
    loaded.delete(message.codeKey);
    return;
  }
  void handleInvoke(message);
});

async function handleInvoke(message: Extract<ToWorker, { type: 'invoke' }>): Promise<void> {
  let code = loaded.get(message.codeKey);
  if (!code && message.load) {
    const glue = (await import(pathToFileURL(message.load.gluePath).href)) as { instantiate: InstantiateGlue };
    code = { instantiate: glue.instantiate, modules: message.load.modules };
    loaded.set(message.codeKey, code);
  }
  const result = code
    ? runInvocation(code, message, message.call, message.maxResponseBytes)
    : { outcome: { kind: 'trap' as const, message: 'worker has no code for this function (host bug)' }, logs: [] };
  const body = result.outcome.kind === 'ok' ? result.outcome.response.body : undefined;
  const reply: ResultMessage = { type: 'result', id: message.id, result };
  port!.postMessage(reply, ownsWholeBuffer(body) ? [body.buffer as ArrayBuffer] : []);
}

/** Transfer the body instead of copying it, but only when no one else shares its buffer. */
function ownsWholeBuffer(bytes: Uint8Array | undefined): bytes is Uint8Array {
  return !!bytes && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.byteLength > 0;
}
