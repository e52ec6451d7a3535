// Main-thread handle on a toolchain worker: one per deploy, closed afterwards (deploys are rare,
// and a fresh worker cannot be left wedged by a pathological component), and one while the host's
// background folds run (compile/fold-queue.ts).
import { Worker } from 'node:worker_threads';
import { errorCatalog, type ErrorCode } from '../errors/error-catalog.js';
import { WasmletError } from '../errors/wasmlet-error.js';
import type { SnapshotRequest, SnapshotResult } from './capture-snapshot.js';
import type { FoldResult } from './fold-core-modules.js';
import { glueBaseName, type Artifacts, type ArtifactStore } from './artifact-store.js';
import type { ToolchainReply, ToolchainRequest } from './toolchain-protocol.js';

/** How long `close` waits for the worker to stop its folds' child processes before terminating it anyway. */
const cancelGraceMs = 2_000;

type Pending = { resolve: (reply: ToolchainReply) => void; reject: (err: Error) => void };
type RequestBody = ToolchainRequest extends infer R ? (R extends ToolchainRequest ? Omit<R, 'id'> : never) : never;

export class Toolchain {
  readonly #worker = new Worker(new URL('./toolchain-worker.js', import.meta.url));
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  /** Folds under way: their wasm-merge processes must be stopped before the worker goes (`close`). */
  #folds = 0;

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
    const reply = await this.#callWithin({ op: 'snapshot', request }, timeoutMs, () => new WasmletError('snapshot_refused', `init_snapshot: the guest's initialisation ran longer than ${timeoutMs} ms`));
    return reply.snapshot!;
  }

  /**
   * Folds the core modules of transpiled `files` into one (compile/fold-core-modules.ts). Resolves to
   * a refusal for a component it cannot fold; rejects when the worker fails or takes longer than
   * `timeoutMs` (the worker is then terminated: this toolchain is done).
   */
  async fold(files: Readonly<Record<string, Uint8Array>>, glueFile: string, timeoutMs: number): Promise<FoldResult> {
    this.#folds++;
    try {
      const reply = await this.#callWithin({ op: 'fold', files, glueFile }, timeoutMs, () => new Error(`the fold took longer than ${timeoutMs} ms`));
      return reply.fold!;
    } finally {
      this.#folds--;
    }
  }

  /**
   * Stops the worker. A fold's wasm-merge is a child process, which a terminated worker would leave
   * running (and its temporary directory behind): the worker is asked to stop those first, for at
   * most `cancelGraceMs`.
   */
  async close(): Promise<void> {
    if (this.#folds > 0) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, cancelGraceMs)));
      await Promise.race([this.#call({ op: 'cancel-folds' }).catch(() => undefined), grace]);
      clearTimeout(timer);
    }
    await this.#worker.terminate();
  }

  /** `#call`, but past `timeoutMs` the worker is terminated and the call fails with `expired()`. */
  async #callWithin(body: RequestBody, timeoutMs: number, expired: () => Error): Promise<Extract<ToolchainReply, { ok: true }>> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void this.close();
        reject(expired());
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.#call(body), deadline]);
    } finally {
      clearTimeout(timer);
    }
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

/** A fold may take this long in a toolchain worker; past it the component keeps the glue's path. */
export const foldTimeoutMs = 120_000;

/**
 * The artifacts of a component: from `artifacts` when it was transpiled before, otherwise transpiled
 * now in a one-off toolchain worker. `component` is only read on a miss. `fold`: `now` (benchmarks,
 * tests: the state a host reaches once its background fold is done) also folds the core modules
 * before returning, if that was never tried; `later` leaves that to the host's fold queue
 * (compile/fold-queue.ts).
 */
export async function ensureTranspiled(
  artifacts: ArtifactStore,
  componentHex: string,
  component: () => Promise<Uint8Array> | Uint8Array,
  fold: 'now' | 'later' = 'now',
): Promise<Artifacts> {
  let toolchain: Toolchain | undefined;
  try {
    const transpiled = await artifacts.ensure(componentHex, async () => (toolchain ??= new Toolchain()).transpile(await component(), glueBaseName));
    if (fold === 'later' || transpiled.folded || transpiled.foldRefused) return transpiled;
    const input = await artifacts.foldInput(transpiled);
    const result = await (toolchain ??= new Toolchain()).fold(input.files, input.glueFile, foldTimeoutMs);
    return (await artifacts.saveFold(componentHex, result)) ?? transpiled;
  } finally {
    await toolchain?.close();
  }
}
