// Compiled code in memory, bounded by bytes. A miss recompiles from the artifacts, and re-transpiles
// from the content store if the artifacts are gone: a cache never fails a request.
import { LRUCache } from 'lru-cache';
import type { ContentStore } from '../store/content-store.js';
import type { ArtifactStore } from './artifact-store.js';
import { codeKeyOf, compileCode, type CompiledCode } from './compile-code.js';
import { Toolchain } from './toolchain.js';

/** Compiled V8 code is several times the wasm size; 512 MiB of wasm is a generous bound on 24 GiB. */
export const defaultCodeCacheBytes = 512 * 1024 * 1024;

export class CodeCache {
  readonly #artifacts: ArtifactStore;
  readonly #store: ContentStore;
  readonly #cache: LRUCache<string, Promise<CompiledCode>>;

  constructor(artifacts: ArtifactStore, store: ContentStore, maxBytes = defaultCodeCacheBytes) {
    this.#artifacts = artifacts;
    this.#store = store;
    this.#cache = new LRUCache<string, Promise<CompiledCode>>({
      maxSize: maxBytes,
      // The size is known only once compiled; an entry counts 1 until then and is re-set after.
      sizeCalculation: () => 1,
    });
  }

  get(componentHex: string, memoryMb: number): Promise<CompiledCode> {
    const key = codeKeyOf(componentHex, memoryMb);
    const hit = this.#cache.get(key);
    if (hit) return hit;
    const compiling = this.#compile(componentHex, memoryMb);
    this.#cache.set(key, compiling);
    compiling.then(
      (code) => {
        if (this.#cache.peek(key) === compiling) this.#cache.set(key, compiling, { size: Math.max(1, code.sizeBytes) });
      },
      () => this.#cache.delete(key), // do not cache failures
    );
    return compiling;
  }

  async #compile(componentHex: string, memoryMb: number): Promise<CompiledCode> {
    const artifacts = await this.#artifacts.ensure(componentHex, async () => {
      const toolchain = new Toolchain();
      try {
        return await toolchain.transpile(await this.#store.get(componentHex), 'fn');
      } finally {
        await toolchain.close();
      }
    });
    return compileCode(componentHex, artifacts, memoryMb);
  }
}
