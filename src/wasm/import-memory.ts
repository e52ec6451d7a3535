// Turns the linear memory a core module defines into one it imports from the host, so a worker
// can hand each fresh instance a recycled, zeroed memory instead of allocating one: a new memory
// costs mmap + first-touch page faults + GC release, by far the largest share of a small guest's
// instantiation (shared/notes/host-performance.md: 117 µs fresh vs 5 µs recycled).
// The module keeps its memory export (jco's glue reads `exports.memory`), and since an imported
// memory takes index 0 exactly as the defined one did, no instruction or segment changes.
import { ByteReader, concat, encodeU32, memorySectionId, skipLimits, skipValueType } from './limit-memory.js';

/** Where a rewritten module imports its memory from; no jco-lowered import uses this name. */
export const hostMemoryModule = 'wasmlet:host';
export const hostMemoryName = 'memory';

/** The limits of a memory, in 64 KiB pages, as the module declares them. */
export interface MemoryLimits {
  readonly initialPages: number;
  /** undefined: the module declares no maximum (the host's cap normally writes one first). */
  readonly maximumPages: number | undefined;
}

export interface MemoryImportingModule {
  readonly bytes: Uint8Array;
  /** The limits the host's memory must have: exactly the module's former definition. */
  readonly memory: MemoryLimits;
}

const importSectionId = 2;
const customSectionId = 0;
const typeSectionId = 1;
const memoryKind = 0x02;
const encoder = new TextEncoder();
const hostModuleBytes = encoder.encode(hostMemoryModule);

/**
 * Returns `module` with its one defined memory turned into the import
 * `(import "wasmlet:host" "memory" (memory min max))`, or undefined when there is nothing to
 * rewrite: no memory, several, one imported already (multi-memory), a shared or 64-bit memory,
 * an import kind this reader does not know, or an import from "wasmlet:host" already.
 * Such a module keeps defining its memory, which is still correct, only not recycled.
 * @example const rewritten = importMemory(limitMemory(bytes, maxPages)); // limits the host memory must match
 */
export function importMemory(module: Uint8Array): MemoryImportingModule | undefined {
  const reader = new ByteReader(module);
  reader.offset = 8; // magic + version
  let imports: { start: number; end: number; contentStart: number } | undefined;
  let memories: { start: number; end: number; contentStart: number } | undefined;
  let importInsertAt: number | undefined; // where a new import section goes when the module has none
  while (reader.offset < module.length) {
    const start = reader.offset;
    const id = reader.byte();
    const size = reader.u32();
    const contentStart = reader.offset;
    const end = contentStart + size;
    if (end > module.length) return undefined; // truncated: let WebAssembly.compile report it
    if (id === importSectionId) imports = { start, end, contentStart };
    if (id === memorySectionId) memories = { start, end, contentStart };
    if (importInsertAt === undefined && id !== customSectionId && id !== typeSectionId && id !== importSectionId) importInsertAt = start;
    reader.offset = end;
  }
  if (!memories) return undefined;
  const memory = readSingleMemory(module.subarray(memories.contentStart, memories.end));
  if (!memory) return undefined;
  const importEntry = concat([
    encodeU32(hostModuleBytes.length),
    hostModuleBytes,
    encodeU32(hostMemoryName.length),
    encoder.encode(hostMemoryName),
    Uint8Array.of(memoryKind),
    memory.limitsBytes,
  ]);
  let importSection: Uint8Array;
  let replaceFrom: number;
  let replaceTo: number;
  if (imports) {
    const existing = readImports(module.subarray(imports.contentStart, imports.end));
    if (!existing) return undefined;
    importSection = section(importSectionId, [encodeU32(existing.count + 1), existing.entries, importEntry]);
    [replaceFrom, replaceTo] = [imports.start, imports.end];
  } else {
    importSection = section(importSectionId, [encodeU32(1), importEntry]);
    [replaceFrom, replaceTo] = [importInsertAt!, importInsertAt!]; // a memory section exists, so importInsertAt is set
  }
  // The import section always precedes the memory section, so the cuts do not overlap.
  const bytes = concat([
    module.subarray(0, replaceFrom),
    importSection,
    module.subarray(replaceTo, memories.start),
    module.subarray(memories.end),
  ]);
  return { bytes, memory: memory.limits };
}

function readSingleMemory(content: Uint8Array): { limits: MemoryLimits; limitsBytes: Uint8Array } | undefined {
  const reader = new ByteReader(content);
  if (reader.u32() !== 1) return undefined;
  const limitsStart = reader.offset;
  const flags = reader.byte();
  if (flags > 1) return undefined; // shared (0x02) or 64-bit (0x04): not recycled
  const initialPages = reader.u32();
  const maximumPages = flags === 1 ? reader.u32() : undefined;
  return { limits: { initialPages, maximumPages }, limitsBytes: content.subarray(limitsStart, reader.offset) };
}

/** The import entries as they are, or undefined when one is a memory, is ours, or is of an unknown kind. */
function readImports(content: Uint8Array): { count: number; entries: Uint8Array } | undefined {
  const reader = new ByteReader(content);
  const count = reader.u32();
  const entriesStart = reader.offset;
  for (let i = 0; i < count; i++) {
    const moduleName = reader.name();
    reader.name();
    if (sameBytes(moduleName, hostModuleBytes)) return undefined;
    const kind = reader.byte();
    switch (kind) {
      case 0x00: // function: type index
        reader.u32();
        break;
      case 0x01: // table: reftype, limits
        skipValueType(reader);
        skipLimits(reader);
        break;
      case 0x03: // global: valtype, mutability
        skipValueType(reader);
        reader.byte();
        break;
      case 0x04: // tag: attribute, type index
        reader.byte();
        reader.u32();
        break;
      default: // a memory (0x02), or an encoding this reader does not know
        return undefined;
    }
  }
  return { count, entries: content.subarray(entriesStart, reader.offset) };
}

function section(id: number, parts: Uint8Array[]): Uint8Array {
  const content = concat(parts);
  return concat([Uint8Array.of(id), encodeU32(content.length), content]);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
