// Main-thread handle on a toolchain worker: one per deploy, closed afterwards (deploys are rare,
// and a fresh worker cannot be left wedged by a pathological component).
import { Worker } from 'node:worker_threads';
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

  async close(): Promise<void> {
    await this.#worker.terminate();
  }

  #call(body: RequestBody): Promise<Extract<ToolchainReply, { ok: true }>> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, {
        resolve: (reply) => (reply.ok ? resolve(reply) : reject(new Error(reply.message))),
        reject,
      });
      this.#worker.postMessage({ ...body, id });
    });
  }
}
