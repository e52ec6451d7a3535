// Compiles a component's core modules with its memory cap applied and, by default, the memory a
// module defines turned into an import the worker supplies (recycled: runtime/memory-pool.ts).
// Node cannot cache compiled wasm on disk, so this runs once per (component, memory cap) per
// process and the result is shared with every worker by postMessage.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Artifacts } from './artifact-store.js';
import { importMemory, type MemoryLimits } from '../wasm/import-memory.js';
import { limitMemory, pagesForMegabytes } from '../wasm/limit-memory.js';
import { sha256Hex } from '../store/digest.js';

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
  /** Modules (by name) to compile instead of the transpiled file, memory cap already written: an init snapshot. */
  readonly replaced?: Readonly<Record<string, Uint8Array>>;
  /** Identity of the result; default codeKeyOf(componentHex, memoryMb). */
  readonly codeKey?: string;
  /** Use the folded module when the artifacts have one (compile/fold-core-modules.ts). Default true; false is the bench's baseline. */
  readonly fold?: boolean;
}

/**
 * What to compile: a component under a memory cap and, with `[runtime] init_snapshot`, started from
 * its initialised state, which depends on the environment init read.
 */
export interface CodeSpec {
  readonly componentHex: string;
  readonly memoryMb: number;
  readonly initSnapshot?: { readonly env: Readonly<Record<string, string>> };
}

/** Ends the code key of a folded component's code. */
export const foldedCodeKeySuffix = ':folded';

export function codeKeyOf(componentHex: string, memoryMb: number, initSnapshotEnv?: Readonly<Record<string, string>>): string {
  const key = `${componentHex}:${memoryMb}`;
  return initSnapshotEnv ? `${key}:snapshot-${snapshotEnvDigest(initSnapshotEnv)}` : key;
}

/** Digests by environment object: a manifest's [env] is one frozen object, looked up on every call. */
const envDigests = new WeakMap<object, string>();

/** A short, order-independent digest of the environment a snapshot was taken with. */
export function snapshotEnvDigest(env: Readonly<Record<string, string>>): string {
  let digest = envDigests.get(env);
  if (digest === undefined) {
    const sorted = Object.keys(env).sort().map((k) => [k, env[k]]);
    digest = sha256Hex(new TextEncoder().encode(JSON.stringify(sorted))).slice(0, 16);
    envDigests.set(env, digest);
  }
  return digest;
}

export async function compileCode(componentHex: string, artifacts: Artifacts, memoryMb: number, options: CompileOptions = {}): Promise<CompiledCode> {
  const maxPages = pagesForMegabytes(memoryMb);
  const codeKey = options.codeKey ?? codeKeyOf(componentHex, memoryMb);
  // The folded module stands in for all the others, with the pool's memory: its glue keeps the
  // main memory before the one instance exists, so without an importable memory it cannot be used.
  // An init snapshot replaces the main module, which the folded one contains: the glue's path then.
  if (artifacts.folded && options.fold !== false && options.importMemories !== false && !options.replaced) {
    const rewritten = importMemory(limitMemory(new Uint8Array(await readFile(join(artifacts.dir, artifacts.folded))), maxPages));
    if (rewritten) {
      const module = await WebAssembly.compile(rewritten.bytes as Uint8Array<ArrayBuffer>);
      // A key of its own: a component folded after it served (compile/fold-queue.ts) reaches the workers as new code.
      return { codeKey: `${codeKey}${foldedCodeKeySuffix}`, gluePath: artifacts.gluePath, modules: { [artifacts.folded]: module }, memories: { [artifacts.folded]: rewritten.memory }, sizeBytes: rewritten.bytes.length };
    }
  }
  const modules: Record<string, WebAssembly.Module> = {};
  const memories: Record<string, MemoryLimits> = {};
  let sizeBytes = 0;
  for (const name of artifacts.coreModules) {
    let bytes = options.replaced?.[name] ?? limitMemory(new Uint8Array(await readFile(join(artifacts.dir, name))), maxPages);
    const rewritten = options.importMemories === false ? undefined : importMemory(bytes);
    if (rewritten) {
      bytes = rewritten.bytes;
      memories[name] = rewritten.memory;
    }
    sizeBytes += bytes.length;
    modules[name] = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  }
  return { codeKey, gluePath: artifacts.gluePath, modules, memories, sizeBytes };
}
