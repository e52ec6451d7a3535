// Compiles a component's core modules with its memory cap applied and, by default, the memory a
// module defines turned into an import the worker supplies (recycled: runtime/memory-pool.ts).
// Node cannot cache compiled wasm on disk, so this runs once per (component, memory cap) per
// process and the result is shared with every worker by postMessage.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Artifacts } from './artifact-store.js';
import { importMemory, type MemoryLimits } from './import-memory.js';
import { limitMemory, pagesForMegabytes } from './limit-memory.js';

export interface CompiledCode {
  readonly codeKey: string;
  readonly gluePath: string;
  readonly modules: Readonly<Record<string, WebAssembly.Module>>;
  /** The modules (by name) that import their memory from the host, with the limits it must have. */
  readonly memories: Readonly<Record<string, MemoryLimits>>;
  /** Bytes of core wasm, used to bound the in-memory cache. */
  readonly sizeBytes: number;
}

export interface CompileOptions {
  /** Rewrite defined memories into host imports so workers can recycle them. Default true; false is the bench's baseline. */
  readonly importMemories?: boolean;
}

export function codeKeyOf(componentHex: string, memoryMb: number): string {
  return `${componentHex}:${memoryMb}`;
}

export async function compileCode(componentHex: string, artifacts: Artifacts, memoryMb: number, options: CompileOptions = {}): Promise<CompiledCode> {
  const maxPages = pagesForMegabytes(memoryMb);
  const modules: Record<string, WebAssembly.Module> = {};
  const memories: Record<string, MemoryLimits> = {};
  let sizeBytes = 0;
  for (const name of artifacts.coreModules) {
    let bytes = limitMemory(new Uint8Array(await readFile(join(artifacts.dir, name))), maxPages);
    const rewritten = options.importMemories === false ? undefined : importMemory(bytes);
    if (rewritten) {
      bytes = rewritten.bytes;
      memories[name] = rewritten.memory;
    }
    sizeBytes += bytes.length;
    modules[name] = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  }
  return { codeKey: codeKeyOf(componentHex, memoryMb), gluePath: artifacts.gluePath, modules, memories, sizeBytes };
}
