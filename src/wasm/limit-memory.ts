// Caps a core module's linear memory by rewriting its declared maximum, so memory.grow past
// `memory_mb` fails inside the guest (malloc returns NULL, the guest traps) instead of taking host RAM.
// Worker resourceLimits do not cover wasm memory; this does. Only defined memories are touched:
// an imported memory is capped where it is defined. Its byte reader and writers serve import-memory.ts too.
import { WasmletError } from '../errors/wasmlet-error.js';

export const memorySectionId = 5;
export const wasmPageBytes = 64 * 1024;

export function pagesForMegabytes(memoryMb: number): number {
  return Math.floor((memoryMb * 1024 * 1024) / wasmPageBytes);
}

/** Returns a copy of `module` whose memories may grow to at most `maxPages` pages. */
export function limitMemory(module: Uint8Array, maxPages: number): Uint8Array {
  const reader = new ByteReader(module);
  reader.offset = 8; // magic + version
  while (reader.offset < module.length) {
    const sectionStart = reader.offset;
    const id = reader.byte();
    const size = reader.u32();
    const contentStart = reader.offset;
    if (id === memorySectionId) {
      const content = rewriteMemorySection(module.subarray(contentStart, contentStart + size), maxPages);
      return concat([module.subarray(0, sectionStart), Uint8Array.of(memorySectionId), encodeU32(content.length), content, module.subarray(contentStart + size)]);
    }
    reader.offset = contentStart + size;
  }
  return module;
}

function rewriteMemorySection(section: Uint8Array, maxPages: number): Uint8Array {
  const reader = new ByteReader(section);
  const count = reader.u32();
  const parts: Uint8Array[] = [encodeU32(count)];
  for (let i = 0; i < count; i++) {
    const flags = reader.byte();
    if (flags > 1) {
      throw new WasmletError('component_invalid', `shared or 64-bit linear memory (limits flags ${flags}) is not supported`);
    }
    const min = reader.u32();
    const declaredMax = flags === 1 ? reader.u32() : Infinity;
    if (min > maxPages) {
      throw new WasmletError(
        'component_limit_exceeded',
        `the component starts with ${min} pages (${(min * wasmPageBytes) / 1048576} MiB) of memory, more than limits.memory_mb allows (${maxPages} pages)`,
        { initialPages: min, maxPages },
      );
    }
    parts.push(Uint8Array.of(1), encodeU32(min), encodeU32(Math.min(declaredMax, maxPages)));
  }
  return concat(parts);
}

/** Reads a core module's bytes; a read past the end is a `component_invalid` error, not a crash. */
export class ByteReader {
  offset = 0;
  constructor(private readonly bytes: Uint8Array) {}
  byte(): number {
    const value = this.bytes[this.offset++];
    if (value === undefined) throw new WasmletError('component_invalid', 'truncated core module');
    return value;
  }
  u32(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
    throw new WasmletError('component_invalid', 'malformed LEB128 in core module');
  }
  /** Skips a LEB128 of any width (u64 limits, s33 heap types). */
  skipLeb(): void {
    for (let i = 0; i < 10; i++) if ((this.byte() & 0x80) === 0) return;
    throw new WasmletError('component_invalid', 'malformed LEB128 in core module');
  }
  /** Reads a `name` (length-prefixed bytes) as raw bytes. */
  name(): Uint8Array {
    const length = this.u32();
    if (this.offset + length > this.bytes.length) throw new WasmletError('component_invalid', 'truncated core module');
    this.offset += length;
    return this.bytes.subarray(this.offset - length, this.offset);
  }
}

/** A value or reference type: one byte, or 0x63/0x64 (nullable/non-null ref) followed by an s33 heap type. */
export function skipValueType(reader: ByteReader): void {
  const type = reader.byte();
  if (type === 0x63 || type === 0x64) reader.skipLeb();
}

/** Table or memory limits: flags, minimum, and a maximum when flag bit 0 is set. */
export function skipLimits(reader: ByteReader): void {
  const flags = reader.byte();
  reader.skipLeb();
  if (flags & 1) reader.skipLeb();
}

export function encodeU32(value: number): Uint8Array {
  const out: number[] = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return Uint8Array.from(out);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
