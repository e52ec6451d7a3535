// A core module's state after its initialisation, baked into the module itself (the idea of wizer,
// done on the host's own terms): the memory image becomes active data segments, each mutable
// global starts at the value init left in it, and `_initialize` does nothing. A fresh instance of
// the result starts where init ended, so a guest whose init is expensive (Go's runtime) skips it.
//
// Two steps. `exposeGlobals` gives a copy of the module an export for every mutable global, so the
// host can read their values from an instance after init. `bakeSnapshot` then writes the final
// module from the original bytes plus what was read. The original data segments are kept as
// passive ones: their indices stay valid for any `memory.init`/`data.drop` in the code.
import { WasmletError } from '../errors/wasmlet-error.js';
import { ByteReader, concat, encodeU32, skipLimits, skipValueType, wasmPageBytes } from '../wasm/limit-memory.js';

/** Export name prefix of a global exposed for capture; the suffix is its index. */
export const snapshotGlobalPrefix = 'wasmlet-snapshot-global-';

/** A numeric global's value as JS reads it from a `WebAssembly.Global`. */
export type GlobalValue = number | bigint;

export interface InitSnapshot {
  /** The memory after init, all of it (its length is the page count times 64 KiB). */
  readonly memory: Uint8Array;
  /** Mutable globals by index, as read through `exposeGlobals`' exports. */
  readonly globals: ReadonlyMap<number, GlobalValue>;
}

const sectionIds = { import: 2, function: 3, memory: 5, global: 6, export: 7, start: 8, code: 10, data: 11, dataCount: 12 } as const;
const valueTypes: Record<number, 'i32' | 'i64' | 'f32' | 'f64'> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64' };
/** Zero runs shorter than this stay inside one segment: a segment header costs a few bytes and a call. */
const mergeGapBytes = 64;

interface Section {
  readonly id: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

interface MutableGlobal {
  readonly index: number;
  readonly type: 'i32' | 'i64' | 'f32' | 'f64';
}

/** The module with every mutable numeric global exported, and the list of those globals. */
export function exposeGlobals(module: Uint8Array): { bytes: Uint8Array; globals: readonly MutableGlobal[] } {
  const sections = readSections(module);
  const globals = definedGlobals(module, sections).filter((g) => g.mutable && g.type !== undefined) as (MutableGlobal & { mutable: true })[];
  const exports = sections.find((s) => s.id === sectionIds.export);
  const added = globals.map((g) => {
    const name = new TextEncoder().encode(`${snapshotGlobalPrefix}${g.index}`);
    return concat([encodeU32(name.length), name, Uint8Array.of(0x03), encodeU32(g.index)]);
  });
  let count = 0;
  let entries: Uint8Array = new Uint8Array(0);
  if (exports) {
    const reader = new ByteReader(module.subarray(exports.contentStart, exports.end));
    count = reader.u32();
    entries = module.subarray(exports.contentStart + reader.offset, exports.end);
  }
  const section = sectionBytes(sectionIds.export, [encodeU32(count + added.length), entries, ...added]);
  const at = exports ?? insertionPoint(sections, sectionIds.export);
  const bytes = concat([module.subarray(0, at.start), section, module.subarray(exports ? exports.end : at.start)]);
  return { bytes, globals: globals.map(({ index, type }) => ({ index, type })) };
}

/**
 * The original `module` started from `snapshot`: data = the non-zero runs of the memory image,
 * mutable globals = their captured values, `_initialize` = an empty function.
 */
export function bakeSnapshot(module: Uint8Array, snapshot: InitSnapshot): Uint8Array {
  const sections = readSections(module);
  const replaced = new Map<number, Uint8Array>();
  replaced.set(sectionIds.global, rewriteGlobals(module, sections, snapshot.globals));
  replaced.set(sectionIds.code, emptyInitialize(module, sections));
  const { data, count } = rewriteData(module, sections, snapshot.memory);
  replaced.set(sectionIds.data, data);
  replaced.set(sectionIds.dataCount, sectionBytes(sectionIds.dataCount, [encodeU32(count)]));
  replaced.set(sectionIds.memory, memoryStartingAt(module, sections, snapshot.memory.byteLength / wasmPageBytes));
  const parts: Uint8Array[] = [module.subarray(0, 8)];
  let dataCountWritten = false;
  for (const section of sections) {
    // The data count section sits before the code section; a module without one gets it there.
    if (!dataCountWritten && (section.id === sectionIds.dataCount || section.id === sectionIds.code)) {
      parts.push(replaced.get(sectionIds.dataCount)!);
      dataCountWritten = true;
      if (section.id === sectionIds.dataCount) continue;
    }
    parts.push(replaced.get(section.id) ?? module.subarray(section.start, section.end));
  }
  return concat(parts);
}

/** The memory section with the one memory's minimum raised to the snapshot's size (its maximum kept). */
function memoryStartingAt(module: Uint8Array, sections: readonly Section[], pages: number): Uint8Array {
  const section = sections.find((s) => s.id === sectionIds.memory);
  if (!section) throw new WasmletError('component_invalid', 'the module defines no memory to snapshot');
  const reader = new ByteReader(module.subarray(section.contentStart, section.end));
  if (reader.u32() !== 1) throw new WasmletError('component_invalid', 'a snapshot needs exactly one memory');
  const flags = reader.byte();
  if (flags > 1) throw new WasmletError('component_invalid', 'a shared or 64-bit memory cannot be snapshotted');
  reader.u32();
  const maximum = flags === 1 ? [encodeU32(reader.u32())] : [];
  return sectionBytes(sectionIds.memory, [encodeU32(1), Uint8Array.of(flags), encodeU32(pages), ...maximum]);
}

function readSections(module: Uint8Array): Section[] {
  const reader = new ByteReader(module);
  reader.offset = 8;
  const sections: Section[] = [];
  while (reader.offset < module.length) {
    const start = reader.offset;
    const id = reader.byte();
    const size = reader.u32();
    const contentStart = reader.offset;
    sections.push({ id, start, contentStart, end: contentStart + size });
    reader.offset = contentStart + size;
  }
  return sections;
}

function insertionPoint(sections: readonly Section[], id: number): { start: number } {
  const after = sections.find((s) => s.id !== 0 && sectionOrder(s.id) > sectionOrder(id));
  return { start: after ? after.start : sections.at(-1)!.end };
}

/** Binary order of known sections (the data count section comes before code). */
function sectionOrder(id: number): number {
  return id === sectionIds.dataCount ? 9.5 : id;
}

function sectionBytes(id: number, parts: Uint8Array[]): Uint8Array {
  const content = concat(parts);
  return concat([Uint8Array.of(id), encodeU32(content.length), content]);
}

/** Imported functions and globals come first in their index spaces. */
function importCounts(module: Uint8Array, sections: readonly Section[]): { functions: number; globals: number } {
  const imports = sections.find((s) => s.id === sectionIds.import);
  const counts = { functions: 0, globals: 0 };
  if (!imports) return counts;
  const reader = new ByteReader(module.subarray(imports.contentStart, imports.end));
  const count = reader.u32();
  for (let i = 0; i < count; i++) {
    reader.name();
    reader.name();
    const kind = reader.byte();
    if (kind === 0x00) {
      counts.functions++;
      reader.u32();
    } else if (kind === 0x01) {
      skipValueType(reader);
      skipLimits(reader);
    } else if (kind === 0x02) {
      skipLimits(reader);
    } else if (kind === 0x03) {
      counts.globals++;
      skipValueType(reader);
      reader.byte();
    } else if (kind === 0x04) {
      reader.byte();
      reader.u32();
    } else {
      throw new WasmletError('component_invalid', `unknown import kind ${kind}`);
    }
  }
  return counts;
}

interface DefinedGlobal {
  readonly index: number;
  readonly type: MutableGlobal['type'] | undefined;
  readonly mutable: boolean;
  /** The entry's bytes (type, mutability, init expression). */
  readonly bytes: Uint8Array;
}

function definedGlobals(module: Uint8Array, sections: readonly Section[]): DefinedGlobal[] {
  const section = sections.find((s) => s.id === sectionIds.global);
  if (!section) return [];
  const content = module.subarray(section.contentStart, section.end);
  const reader = new ByteReader(content);
  const first = importCounts(module, sections).globals;
  const count = reader.u32();
  const globals: DefinedGlobal[] = [];
  for (let i = 0; i < count; i++) {
    const start = reader.offset;
    const typeByte = content[reader.offset]!;
    skipValueType(reader);
    const mutable = reader.byte() === 1;
    skipConstExpr(reader);
    globals.push({ index: first + i, type: valueTypes[typeByte], mutable, bytes: content.subarray(start, reader.offset) });
  }
  return globals;
}

function rewriteGlobals(module: Uint8Array, sections: readonly Section[], values: ReadonlyMap<number, GlobalValue>): Uint8Array {
  const globals = definedGlobals(module, sections);
  const section = sections.find((s) => s.id === sectionIds.global);
  if (!section) return new Uint8Array(0);
  const entries = globals.map((g) => {
    const value = values.get(g.index);
    if (!g.mutable || g.type === undefined || value === undefined) return g.bytes;
    return concat([g.bytes.subarray(0, 2), constExpr(g.type, value)]);
  });
  return sectionBytes(sectionIds.global, [encodeU32(globals.length), ...entries]);
}

function constExpr(type: MutableGlobal['type'], value: GlobalValue): Uint8Array {
  switch (type) {
    case 'i32':
      return concat([Uint8Array.of(0x41), encodeS64(BigInt(Number(value) | 0)), Uint8Array.of(0x0b)]);
    case 'i64':
      return concat([Uint8Array.of(0x42), encodeS64(BigInt.asIntN(64, BigInt(value))), Uint8Array.of(0x0b)]);
    case 'f32': {
      const bytes = new Uint8Array(4);
      new DataView(bytes.buffer).setFloat32(0, Number(value), true);
      return concat([Uint8Array.of(0x43), bytes, Uint8Array.of(0x0b)]);
    }
    case 'f64': {
      const bytes = new Uint8Array(8);
      new DataView(bytes.buffer).setFloat64(0, Number(value), true);
      return concat([Uint8Array.of(0x44), bytes, Uint8Array.of(0x0b)]);
    }
  }
}

/** The code section with the body of the function exported as `_initialize` replaced by an empty one. */
function emptyInitialize(module: Uint8Array, sections: readonly Section[]): Uint8Array {
  const code = sections.find((s) => s.id === sectionIds.code);
  const initialize = exportedFunction(module, sections, '_initialize');
  if (!code || initialize === undefined) throw new WasmletError('component_invalid', 'the module exports no _initialize to snapshot');
  const target = initialize - importCounts(module, sections).functions;
  const content = module.subarray(code.contentStart, code.end);
  const bodies = new ByteReader(content);
  const count = bodies.u32();
  const parts: Uint8Array[] = [encodeU32(count)];
  for (let i = 0; i < count; i++) {
    const start = bodies.offset;
    const size = bodies.u32();
    bodies.offset += size;
    // No locals, then `end`.
    parts.push(i === target ? Uint8Array.of(0x02, 0x00, 0x0b) : content.subarray(start, bodies.offset));
  }
  return sectionBytes(sectionIds.code, parts);
}

/** Whether `module` has an initialisation to snapshot (it exports `_initialize`), read without compiling it. */
export function hasInitialize(module: Uint8Array): boolean {
  return exportedFunction(module, readSections(module), '_initialize') !== undefined;
}

/** The index of the function exported as `name`, if any. */
function exportedFunction(module: Uint8Array, sections: readonly Section[], name: string): number | undefined {
  const exports = sections.find((s) => s.id === sectionIds.export);
  if (!exports) return undefined;
  const wanted = new TextEncoder().encode(name);
  const reader = new ByteReader(module.subarray(exports.contentStart, exports.end));
  const count = reader.u32();
  for (let i = 0; i < count; i++) {
    const exported = reader.name();
    const kind = reader.byte();
    const index = reader.u32();
    if (kind === 0x00 && exported.length === wanted.length && exported.every((b, j) => b === wanted[j])) return index;
  }
  return undefined;
}

/** Original segments made passive (same indices), then one active segment per non-zero run of `memory`. */
function rewriteData(module: Uint8Array, sections: readonly Section[], memory: Uint8Array): { data: Uint8Array; count: number } {
  const section = sections.find((s) => s.id === sectionIds.data);
  const kept: Uint8Array[] = [];
  if (section) {
    const reader = new ByteReader(module.subarray(section.contentStart, section.end));
    const count = reader.u32();
    for (let i = 0; i < count; i++) {
      const flags = reader.u32();
      if (flags === 2) reader.u32(); // memory index
      if (flags !== 1) skipConstExpr(reader);
      const bytes = reader.name();
      kept.push(concat([Uint8Array.of(0x01), encodeU32(bytes.length), bytes]));
    }
  }
  const added = nonZeroRuns(memory).map(([from, to]) =>
    concat([Uint8Array.of(0x00, 0x41), encodeS64(BigInt(from | 0)), Uint8Array.of(0x0b), encodeU32(to - from), memory.subarray(from, to)]),
  );
  const count = kept.length + added.length;
  return { data: sectionBytes(sectionIds.data, [encodeU32(count), ...kept, ...added]), count };
}

/** [from, to) byte ranges holding every non-zero byte of `memory`, merging close neighbours. */
export function nonZeroRuns(memory: Uint8Array): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  const words = new BigUint64Array(memory.buffer, memory.byteOffset, Math.floor(memory.byteLength / 8));
  let from = -1;
  let lastNonZero = -1;
  for (let w = 0; w < words.length; w++) {
    if (words[w] === 0n) continue;
    const at = w * 8;
    if (from !== -1 && at - lastNonZero > mergeGapBytes) {
      runs.push([from, lastNonZero]);
      from = -1;
    }
    if (from === -1) from = at;
    lastNonZero = at + 8;
  }
  if (from !== -1) runs.push([from, lastNonZero]);
  return runs;
}

/** Skips a constant expression up to and including its `end`. */
function skipConstExpr(reader: ByteReader): void {
  for (;;) {
    const op = reader.byte();
    if (op === 0x0b) return;
    if (op === 0x41 || op === 0x42 || op === 0x23 || op === 0xd2) reader.skipLeb();
    else if (op === 0x43) reader.offset += 4;
    else if (op === 0x44) reader.offset += 8;
    else if (op === 0xd0) reader.skipLeb();
    else if (op === 0x6a || op === 0x6b || op === 0x6c || op === 0x7c || op === 0x7d || op === 0x7e) continue;
    else throw new WasmletError('component_invalid', `unsupported instruction 0x${op.toString(16)} in a constant expression`);
  }
}

function encodeS64(value: bigint): Uint8Array {
  const out: number[] = [];
  for (;;) {
    const byte = Number(value & 0x7fn);
    value >>= 7n;
    const done = (value === 0n && (byte & 0x40) === 0) || (value === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return Uint8Array.from(out);
  }
}
