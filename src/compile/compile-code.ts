// Compiles a component's core modules with its memory cap applied. Node cannot cache compiled
// wasm on disk, so this runs once per (component, memory cap) per process and the result is shared
// with every worker by postMessage.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Artifacts } from './artifact-store.js';
import { limitMemory, pagesForMegabytes } from './limit-memory.js';

export interface CompiledCode {
  readonly codeKey: string;
  readonly gluePath: string;
  readonly modules: Readonly<Record<string, WebAssembly.Module>>;
  /** Bytes of core wasm, used to bound the in-memory cache. */
  readonly sizeBytes: number;
}

export function codeKeyOf(componentHex: string, memoryMb: number): string {
  return `${componentHex}:${memoryMb}`;
}

export async function compileCode(componentHex: string, artifacts: Artifacts, memoryMb: number): Promise<CompiledCode> {
  const maxPages = pagesForMegabytes(memoryMb);
  const modules: Record<string, WebAssembly.Module> = {};
  let sizeBytes = 0;
  for (const name of artifacts.coreModules) {
    const bytes = limitMemory(new Uint8Array(await readFile(join(artifacts.dir, name))), maxPages);
    sizeBytes += bytes.length;
    modules[name] = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  }
  return { codeKey: codeKeyOf(componentHex, memoryMb), gluePath: artifacts.gluePath, modules, sizeBytes };
}
