// Worker thread that runs jco (wasm-tools + js-component-bindgen, themselves wasm) off the main
// thread: transpiling a large component takes seconds, and the host must keep serving meanwhile.
// It folds a transpiled component's core modules into one (compile/fold-core-modules.ts), for the
// host in the background after the deploy (compile/fold-queue.ts).
// It also runs a guest's initialisation for `init_snapshot` (compile/capture-snapshot.ts), under a
// deadline the main thread enforces by terminating it.
// Each operation loads its own modules when first asked: a worker that only folds (in the
// background, while the host serves) never loads jco.
import { parentPort } from 'node:worker_threads';
import { WasmletError } from '../errors/wasmlet-error.js';
import type { ToolchainReply, ToolchainRequest } from './toolchain-protocol.js';

const port = parentPort;
if (!port) throw new Error('toolchain-worker must run in a worker thread');
/** Folds under way, each with the way to stop its wasm-merge process (`cancel-folds`). */
const folding = new Map<AbortController, Promise<unknown>>();

port.on('message', async (request: ToolchainRequest) => {
  try {
    let reply: ToolchainReply;
    if (request.op === 'wit') {
      const { componentWit } = await import('@bytecodealliance/jco');
      reply = { id: request.id, ok: true, wit: await componentWit(request.component) };
    } else if (request.op === 'transpile') {
      const { generateSyncGlue } = await import('./sync-glue.js');
      reply = { id: request.id, ok: true, files: await generateSyncGlue(request.component, request.name) };
    } else if (request.op === 'fold') {
      const controller = new AbortController();
      const { files, glueFile } = request;
      const fold = import('./fold-core-modules.js').then(({ foldCoreModules }) => foldCoreModules(files, glueFile, controller.signal));
      folding.set(controller, fold);
      try {
        reply = { id: request.id, ok: true, fold: await fold };
      } finally {
        folding.delete(controller);
      }
    } else if (request.op === 'cancel-folds') {
      for (const controller of folding.keys()) controller.abort();
      await Promise.allSettled(folding.values());
      reply = { id: request.id, ok: true };
    } else {
      const { captureSnapshot } = await import('./capture-snapshot.js');
      reply = { id: request.id, ok: true, snapshot: await captureSnapshot(request.request) };
    }
    port.postMessage(reply);
  } catch (err) {
    const code = err instanceof WasmletError ? err.code : undefined;
    port.postMessage({ id: request.id, ok: false, message: err instanceof Error ? err.message : String(err), ...(code ? { code } : {}) } satisfies ToolchainReply);
  }
});
