// Worker thread that runs jco (wasm-tools + js-component-bindgen, themselves wasm) off the main
// thread: transpiling a large component takes seconds, and the host must keep serving meanwhile.
// Transpiling also folds the core modules into one where it can (compile/fold-core-modules.ts).
// It also runs a guest's initialisation for `init_snapshot` (compile/capture-snapshot.ts), under a
// deadline the main thread enforces by terminating it.
import { componentWit } from '@bytecodealliance/jco';
import { parentPort } from 'node:worker_threads';
import { WasmletError } from '../errors/wasmlet-error.js';
import { captureSnapshot } from './capture-snapshot.js';
import { withFoldedModule } from './fold-core-modules.js';
import { generateSyncGlue } from './sync-glue.js';
import type { ToolchainReply, ToolchainRequest } from './toolchain-protocol.js';

const port = parentPort;
if (!port) throw new Error('toolchain-worker must run in a worker thread');

port.on('message', async (request: ToolchainRequest) => {
  try {
    let reply: ToolchainReply;
    if (request.op === 'wit') {
      reply = { id: request.id, ok: true, wit: await componentWit(request.component) };
    } else if (request.op === 'transpile') {
      const files = await generateSyncGlue(request.component, request.name);
      reply = { id: request.id, ok: true, files: await withFoldedModule(files, `${request.name}.js`) };
    } else {
      reply = { id: request.id, ok: true, snapshot: await captureSnapshot(request.request) };
    }
    port.postMessage(reply);
  } catch (err) {
    const code = err instanceof WasmletError ? err.code : undefined;
    port.postMessage({ id: request.id, ok: false, message: err instanceof Error ? err.message : String(err), ...(code ? { code } : {}) } satisfies ToolchainReply);
  }
});
