// The canonical ABI's pieces the direct path (runtime/direct-instance.ts) lowers and lifts with:
// strings and lists in a guest's linear memory, and the handle tables of resources. Each mirrors
// what jco 1.10's glue does (compile/sync-glue.ts), call for call (the same `realloc` calls in the
// same order, the same table slots), so that a guest's memory and answers are the same on both paths.
import type { InvocationLog } from '../capabilities/invocation-log.js';
import type { PublishedMessage } from '../capabilities/publisher-interface.js';
import type { InstanceGrants } from '../capabilities/instance-imports.js';
import type { HostLink } from '../capabilities/host-link.js';
import type { ObjectsImport } from '../capabilities/objects/guest-imports.js';

/** `cabi_realloc(old_ptr, old_size, align, new_size) -> ptr`. */
export type Realloc = (oldPtr: number, oldSize: number, align: number, newSize: number) => number;

/** What one direct instance's lowered imports read and write; one object per instance. */
export interface DirectState {
  readonly exports: WebAssembly.Exports;
  readonly memory: WebAssembly.Memory;
  readonly log: InvocationLog;
  readonly outbox: PublishedMessage[];
  readonly grants: InstanceGrants;
  readonly link: HostLink;
  /** Resource handle tables by resource kind (resourceTables), made on first use: most calls touch none. */
  tables: number[][] | undefined;
  /** The host object behind each rep (1-based), by resource kind, made on first use (runtime/direct-resources.ts). */
  objects: unknown[][] | undefined;
  /** The publisher interface of capabilities/publisher-interface.ts, made on the first send. */
  publisher: { send(queue: string, message: { body: Uint8Array; attributes: [string, string][]; delayMs: number }): string } | undefined;
  /** The outbound-http interface of capabilities/outbound-http/guest-imports.ts, made on the first request. */
  outbound:
    | { send(request: { method: string; url: string; headers: [string, string][]; body: Uint8Array }): { status: number; headers: readonly (readonly [string, string])[]; body: Uint8Array } }
    | undefined;
  /** The objects interface of capabilities/objects/guest-imports.ts, made on the first call (runtime/direct-objects.ts). */
  buckets: ObjectsImport | undefined;
}

/**
 * The instance whose guest code is running on this thread. Guest code runs synchronously and one
 * instance at a time per thread (a waiting guest blocks its thread), so the lowered imports, made
 * once per code version rather than per instance, find their instance here; every entry into the
 * guest sets it and restores it after (runtime/direct-instance.ts).
 */
export interface Running {
  state: DirectState | undefined;
}

export function runningState(running: Running): DirectState {
  const state = running.state;
  if (!state) throw new Error('a lowered import was called while no direct instance was running (host bug)');
  return state;
}

let cachedView = new DataView(new ArrayBuffer(0));

/** A DataView of `memory`, remade only when the memory grew (its buffer changed), as jco's glue does. */
export function view(memory: WebAssembly.Memory): DataView {
  return cachedView.buffer === memory.buffer ? cachedView : (cachedView = new DataView(memory.buffer));
}

export const utf8Decoder = new TextDecoder();
const utf8Encoder = new TextEncoder();

export function readString(memory: WebAssembly.Memory, ptr: number, len: number): string {
  return utf8Decoder.decode(new Uint8Array(memory.buffer, ptr, len));
}

/** A copy of guest bytes (the memory is recycled: nothing may keep a view of it). */
export function readBytes(memory: WebAssembly.Memory, ptr: number, len: number): Uint8Array {
  return new Uint8Array(memory.buffer.slice(ptr, ptr + len));
}

/**
 * Writes `text` as UTF-8 through `realloc` and stores its (ptr, len) at `at` and `at + 4`. An empty
 * string is pointer 1, length 0, with no allocation (jco's `utf8Encode`).
 */
export function storeString(memory: WebAssembly.Memory, realloc: Realloc, text: string, at: number): void {
  let ptr = 1;
  let len = 0;
  if (text.length > 0) {
    const bytes = utf8Encoder.encode(text);
    ptr = realloc(0, 0, 1, bytes.length);
    new Uint8Array(memory.buffer).set(bytes, ptr);
    len = bytes.length;
  }
  const dv = view(memory);
  dv.setInt32(at + 4, len, true);
  dv.setInt32(at, ptr, true);
}

/** Writes `text` and returns its pointer; its length is `encodedLength` until the next call. */
export function encodeString(memory: WebAssembly.Memory, realloc: Realloc, text: string): number {
  if (text.length === 0) {
    encodedLength = 0;
    return 1;
  }
  const bytes = utf8Encoder.encode(text);
  const ptr = realloc(0, 0, 1, bytes.length);
  new Uint8Array(memory.buffer).set(bytes, ptr);
  encodedLength = bytes.length;
  return ptr;
}
export let encodedLength = 0;

/** list<u8> written through `realloc`, which it calls even for an empty list (as jco's glue does); returns its pointer. */
export function storeBytes(memory: WebAssembly.Memory, realloc: Realloc, bytes: Uint8Array): number {
  const ptr = realloc(0, 0, 1, bytes.byteLength);
  new Uint8Array(memory.buffer, ptr, bytes.byteLength).set(bytes);
  return ptr;
}

/** A list's (ptr, len) at `at`: the length first, then the pointer, in the glue's order. */
export function storeList(memory: WebAssembly.Memory, at: number, ptr: number, len: number): void {
  const dv = view(memory);
  dv.setInt32(at + 4, len, true);
  dv.setInt32(at, ptr, true);
}

/** list<tuple<string, string>> read from (ptr, len): 16 bytes per pair. */
export function readPairs(memory: WebAssembly.Memory, base: number, count: number): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < count; i++) {
    const at = base + i * 16;
    const dv = view(memory);
    pairs.push([readString(memory, dv.getInt32(at, true), dv.getInt32(at + 4, true)), readString(memory, dv.getInt32(at + 8, true), dv.getInt32(at + 12, true))]);
  }
  return pairs;
}

/** list<tuple<string, string>> written through `realloc`, as the glue lowers one (the list first, then each name and value); returns its pointer. */
export function storePairs(memory: WebAssembly.Memory, realloc: Realloc, pairs: readonly (readonly [string, string])[]): number {
  const base = realloc(0, 0, 4, pairs.length * 16);
  for (let i = 0; i < pairs.length; i++) {
    storeString(memory, realloc, pairs[i]![0], base + i * 16);
    storeString(memory, realloc, pairs[i]![1], base + i * 16 + 8);
  }
  return base;
}

/** The resource kinds whose handles the direct path hands out, each with its own table (as jco numbers them per type). */
export const resourceTables = {
  error: 0,
  outputStream: 1,
  inputStream: 2,
  directoryEntryStream: 3,
  descriptor: 4,
  terminalInput: 5,
  terminalOutput: 6,
  fields: 7,
  incomingRequest: 8,
  incomingBody: 9,
  outgoingResponse: 10,
  outgoingBody: 11,
  responseOutparam: 12,
  futureTrailers: 13,
  pollable: 14,
} as const;

const tFlag = 1 << 30;

export function tableOf(state: DirectState, kind: number): number[] {
  state.tables ??= [];
  return (state.tables[kind] ??= [tFlag, 0]);
}

/** jco's `rscTableCreateOwn`: the lowest free handle, or a new one. */
export function createOwnHandle(table: number[], rep: number): number {
  const free = table[0]! & ~tFlag;
  if (free === 0) {
    table.push(0);
    table.push(rep | tFlag);
    return (table.length >> 1) - 1;
  }
  table[0] = table[free << 1]!;
  table[free << 1] = 0;
  table[(free << 1) + 1] = rep | tFlag;
  return free;
}

/** jco's `rscTableRemove`, quirks included (an out-of-range handle is not refused there either). */
export function removeHandle(table: number[], handle: number): { rep: number; own: boolean } {
  const scope = table[handle << 1] as number;
  const val = table[(handle << 1) + 1] as number;
  const own = (val & tFlag) !== 0;
  const rep = val & ~tFlag;
  if (val === 0 || (scope & tFlag) !== 0) throw new TypeError('Invalid handle');
  table[handle << 1] = table[0]! | tFlag;
  table[0] = handle | tFlag;
  return { rep, own };
}

/** The rep behind `handle` (0 when there is none). */
export function repOf(table: number[], handle: number): number {
  return (table[(handle << 1) + 1] as number) & ~tFlag;
}
