#!/usr/bin/env node
// Gives the WASI preview1 adapter memory of its own in a Go core module: finds the static arena
// of sdk/go (adapter_arena_wasip1.go) by its magic and adds a raw-wasm bump allocator over it,
// exported as `cabi_realloc_adapter`, which wit-component hands to the adapter instead of Go's
// `cabi_realloc`. Without it Go and the adapter corrupt each other's memory (shared notes,
// toolchains.md §Go). Uses only jco's wasm-tools print/parse.
//
//   node toolchains/go/patch-adapter-arena.mjs <core.wasm> <patched.wasm> [--export NAME]
import { parse, print } from '@bytecodealliance/jco';
import { readFile, writeFile } from 'node:fs/promises';

/** Must match adapter_arena_wasip1.go: 16 bytes of magic, then the arena. */
const MAGIC = Buffer.from('WASI-ADAPTER-ARN');
const ARENA_BYTES = 3 << 16;
const DATA_SECTION_ID = 11;
const I32_CONST = 0x41;
const END = 0x0b;

const args = process.argv.slice(2);
const [inPath, outPath] = args;
const exportAt = args.indexOf('--export');
const exportName = exportAt >= 0 ? args[exportAt + 1] : 'cabi_realloc_adapter';
if (!inPath || !outPath || !exportName) {
  console.error('usage: patch-adapter-arena.mjs <core.wasm> <patched.wasm> [--export NAME]');
  process.exit(2);
}

const fail = (message) => {
  console.error(`patch-adapter-arena: ${inPath}: ${message}`);
  process.exit(1);
};

/** Linear-memory addresses of every occurrence of `needle` in the active data segments. */
function findInData(bytes, needle) {
  let pos = 8; // after the magic number and version
  const u32 = () => {
    let result = 0;
    let shift = 0;
    let byte;
    do {
      byte = bytes[pos++];
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  };
  const s32 = () => {
    let result = 0;
    let shift = 0;
    let byte;
    do {
      byte = bytes[pos++];
      result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return shift < 32 && byte & 0x40 ? result | (-1 << shift) : result;
  };
  const found = [];
  while (pos < bytes.length) {
    const id = bytes[pos++];
    const size = u32();
    const end = pos + size;
    if (id === DATA_SECTION_ID) {
      for (let count = u32(); count > 0; count--) {
        const flags = u32();
        if (flags === 2) u32(); // memory index
        let base;
        if (flags !== 1) {
          if (bytes[pos++] !== I32_CONST) fail('a data segment offset is not an i32.const');
          base = s32();
          if (bytes[pos++] !== END) fail('a data segment offset is not a constant');
        }
        const length = u32();
        const segment = bytes.subarray(pos, pos + length);
        for (let i = segment.indexOf(needle); i >= 0; i = segment.indexOf(needle, i + 1)) {
          if (base === undefined) fail('the arena is in a passive data segment');
          found.push(base + i);
        }
        pos += length;
      }
    }
    pos = end;
  }
  return found;
}

const core = await readFile(inPath);
const found = findInData(core, MAGIC);
if (found.length !== 1) {
  fail(`expected the adapter arena's magic once in the data section, found it ${found.length} times (is sdk/go linked?)`);
}
const start = found[0] + MAGIC.length;
const limit = start + ARENA_BYTES;

let wat = await print(core);
if (!/\(export "cabi_realloc" /.test(wat)) fail('no cabi_realloc export (not a wasmlet Go function?)');
if (wat.includes(`(export "${exportName}" `)) fail(`already exports ${exportName} (patched twice?)`);

// cabi_realloc(old, old_size, align, new_size): bump `next` up to `align`, hand out new_size bytes.
// The adapter only ever allocates (old = 0) and never frees; each instance starts afresh.
const allocator = `
  (global $wasmlet_arena_next (mut i32) (i32.const ${start}))
  (func $wasmlet_arena_realloc (param i32 i32 i32 i32) (result i32) (local i32)
    local.get 0
    if
      unreachable
    end
    global.get $wasmlet_arena_next
    local.get 2
    i32.add
    i32.const 1
    i32.sub
    i32.const 0
    local.get 2
    i32.sub
    i32.and
    local.tee 4
    local.get 3
    i32.add
    i32.const ${limit}
    i32.gt_u
    if
      unreachable
    end
    local.get 4
    local.get 3
    i32.add
    global.set $wasmlet_arena_next
    local.get 4)
  (export "${exportName}" (func $wasmlet_arena_realloc))
`;
const close = wat.lastIndexOf(')');
wat = wat.slice(0, close) + allocator + wat.slice(close);
const patched = await parse(wat);
await writeFile(outPath, patched);
console.log(`patch-adapter-arena: ${outPath} (arena ${ARENA_BYTES} bytes at ${start}, export ${exportName})`);
