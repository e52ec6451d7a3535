// One guest worker thread as the pool sees it: the Worker, the port its invocation's events go
// through, the shared cell that wakes it from a wait, and what it has loaded (code, grants, ready
// instances). Scheduling state (computing, blocked, idle) is the pool's (worker-pool.ts).
import { LRUCache } from 'lru-cache';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { defaultInstanceReuse } from '../manifest/manifest-bounds.js';
import type { GuestCall } from './guest-call.js';
import { isInstanceOfCode, maxReadyInstancesPerWorker } from './instance-policy.js';
import type { RunnableFunction } from './runnable-function.js';
import type { EventMessage, FromWorker, GuestWorkerData, InvokeMessage, ToWorker } from './worker-protocol.js';

export interface GuestThreadOptions {
  readonly preInstantiate: boolean;
  /** V8 heap cap of the worker (wasm memory is capped separately, per function). */
  readonly workerHeapMb: number;
}

export interface GuestThreadListeners {
  onMessage(message: FromWorker): void;
  /** The worker crashed or exited; not called after `terminate`. */
  onDied(reason: string): void;
}

/**
 * Every invocation allocates a fresh instance and its glue objects, all garbage a moment later;
 * a roomier young generation scavenges less often. Measured A/B, alternating, on hello-c over the
 * in-process HTTP app: 1.45–1.70 → 1.04–1.20 ms CPU per request (sequential).
 */
const workerYoungGenerationMb = 64;
/** Code versions a worker keeps loaded; older ones are evicted (the main thread re-sends them on demand). */
const maxLoadedCodePerWorker = 256;

export class GuestThread {
  readonly #worker: Worker;
  /** The main thread's end of the worker's event port. */
  readonly #events: MessagePort;
  readonly #wake: Int32Array;
  /** The highest invocation `seq` decided (started by the worker, or taken back): worker-protocol.ts. */
  readonly #decided: BigInt64Array;
  /** Invocations sent to this thread so far: the next one's `seq` is this plus one. */
  #sent = 0;
  /** Code versions this worker has loaded (evicted from the worker when they age out here). */
  readonly loaded: LRUCache<string, true>;
  /** Function versions whose grants this worker has. */
  readonly versions: LRUCache<string, true>;
  /**
   * Instance keys this worker said it keeps ready, least recent first; it mirrors the worker's own
   * bound, so it is a routing hint that can be wrong (a failed preparation, an aged-out instance).
   */
  readonly ready = new LRUCache<string, true>({ max: maxReadyInstancesPerWorker });

  constructor(options: GuestThreadOptions, listeners: GuestThreadListeners) {
    const channel = new MessageChannel();
    const wake = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    const decided = new SharedArrayBuffer(BigInt64Array.BYTES_PER_ELEMENT);
    const workerData: GuestWorkerData = { preInstantiate: options.preInstantiate, events: channel.port2, wake, decided };
    this.#worker = new Worker(new URL('./guest-worker.js', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: options.workerHeapMb, maxYoungGenerationSizeMb: workerYoungGenerationMb },
      // Guests must never see the host's environment, even by accident through process.env.
      env: {},
      stdout: false,
      stderr: false,
      workerData,
      transferList: [channel.port2],
    });
    this.#events = channel.port1;
    this.#events.unref();
    this.#wake = new Int32Array(wake);
    this.#decided = new BigInt64Array(decided);
    this.loaded = new LRUCache<string, true>({
      max: maxLoadedCodePerWorker,
      dispose: (_value, codeKey, reason) => {
        if (reason === 'set') return;
        this.post({ type: 'evict', codeKey });
        for (const key of [...this.ready.keys()]) if (isInstanceOfCode(key, codeKey)) this.ready.delete(key);
      },
    });
    this.versions = new LRUCache<string, true>({
      max: maxLoadedCodePerWorker,
      dispose: (_value, versionKey, reason) => {
        if (reason !== 'set') this.post({ type: 'forget-version', versionKey });
      },
    });
    this.#worker.on('message', (message: FromWorker) => listeners.onMessage(message));
    this.#worker.on('error', (err) => listeners.onDied(`worker crashed: ${err.message}`));
    this.#worker.on('exit', (code) => listeners.onDied(`worker exited with code ${code}`));
    this.#worker.unref();
  }

  post(message: ToWorker): void {
    this.#worker.postMessage(message);
  }

  /**
   * The message that runs `call` of `fn` on this thread, with its code and grants when the thread
   * lacks them; it takes the next `seq` (see `InvokeMessage.seq`): post messages in that order.
   */
  invokeMessage(id: number, fn: RunnableFunction, call: GuestCall, maxResponseBytes: number): InvokeMessage {
    // `get` marks them recently used: building a later message of the same batch must not evict
    // the code or grants of an earlier one (the eviction would reach the worker before the batch).
    const needsLoad = this.loaded.get(fn.codeKey) === undefined;
    if (needsLoad) this.loaded.set(fn.codeKey, true);
    const needsGrants = this.versions.get(fn.versionKey) === undefined;
    if (needsGrants) this.versions.set(fn.versionKey, true);
    return {
      type: 'invoke',
      id,
      seq: ++this.#sent,
      functionName: fn.name,
      codeKey: fn.codeKey,
      versionKey: fn.versionKey,
      instanceReuse: fn.instanceReuse ?? defaultInstanceReuse,
      ...(needsLoad ? { load: { gluePath: fn.gluePath, modules: fn.modules, memories: fn.memories } } : {}),
      ...(needsGrants ? { grants: fn.grants } : {}),
      call,
      maxResponseBytes,
    };
  }

  /**
   * Takes back the invocations handed ahead with seqs `first` to `last` that have not started.
   * Returns the highest seq started: those up to it stay, those after it the worker will skip. Or
   * undefined, taking nothing back, while the invocation before `first` has not started (taking
   * back would skip it too) — unless the thread is `going` (terminated or dead: nothing more runs).
   */
  takeBack(first: number, last: number, going = false): number | undefined {
    const lastSeq = BigInt(last);
    const before = BigInt(first - 1);
    for (;;) {
      const seen = Atomics.load(this.#decided, 0);
      if (seen >= lastSeq) return last;
      if (!going && seen < before) return undefined;
      if (Atomics.compareExchange(this.#decided, 0, seen, lastSeq) === seen) return Number(seen);
    }
  }

  /** An event for the running invocation's request; the worker reads it synchronously. */
  sendEvent(message: EventMessage): void {
    const bytes = message.event.kind === 'chunk' ? message.event.bytes : undefined;
    // Transfer a chunk instead of copying it, but only when nothing else shares its buffer.
    const owned = bytes && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    this.#events.postMessage(message, owned ? [bytes.buffer as ArrayBuffer] : []);
  }

  /** Lets a worker blocked in a wait compute again (it sleeps on this cell). */
  wake(): void {
    Atomics.add(this.#wake, 0, 1);
    Atomics.notify(this.#wake, 0);
  }

  /** Stops the worker (the only way to stop a spinning guest); it reports nothing afterwards. */
  terminate(): Promise<number> {
    this.#worker.removeAllListeners();
    this.#worker.on('error', () => {}); // a terminating worker may still report; nobody is listening
    this.#events.close();
    return this.#worker.terminate();
  }
}
