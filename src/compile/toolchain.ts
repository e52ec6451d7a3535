// Main-thread handle on a toolchain worker: one per deploy, closed afterwards (deploys are rare,
// and a fresh worker cannot be left wedged by a pathological component).
import { Worker } from 'node:worker_threads';
import { errorCatalog, type ErrorCode } from '../errors/error-catalog.js';
import { WasmletError } from '../errors/wasmlet-error.js';
import type { SnapshotRequest, SnapshotResult } from './capture-snapshot.js';
import { glueBaseName, type Artifacts, type ArtifactStore } from './artifact-store.js';
import type { ToolchainReply, ToolchainRequest } from './toolchain-protocol.js';

type Pending = { resolve: (reply: ToolchainReply) => void; reject: (err: Error) => void };
type RequestBody = ToolchainRequest extends infer R ? (R extends ToolchainRequest ? Omit<R, 'id'> : never) : never;

export class Toolchain {
  readonly #worker = new Worker(new URL('./toolchain-worker.js', import.meta.url));
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;

  constructor() {
    this.#worker.on('message', (reply: ToolchainReply) => {
      this.#pending.get(reply.id)?.resolve(reply);
      this.#pending.delete(reply.id);
    });
    const failAll = (err: Error) => {
      for (const pending of this.#pending.values()) pending.reject(err);
      this.#pending.clear();
    };
    this.#worker.on('error', failAll);
    this.#worker.on('exit', (code) => failAll(new Error(`toolchain worker exited with code ${code}`)));
  }

  /** The component's world as WIT text (wasm-tools `component wit`). */
  async wit(component: Uint8Array): Promise<string> {
    const reply = await this.#call({ op: 'wit', component });
    return reply.wit ?? '';
  }

  /** jco transpile with sync instantiation: glue JS plus core modules, by file name. */
  async transpile(component: Uint8Array, name: string): Promise<Record<string, Uint8Array>> {
    const reply = await this.#call({ op: 'transpile', component, name });
    return reply.files ?? {};
  }

  /**
   * Runs the component's initialisation once and bakes its state into its main module. Guest code
   * runs in the worker: past `timeoutMs` the worker is terminated and the snapshot refused.
   */
  async snapshot(request: SnapshotRequest, timeoutMs: number): Promise<SnapshotResult> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void this.#worker.terminate();
        reject(new WasmletError('snapshot_refused', `init_snapshot: the guest's initialisation ran longer than ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      const reply = await Promise.race([this.#call({ op: 'snapshot', request }), deadline]);
      return reply.snapshot!;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }

  #call(body: RequestBody): Promise<Extract<ToolchainReply, { ok: true }>> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, {
        resolve: (reply) => {
          if (reply.ok) resolve(reply);
          else reject(reply.code && reply.code in errorCatalog ? new WasmletError(reply.code as ErrorCode, reply.message) : new Error(reply.message));
        },
        reject,
      });
      this.#worker.postMessage({ ...body, id });
    });
  }
}

/**
 * The artifacts of a component: from `artifacts` when it was transpiled before, otherwise transpiled
 * now in a one-off toolchain worker. `component` is only read on a miss.
 */
export function ensureTranspiled(artifacts: ArtifactStore, componentHex: string, component: () => Promise<Uint8Array> | Uint8Array): Promise<Artifacts> {
  return artifacts.ensure(componentHex, async () => {
    const toolchain = new Toolchain();
    try {
      return await toolchain.transpile(await component(), glueBaseName);
    } finally {
      await toolchain.close();
    }
  });
}
