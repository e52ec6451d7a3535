// How a recycled linear memory is returned to zero between two instances (memory-pool.ts), one
// strategy per mechanism. Each must leave every byte of the memory zero, whatever the guest wrote
// and wherever (memory-clearing.test.ts runs the same cases on all of them); the pool uses
// `defaultMemoryClearing`, bench/memory-clearing.ts measures them side by side on the examples.
import { MemoryZeroer, zeroingModuleBytes } from '../wasm/zeroing-module.js';

export interface MemoryClearing {
  readonly name: string;
  /** false: the memory is never kept; the next instance gets a new one (zeroed lazily by the OS). */
  readonly recycles: boolean;
  /** Makes every byte of `memory` zero. */
  clear(memory: WebAssembly.Memory): void;
}

/** One zeroing instance per memory, made on its first clearing (≈ 10 µs) and dropped with it. */
const zeroers = new WeakMap<WebAssembly.Memory, MemoryZeroer>();
/**
 * V8 compiles SIMD only on CPUs that have it (SSE4.1 on x64): elsewhere the wasm strategies fall
 * back to a typed-array fill, so that a memory is never left dirty because the helper cannot run.
 */
const zeroingSupported = WebAssembly.validate(zeroingModuleBytes);
function zeroerFor(memory: WebAssembly.Memory): MemoryZeroer | undefined {
  if (!zeroingSupported) return undefined;
  let zeroer = zeroers.get(memory);
  if (!zeroer) zeroers.set(memory, (zeroer = new MemoryZeroer(memory)));
  return zeroer;
}

/** `fill(0)` over a Uint8Array of the whole memory: writes every byte, so every page becomes resident. */
export const typedArrayFill: MemoryClearing = {
  name: 'typed-fill',
  recycles: true,
  clear: (memory) => void new Uint8Array(memory.buffer).fill(0),
};

/** One bulk-memory `memory.fill` of the whole memory from a helper instance sharing it. */
export const wasmMemoryFill: MemoryClearing = {
  name: 'wasm-fill',
  recycles: true,
  clear: (memory) => {
    const zeroer = zeroerFor(memory);
    if (zeroer) zeroer.fill(0, memory.buffer.byteLength);
    else typedArrayFill.clear(memory);
  },
};

/**
 * Reads the whole memory (SIMD, 64 bytes a step) and zeroes only the 4 KiB blocks holding a
 * non-zero byte. A page neither the guest nor the host ever wrote stays the OS's shared zero page:
 * reading it costs cache hits, and the memory's resident size stays what the guest touched.
 */
export const dirtyBlocks: MemoryClearing = {
  name: 'dirty-blocks',
  recycles: true,
  clear: (memory) => {
    const zeroer = zeroerFor(memory);
    if (zeroer) zeroer.zeroDirtyBlocks(0, memory.buffer.byteLength);
    else typedArrayFill.clear(memory);
  },
};

/** No recycling: the memory is dropped (its pages go with a GC) and the next instance gets a new one. */
export const freshMemory: MemoryClearing = {
  name: 'fresh',
  recycles: false,
  clear: () => {
    throw new Error('a fresh-memory pool never clears a memory (host bug)');
  },
};

export const memoryClearings: readonly MemoryClearing[] = [typedArrayFill, wasmMemoryFill, dirtyBlocks, freshMemory];

/** What the pool uses unless told otherwise: see bench/README.md, "Clearing a recycled memory". */
export const defaultMemoryClearing: MemoryClearing = dirtyBlocks;
