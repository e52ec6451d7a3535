// A tiny core module that shares a linear memory with a guest and zeroes it from inside wasm: a
// `memory.fill` (bulk memory) and a scan that zeroes only the 4 KiB blocks holding a non-zero byte
// (SIMD). Why a scan: a block the guest never wrote was never written by the host either, so the
// OS still maps it to its one shared zero page; reading it hits the cache, where writing zeroes
// over it (TypedArray fill) would make every page of the memory resident and evict the cache.
// The bytes are written by hand below (no toolchain at run time); the text is in the comments.

/** The size of the blocks `zeroDirtyBlocks` tests and clears: the OS's page. */
export const zeroingBlockBytes = 4096;
/** `zeroDirtyBlocks` reads 64 bytes per step: its bounds must be multiples of this. */
export const zeroingAlignBytes = 64;

// (module
//   (import "wasmlet:zeroing" "memory" (memory 0))     ;; any memory of any size and maximum fits
//   (func (export "fill") (param $start i32) (param $length i32)
//     (memory.fill (local.get $start) (i32.const 0) (local.get $length)))
//   (func (export "zeroDirtyBlocks") (param $start i32) (param $end i32) (result i32)
//     (local $blockEnd i32) (local $p i32) (local $dirty i32) (local $acc v128)
//     (block $done (loop $blocks
//       (br_if $done (i32.ge_u (local.get $start) (local.get $end)))
//       ;; blockEnd = min(start + 4096, end)
//       (local.set $blockEnd (select (local.tee $blockEnd (i32.add (local.get $start) (i32.const 4096)))
//                                    (local.get $end) (i32.lt_u (local.get $blockEnd) (local.get $end))))
//       (local.set $acc (v128.const i64x2 0 0))
//       (local.set $p (local.get $start))
//       (loop $words  ;; OR of every 16-byte word of the block, four per step
//         (local.set $acc (v128.or (v128.or (local.get $acc) (v128.load (local.get $p)))
//                                  (v128.or (v128.load offset=16 (local.get $p))
//                                           (v128.or (v128.load offset=32 (local.get $p)) (v128.load offset=48 (local.get $p))))))
//         (br_if $words (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 64))) (local.get $blockEnd))))
//       (if (v128.any_true (local.get $acc)) (then
//         (memory.fill (local.get $start) (i32.const 0) (i32.sub (local.get $blockEnd) (local.get $start)))
//         (local.set $dirty (i32.add (local.get $dirty) (i32.const 1)))))
//       (local.set $start (local.get $blockEnd))
//       (br $blocks)))
//     (local.get $dirty)))
const section = (id: number, content: number[]): number[] => [id, ...leb(content.length), ...content];
const name = (text: string): number[] => [text.length, ...new TextEncoder().encode(text)];
function leb(value: number): number[] {
  const bytes: number[] = [];
  do {
    const low = value & 0x7f;
    value >>>= 7;
    bytes.push(value === 0 ? low : low | 0x80);
  } while (value !== 0);
  return bytes;
}
const [i32, v128, voidBlock] = [0x7f, 0x7b, 0x40];
const [localGet, localSet, localTee] = [0x20, 0x21, 0x22];
const [block, loop, ifThen, end, br, brIf, select] = [0x02, 0x03, 0x04, 0x0b, 0x0c, 0x0d, 0x1b];
const [i32Const, i32LtU, i32GeU, i32Add, i32Sub] = [0x41, 0x49, 0x4f, 0x6a, 0x6b];
const memoryFill = [0xfc, 0x0b, 0x00];
const v128Load = (offset: number) => [0xfd, 0x00, 4, ...leb(offset)]; // align 2^4
const [v128Or, v128AnyTrue] = [[0xfd, 0x50], [0xfd, 0x53]];
const v128ConstZero = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
const [start, endParam, blockEnd, p, dirty, acc] = [0, 1, 2, 3, 4, 5];

const fillBody = [0, localGet, start, i32Const, 0, localGet, 1, ...memoryFill, end];
const zeroDirtyBody = [
  ...[2, 3, i32, 1, v128], // locals: blockEnd, p, dirty: i32; acc: v128
  ...[block, voidBlock, loop, voidBlock],
  ...[localGet, start, localGet, endParam, i32GeU, brIf, 1],
  ...[localGet, start, i32Const, ...signedLeb(zeroingBlockBytes), i32Add, localTee, blockEnd],
  ...[localGet, endParam, localGet, blockEnd, localGet, endParam, i32LtU, select, localSet, blockEnd],
  ...[...v128ConstZero, localSet, acc, localGet, start, localSet, p],
  ...[loop, voidBlock],
  ...[localGet, acc, localGet, p, ...v128Load(0), ...v128Or],
  ...[localGet, p, ...v128Load(16), localGet, p, ...v128Load(32), localGet, p, ...v128Load(48), ...v128Or, ...v128Or, ...v128Or, localSet, acc],
  ...[localGet, p, i32Const, 0xc0, 0x00, i32Add, localTee, p, localGet, blockEnd, i32LtU, brIf, 0, end],
  ...[localGet, acc, ...v128AnyTrue, ifThen, voidBlock],
  ...[localGet, start, i32Const, 0, localGet, blockEnd, localGet, start, i32Sub, ...memoryFill],
  ...[localGet, dirty, i32Const, 1, i32Add, localSet, dirty, end],
  ...[localGet, blockEnd, localSet, start, br, 0, end, end],
  ...[localGet, dirty, end],
];
function signedLeb(value: number): number[] {
  // i32.const takes a signed LEB128; for the small positive constants here, one sign bit of headroom.
  const bytes = leb(value);
  if ((bytes[bytes.length - 1]! & 0x40) !== 0) {
    bytes[bytes.length - 1]! |= 0x80;
    bytes.push(0);
  }
  return bytes;
}

/** The module's bytes (exported for the unit test). */
export const zeroingModuleBytes = Uint8Array.from([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...section(1, [2, 0x60, 2, i32, i32, 0, 0x60, 2, i32, i32, 1, i32]),
  ...section(2, [1, ...name('wasmlet:zeroing'), ...name('memory'), 0x02, 0x00, 0x00]),
  ...section(3, [2, 0, 1]),
  ...section(7, [2, ...name('fill'), 0x00, 0, ...name('zeroDirtyBlocks'), 0x00, 1]),
  ...section(10, [2, ...leb(fillBody.length), ...fillBody, ...leb(zeroDirtyBody.length), ...zeroDirtyBody]),
]);

let compiled: WebAssembly.Module | undefined;

/** Zeroing operations on one memory; instantiate once per memory (≈ 10 µs) and keep it with the memory. */
export class MemoryZeroer {
  readonly #fill: (start: number, length: number) => void;
  readonly #zeroDirtyBlocks: (start: number, end: number) => number;

  constructor(readonly memory: WebAssembly.Memory) {
    compiled ??= new WebAssembly.Module(zeroingModuleBytes);
    const { exports } = new WebAssembly.Instance(compiled, { 'wasmlet:zeroing': { memory } });
    this.#fill = exports['fill'] as (start: number, length: number) => void;
    this.#zeroDirtyBlocks = exports['zeroDirtyBlocks'] as (start: number, end: number) => number;
  }

  /** Zeroes `[start, start + length)` with `memory.fill`. */
  fill(start: number, length: number): void {
    this.#fill(start, length);
  }

  /**
   * Zeroes every 4 KiB block of `[start, end)` (the last one may be shorter) that holds a non-zero
   * byte, leaves the others untouched, and returns how many it zeroed. Both bounds must be multiples
   * of 64; an out-of-bounds range traps (a host bug, not a guest's).
   */
  zeroDirtyBlocks(start: number, end: number): number {
    if (start % zeroingAlignBytes !== 0 || end % zeroingAlignBytes !== 0 || start > end) {
      throw new RangeError(`zeroDirtyBlocks: [${start}, ${end}) is not a range of 64-byte multiples (host bug)`);
    }
    return this.#zeroDirtyBlocks(start, end) >>> 0;
  }
}
