// Worker thread that runs jco (wasm-tools + js-component-bindgen, themselves wasm) off the main
// thread: transpiling a large component takes seconds, and the host must keep serving meanwhile.
import { componentWit } from '@bytecodealliance/jco';
import { parentPort } from 'node:worker_threads';
import { generateSyncGlue } from './sync-glue.js';
import type { ToolchainReply, ToolchainRequest } from './toolchain-protocol.js';

const port = parentPort;
if (!port) throw new Error('toolchain-worker must run in a worker thread');

port.on('message', async (request: ToolchainRequest) => {
  try {
    let reply: ToolchainReply;
    if (request.op === 'wit') {
      reply = { id: request.id, ok: true, wit: await componentWit(request.component) };
    } else {
      reply = { id: request.id, ok: true, files: await generateSyncGlue(request.component, request.name) };
    }
    port.postMessage(reply);
  } catch (err) {
    port.postMessage({ id: request.id, ok: false, message: err instanceof Error ? err.message : String(err) } satisfies ToolchainReply);
  }
});
