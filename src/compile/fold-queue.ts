// The host's background folds: a new component activates and serves on jco's glue (four core
// instances) as soon as it is transpiled and compiled, and the fold of its core modules into one
// (compile/fold-core-modules.ts, about a second of CPU even for a hello) runs afterwards in a
// toolchain worker, off the main thread, one component at a time. Once a fold is stored, whoever
// asked (compile/code-cache.ts) compiles it and switches the component's code to it.
// A fold that fails or times out is logged once and not tried again while the host runs; a refused
// one is stored (fold-refused.txt) and never tried again.
import type { Artifacts, ArtifactStore } from './artifact-store.js';
import { foldTimeoutMs, Toolchain } from './toolchain.js';

/** How a background fold ended. `gone`: no kept version needs the component any more (deleted meanwhile). */
export type FoldOutcome = 'folded' | 'refused' | 'failed' | 'gone';

/** Test hooks: hold a fold at its start, fail it, and learn when it ended. */
export interface FoldHooks {
  /** Awaited before a fold starts; a rejection fails the fold with its message. */
  readonly beforeFold?: (componentHex: string) => Promise<void>;
  /** Told once a fold ended and everyone who asked for it was told (their code switched). */
  readonly afterFold?: (componentHex: string, outcome: FoldOutcome) => void;
}

export interface FoldQueueDeps {
  readonly artifacts: ArtifactStore;
  /** The host's log (logs/host-log.ts, a layer above). */
  readonly log: (line: string, fields?: { readonly level?: 'info' | 'warn' }) => void;
  readonly hooks?: FoldHooks;
  /** Default: a real `Toolchain`. */
  readonly startToolchain?: () => Toolchain;
  /** Default `foldTimeoutMs`. */
  readonly timeoutMs?: number;
  /**
   * Runs a fold's write between deploys and garbage collections (`Deployer.exclusive`): a collection
   * then never removes a directory while a fold writes into it, and a fold never writes into one a
   * collection removed (it would recreate half a directory). Absent: the write runs at once.
   */
  readonly exclusive?: <T>(work: () => Promise<T>) => Promise<T>;
}

/** Called with the component's artifacts once its fold is stored. */
export type OnFolded = (artifacts: Artifacts) => Promise<void>;

/**
 * Components waiting for their fold. Each costs about a second of CPU, so past this a burst of new
 * components (an import of many functions) serves on the glue's path until a restart asks again.
 */
export const maxQueuedFolds = 256;

export class FoldQueue {
  readonly #deps: FoldQueueDeps;
  /** Components queued or folding now, with who to tell when their fold is stored. */
  readonly #waiting = new Map<string, OnFolded[]>();
  readonly #order: string[] = [];
  /** Components whose fold failed in this process: not tried again until a restart. */
  readonly #failed = new Set<string>();
  #toolchain: Toolchain | undefined;
  #running: Promise<void> | undefined;
  #closed = false;
  /** Resolves on `close`: a test's hook holding a fold does not hold the host's close. */
  readonly #closing: Promise<void>;
  #close!: () => void;
  #warnedFull = false;

  constructor(deps: FoldQueueDeps) {
    this.#deps = deps;
    this.#closing = new Promise((resolve) => (this.#close = resolve));
  }

  /** Asks for the fold of a component; `onFolded` is called once it is stored. Never throws. */
  request(componentHex: string, onFolded: OnFolded): void {
    if (this.#closed || this.#failed.has(componentHex)) return;
    const waiting = this.#waiting.get(componentHex);
    if (waiting) {
      waiting.push(onFolded);
      return;
    }
    if (this.#order.length >= maxQueuedFolds) {
      if (!this.#warnedFull) this.#deps.log(`fold queue full (${maxQueuedFolds} components): component ${short(componentHex)} serves on the glue's path until the host restarts`, { level: 'warn' });
      this.#warnedFull = true;
      return;
    }
    this.#waiting.set(componentHex, [onFolded]);
    this.#order.push(componentHex);
    this.#running ??= this.#drain();
  }

  /** Whether the component's fold is queued or under way (`pending`), or failed in this process. */
  stateOf(componentHex: string): 'pending' | 'failed' | undefined {
    if (this.#waiting.has(componentHex)) return 'pending';
    return this.#failed.has(componentHex) ? 'failed' : undefined;
  }

  /** Resolves once no fold is queued or under way (benchmarks measure the host's steady state after it). */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** Drops what is queued, stops the fold under way and waits until nothing more is written. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#close();
    this.#order.length = 0;
    await this.#toolchain?.close();
    await this.#running;
  }

  async #drain(): Promise<void> {
    try {
      for (let hex = this.#order.shift(); hex !== undefined && !this.#closed; hex = this.#order.shift()) {
        const outcome = await this.#fold(hex);
        const waiting = this.#waiting.get(hex) ?? [];
        this.#waiting.delete(hex);
        if (outcome.kind === 'folded') {
          for (const told of await Promise.allSettled(waiting.map((tell) => tell(outcome.artifacts)))) {
            if (told.status === 'rejected') this.#deps.log(`component ${short(hex)} was folded, but its folded code could not be compiled: ${String((told.reason as Error)?.message ?? told.reason)}`, { level: 'warn' });
          }
        }
        this.#deps.hooks?.afterFold?.(hex, outcome.kind);
      }
    } finally {
      this.#waiting.clear();
      this.#warnedFull = false;
      this.#running = undefined;
      const toolchain = this.#toolchain;
      this.#toolchain = undefined;
      await toolchain?.close();
    }
  }

  async #fold(componentHex: string): Promise<{ kind: 'folded'; artifacts: Artifacts } | { kind: Exclude<FoldOutcome, 'folded'> }> {
    const { artifacts, log, hooks } = this.#deps;
    try {
      if (hooks?.beforeFold) await Promise.race([hooks.beforeFold(componentHex), this.#closing]);
      if (this.#closed) return { kind: 'failed' };
      const transpiled = await artifacts.get(componentHex);
      if (!transpiled) return { kind: 'gone' };
      if (transpiled.folded) return { kind: 'folded', artifacts: transpiled }; // folded before (a request after its end)
      if (transpiled.foldRefused) return { kind: 'refused' };
      const input = await artifacts.foldInput(transpiled);
      const toolchain = (this.#toolchain ??= (this.#deps.startToolchain ?? (() => new Toolchain()))());
      const result = await toolchain.fold(input.files, input.glueFile, this.#deps.timeoutMs ?? foldTimeoutMs);
      const save = () => artifacts.saveFold(componentHex, result);
      const saved = await (this.#deps.exclusive ? this.#deps.exclusive(save) : save());
      if (!saved) return { kind: 'gone' };
      if (result.kind === 'refused') {
        log(`component ${short(componentHex)} keeps the glue's path (four core instances): its fold was refused: ${result.reason}`);
        return { kind: 'refused' };
      }
      return saved.folded ? { kind: 'folded', artifacts: saved } : { kind: 'refused' };
    } catch (err) {
      // The toolchain may be wedged or terminated (a timeout): the next fold starts a fresh one.
      const toolchain = this.#toolchain;
      this.#toolchain = undefined;
      await toolchain?.close().catch(() => undefined);
      if (this.#closed) return { kind: 'failed' };
      if (!(await artifacts.get(componentHex))) return { kind: 'gone' }; // deleted while its files were read
      this.#failed.add(componentHex);
      log(`component ${short(componentHex)} keeps the glue's path until the host restarts: its fold failed: ${err instanceof Error ? err.message : String(err)}`, { level: 'warn' });
      return { kind: 'failed' };
    }
  }
}

function short(componentHex: string): string {
  return `sha256:${componentHex.slice(0, 12)}`;
}
