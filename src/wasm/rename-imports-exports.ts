// Renames the imports and exports of a core module, and turns its start function into an export,
// without touching code: the names and the start section are all that change, so function, table,
// memory and global indices stay as they were. compile/fold-core-modules.ts uses it to tell
// wasm-merge which import of one core module is which export of another.
import { WasmletError } from '../errors/wasmlet-error.js';
import { ByteReader, concat, encodeU32, skipLimits, skipValueType } from './limit-memory.js';

const importSectionId = 2;
const exportSectionId = 7;
const startSectionId = 8;
const functionKind = 0x00;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export interface ImportName {
  readonly module: string;
  readonly name: string;
}

export interface NameChanges {
  /** The new (module, name) of the import at `index` (its place among all imports), or unchanged. */
  readonly renameImport?: (entry: ImportName, index: number) => ImportName;
  /** The new name of an export, or undefined to drop the export. */
  readonly renameExport?: (name: string) => string | undefined;
  /** Remove the start section and export its function under this name (the host calls it after instantiation). */
  readonly exportStartAs?: string;
}

/** `module` with the changes applied; the caller validates the result by compiling it. */
export function renameImportsExports(module: Uint8Array, changes: NameChanges): Uint8Array {
  const reader = new ByteReader(module);
  reader.offset = 8; // magic + version
  const parts: Uint8Array[] = [module.subarray(0, 8)];
  let startFunction: number | undefined;
  let exportSectionSeen = false;
  const pendingExports: Uint8Array[] = [];
  while (reader.offset < module.length) {
    const start = reader.offset;
    const id = reader.byte();
    const size = reader.u32();
    const contentStart = reader.offset;
    const end = contentStart + size;
    if (end > module.length) throw new WasmletError('component_invalid', 'truncated core module');
    const content = module.subarray(contentStart, end);
    reader.offset = end;
    if (id === importSectionId && changes.renameImport) {
      parts.push(section(importSectionId, renamedImports(content, changes.renameImport)));
    } else if (id === exportSectionId) {
      exportSectionSeen = true;
      const entries = renamedExports(content, changes.renameExport ?? ((name) => name));
      parts.push(EXPORT_PLACEHOLDER);
      pendingExports.push(...entries);
    } else if (id === startSectionId && changes.exportStartAs !== undefined) {
      startFunction = new ByteReader(content).u32();
    } else {
      parts.push(module.subarray(start, end));
    }
  }
  if (startFunction !== undefined && changes.exportStartAs !== undefined) {
    pendingExports.push(exportEntry(changes.exportStartAs, functionKind, startFunction));
  }
  const exportSection = section(exportSectionId, concat([encodeU32(pendingExports.length), ...pendingExports]));
  if (!exportSectionSeen) {
    if (pendingExports.length === 0) return concat(parts);
    // The export section goes before start, element, data count, code and data (ids 8..12).
    const at = parts.findIndex((part, i) => i > 0 && part[0]! >= 8 && part[0]! <= 12);
    parts.splice(at === -1 ? parts.length : at, 0, exportSection);
    return concat(parts);
  }
  return concat(parts.map((part) => (part === EXPORT_PLACEHOLDER ? exportSection : part)));
}

const EXPORT_PLACEHOLDER = new Uint8Array(0);

function renamedImports(content: Uint8Array, rename: NonNullable<NameChanges['renameImport']>): Uint8Array {
  const reader = new ByteReader(content);
  const count = reader.u32();
  const out: Uint8Array[] = [encodeU32(count)];
  for (let i = 0; i < count; i++) {
    const module = decoder.decode(reader.name());
    const name = decoder.decode(reader.name());
    const descriptorStart = reader.offset;
    const kind = reader.byte();
    switch (kind) {
      case 0x00: // function: type index
        reader.u32();
        break;
      case 0x01: // table: reftype, limits
        skipValueType(reader);
        skipLimits(reader);
        break;
      case 0x02: // memory: limits
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
      default:
        throw new WasmletError('component_invalid', `unknown import kind ${kind} in core module`);
    }
    const renamed = rename({ module, name }, i);
    out.push(encodedName(renamed.module), encodedName(renamed.name), content.subarray(descriptorStart, reader.offset));
  }
  return concat(out);
}

function renamedExports(content: Uint8Array, rename: (name: string) => string | undefined): Uint8Array[] {
  const reader = new ByteReader(content);
  const count = reader.u32();
  const entries: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const name = decoder.decode(reader.name());
    const kind = reader.byte();
    const index = reader.u32();
    const renamed = rename(name);
    if (renamed !== undefined) entries.push(exportEntry(renamed, kind, index));
  }
  return entries;
}

function exportEntry(name: string, kind: number, index: number): Uint8Array {
  return concat([encodedName(name), Uint8Array.of(kind), encodeU32(index)]);
}

function encodedName(name: string): Uint8Array {
  const bytes = encoder.encode(name);
  return concat([encodeU32(bytes.length), bytes]);
}

function section(id: number, content: Uint8Array): Uint8Array {
  return concat([Uint8Array.of(id), encodeU32(content.length), content]);
}
