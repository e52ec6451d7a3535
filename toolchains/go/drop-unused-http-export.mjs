#!/usr/bin/env node
// Drops the HTTP handler's core exports from a Go core module whose code never registers an HTTP
// handler, so that a queue- or schedule-only function is not taken for an HTTP one
// (toolchains/componentize.mjs picks the world from the `…#handle` exports).
//
// sdk/go's package wasmlet always exports the HTTP handler (it also holds cabi_realloc, which
// every function links), while the queue and schedule exports live in packages a function
// imports only to use them. Whether an HTTP handler is registered is read from the names the Go
// linker keeps for tracebacks: wasmlet.Handle (which HandleHTTP calls) is linked exactly when
// the function registers one. When the names cannot be read (cabiRealloc's is missing too) the
// module is left as it is. A module that keeps its exports is copied byte for byte.
//
//   node toolchains/go/drop-unused-http-export.mjs <core.wasm> <out.wasm>
import { readFile, writeFile } from 'node:fs/promises';

const SDK = 'wasmlet.dev/sdk/go/wasmlet.';
/** Linked in every Go function: if its name is not there, names cannot be judged. */
const ALWAYS_LINKED = `${SDK}cabiRealloc`;
/** Linked when the function registers an HTTP handler (HandleHTTP calls Handle). */
const REGISTERS_HTTP = `${SDK}Handle`;
const HTTP_HANDLE = 'wasmlet:function/http-handler@0.1.0#handle';
const HTTP_EXPORTS = new Set([HTTP_HANDLE, `cabi_post_${HTTP_HANDLE}`]);
const HANDLE_SUFFIX = '#handle';
const EXPORT_SECTION_ID = 7;

const [inPath, outPath] = process.argv.slice(2);
if (!inPath || !outPath) {
  console.error('usage: drop-unused-http-export.mjs <core.wasm> <out.wasm>');
  process.exit(2);
}
const core = await readFile(inPath);
const has = (name) => core.includes(Buffer.from(name));
if (!has(ALWAYS_LINKED) || has(REGISTERS_HTTP)) {
  await writeFile(outPath, core);
  process.exit(0);
}

const { start, end, headerStart } = exportSection(core);
const kept = readExports(core, start).filter((e) => !HTTP_EXPORTS.has(e.name));
if (!kept.some((e) => e.name.endsWith(HANDLE_SUFFIX))) {
  console.error('go build: the function registers no handler; call wasmlet.Handle or wasmlet.HandleHTTP, ' +
    'queue.Handle or queue.HandleEach, or schedule.Handle from an init function');
  process.exit(1);
}
const body = Buffer.concat([leb(kept.length), ...kept.map((e) => e.bytes)]);
await writeFile(outPath, Buffer.concat([core.subarray(0, headerStart), Buffer.from([EXPORT_SECTION_ID]), leb(body.length), body, core.subarray(end)]));
console.log(`drop-unused-http-export: ${outPath} (no HTTP handler registered: its export dropped)`);

/** Unsigned LEB128 reader over `bytes`, starting at `pos`. */
function reader(bytes, pos) {
  return {
    get pos() { return pos; },
    u32() {
      let result = 0;
      let shift = 0;
      let byte;
      do {
        byte = bytes[pos++];
        result += (byte & 0x7f) * 2 ** shift;
        shift += 7;
      } while (byte & 0x80);
      return result;
    },
    skip(n) { pos += n; },
  };
}

function exportSection(bytes) {
  const r = reader(bytes, 8); // after the magic number and version
  while (r.pos < bytes.length) {
    const headerStart = r.pos;
    const id = bytes[headerStart];
    r.skip(1);
    const size = r.u32();
    const start = r.pos;
    if (id === EXPORT_SECTION_ID) return { start, end: start + size, headerStart };
    r.skip(size);
  }
  throw new Error(`${inPath}: no export section`);
}

/** Each export's name and its encoded bytes (name, kind, index), to copy unchanged. */
function readExports(bytes, start) {
  const r = reader(bytes, start);
  const exports = [];
  for (let count = r.u32(); count > 0; count--) {
    const from = r.pos;
    const length = r.u32();
    const name = bytes.subarray(r.pos, r.pos + length).toString('utf8');
    r.skip(length + 1); // the name, then the kind byte
    r.u32(); // the index
    exports.push({ name, bytes: bytes.subarray(from, r.pos) });
  }
  return exports;
}

function leb(n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return Buffer.from(out);
}
