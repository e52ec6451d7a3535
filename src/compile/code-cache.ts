// Compiled code in memory, bounded by bytes. A miss recompiles from the artifacts, and re-transpiles
// from the content store if the artifacts are gone: a cache never fails a request.
// A component not folded yet is compiled on the glue's path and its fold asked of the host's fold
// queue (compile/fold-queue.ts); once the fold is stored and compiled, the entry is replaced. The
// folded code has its own code key, so workers load it as new code for the instances they create
// from then on, while an instance already made (running, ready or reused) keeps the code it was made from.
import { LRUCache } from 'lru-cache';
import type { ContentStore } from '../store/content-store.js';
import type { ArtifactStore } from './artifact-store.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest } from '../manifest/manifest.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import type { Artifacts } from './artifact-store.js';
import type { SnapshotResult } from './capture-snapshot.js';
import { codeKeyOf, compileCode, snapshotEnvDigest, type CodeSpec, type CompiledCode } from './compile-code.js';
import { limitMemory, pagesForMegabytes } from '../wasm/limit-memory.js';
import { ensureTranspiled, Toolchain } from './toolchain.js';
import type { FoldQueue } from './fold-queue.js';

/** Compiled V8 code is several times the wasm size; 512 MiB of wasm is a generous bound on 24 GiB. */
export const defaultCodeCacheBytes = 512 * 1024 * 1024;

export interface CodeCacheOptions {
  /** Default `defaultCodeCacheBytes`. */
  readonly maxBytes?: number;
  /** Folds components in the background; absent, a component runs on the glue's path unless its artifacts hold a fold already. */
  readonly folds?: FoldQueue;
  /**
   * Told when an entry's code was replaced by its fold: workers may drop what they loaded under
   * `codeKey` (its idle memories count against their budget until then).
   */
  readonly onReplaced?: (codeKey: string) => void;
}

export class CodeCache {
  readonly #artifacts: ArtifactStore;
  readonly #store: ContentStore;
  readonly #folds: FoldQueue | undefined;
  readonly #onReplaced: ((codeKey: string) => void) | undefined;
  readonly #cache: LRUCache<string, Promise<CompiledCode>>;

  constructor(artifacts: ArtifactStore, store: ContentStore, options: CodeCacheOptions = {}) {
    const maxBytes = options.maxBytes ?? defaultCodeCacheBytes;
    this.#artifacts = artifacts;
    this.#store = store;
    this.#folds = options.folds;
    this.#onReplaced = options.onReplaced;
    this.#cache = new LRUCache<string, Promise<CompiledCode>>({
      maxSize: maxBytes,
      // The size is known only once compiled; an entry counts 1 until then and is re-set after.
      sizeCalculation: () => 1,
    });
  }

  get(spec: CodeSpec): Promise<CompiledCode> {
    const key = codeKeyOf(spec.componentHex, spec.memoryMb, spec.initSnapshot?.env);
    const hit = this.#cache.get(key);
    if (hit) return hit;
    const compiling = this.#compile(spec, key);
    this.#cache.set(key, compiling);
    compiling.then(
      (code) => {
        if (this.#cache.peek(key) === compiling) this.#cache.set(key, compiling, { size: Math.max(1, code.sizeBytes) });
      },
      () => this.#cache.delete(key), // do not cache failures
    );
    return compiling;
  }

  async #compile(spec: CodeSpec, codeKey: string): Promise<CompiledCode> {
    const { componentHex, memoryMb } = spec;
    const artifacts = await ensureTranspiled(this.#artifacts, componentHex, () => this.#store.get(componentHex), 'later');
    const replaced = spec.initSnapshot ? await snapshotModules(artifacts, memoryMb, spec.initSnapshot.env) : undefined;
    const code = await compileCode(componentHex, artifacts, memoryMb, { codeKey, ...(replaced ? { replaced } : {}) });
    // A snapshot replaces the main module, which a fold would contain: that code stays on the glue's path.
    if (this.#folds && !artifacts.folded && !artifacts.foldRefused && !replaced) {
      this.#folds.request(componentHex, (folded) => this.#switchToFold(spec, codeKey, folded));
    }
    return code;
  }

  /** Compiles the fold of an entry's component and replaces the entry with it, unless the entry went meanwhile. */
  async #switchToFold(spec: CodeSpec, codeKey: string, folded: Artifacts): Promise<void> {
    const entry = this.#cache.peek(codeKey);
    if (!entry) return; // evicted: its next miss compiles the folded module
    const code = await compileCode(spec.componentHex, folded, spec.memoryMb, { codeKey });
    if (!folded.folded || !(folded.folded in code.modules)) return; // compile-code.ts chose the glue's path after all
    const replaced = await entry.catch(() => undefined);
    if (this.#cache.peek(codeKey) !== entry) return;
    this.#cache.set(codeKey, Promise.resolve(code), { size: Math.max(1, code.sizeBytes) });
    if (replaced && replaced.codeKey !== code.codeKey) this.#onReplaced?.(replaced.codeKey);
  }
}

/** A guest's initialisation may take this long when it is snapshotted; past it the deploy is refused. */
export const snapshotTimeoutMs = 30_000;

/**
 * The main module started from its initialised state, taken once per (component, memory cap,
 * environment) and kept beside the artifacts, so restarts and redeploys reuse it. Undefined when
 * the component has nothing to initialise.
 */
async function snapshotModules(artifacts: Artifacts, memoryMb: number, env: Readonly<Record<string, string>>): Promise<Record<string, Uint8Array> | undefined> {
  const file = join(artifacts.dir, `snapshot-${memoryMb}-${snapshotEnvDigest(env)}.json`);
  const saved = await readFile(file, 'utf8').then((text) => JSON.parse(text) as SavedSnapshot, () => undefined);
  if (saved) return saved.module ? { [saved.module]: new Uint8Array(await readFile(join(artifacts.dir, saved.bytesFile!))) } : undefined;

  const result = await takeSnapshot(artifacts, memoryMb, env);
  if (result.kind === 'no_init') {
    await writeFileAtomic(file, JSON.stringify({} satisfies SavedSnapshot));
    return undefined;
  }
  const bytesFile = `${file.slice(artifacts.dir.length + 1, -'.json'.length)}.${result.module}`;
  await writeFileAtomic(join(artifacts.dir, bytesFile), result.bytes);
  await writeFileAtomic(file, JSON.stringify({ module: result.module, bytesFile } satisfies SavedSnapshot));
  return { [result.module]: result.bytes };
}

/** Runs the component's initialisation in a one-off toolchain worker (deadline: snapshotTimeoutMs) and bakes its state. */
export async function takeSnapshot(artifacts: Artifacts, memoryMb: number, env: Readonly<Record<string, string>>): Promise<SnapshotResult> {
  const maxPages = pagesForMegabytes(memoryMb);
  const modules: Record<string, Uint8Array> = {};
  for (const name of artifacts.coreModules) modules[name] = limitMemory(new Uint8Array(await readFile(join(artifacts.dir, name))), maxPages);
  const toolchain = new Toolchain();
  try {
    return await toolchain.snapshot({ gluePath: artifacts.gluePath, modules, env }, snapshotTimeoutMs);
  } finally {
    await toolchain.close();
  }
}

/** The index of a saved snapshot; empty when the component has no initialisation. */
interface SavedSnapshot {
  readonly module?: string;
  readonly bytesFile?: string;
}

/** The spec of a function's code as its manifest asks for it. */
export function codeSpecOf(componentHex: string, manifest: Pick<Manifest, 'limits' | 'runtime' | 'env'>): CodeSpec {
  return {
    componentHex,
    memoryMb: manifest.limits.memoryMb,
    ...(manifest.runtime.initSnapshot ? { initSnapshot: { env: manifest.env } } : {}),
  };
}
