#!/usr/bin/env node
// Turns a core wasm module into a wasmlet component: embeds sdk/wit, then wraps it with the
// WASI preview1 reactor adapter that ships inside jco. Used by the hand-written-ABI recipes
// (C, Rust, Go, .NET).
//
// The world is picked from the handlers the core module exports (any non-empty subset of
// http-handler, queue-handler and schedule-handler), so a guest only writes the handlers it
// needs; --world NAME overrides the choice.
//
//   node toolchains/componentize.mjs <core.wasm> <out.wasm> [--world NAME]
import { componentEmbed, componentNew, preview1AdapterReactorPath } from '@bytecodealliance/jco';
import { readFile, writeFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The handler interfaces, in the order worlds list them. */
const handlerInterfaces = ['http-handler', 'queue-handler', 'schedule-handler'];

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const [corePath, outPath] = args;
if (!corePath || !outPath) {
  console.error('usage: componentize.mjs <core.wasm> <out.wasm> [--world NAME]');
  process.exit(2);
}
const witDir = fileURLToPath(new URL('../sdk/wit/', import.meta.url));
const witFiles = (await readdir(witDir)).filter((f) => f.endsWith('.wit')).sort();
let witSource = (await Promise.all(witFiles.map((f) => readFile(join(witDir, f), 'utf8')))).join('\n');

const core = await readFile(corePath);
let world = option('--world');
if (world === undefined) {
  const handlers = exportedHandlers(core);
  if (handlers.length === 0) {
    console.error(`componentize: ${corePath} exports no wasmlet handler; define at least one of ` +
      handlerInterfaces.map((h) => `"wasmlet:function/${h}@0.1.0#handle"`).join(', '));
    process.exit(1);
  }
  world = namedWorld(handlers);
  if (world === undefined) {
    // A combination without a named world in function.wit: declare it beside the others, with
    // their imports. The component encoder drops an import the core module does not call, so
    // outbound-http costs a module that never sends nothing (no grant needed at deploy).
    world = 'generated-function';
    witSource += `\nworld ${world} {\n  import host;\n  import publisher;\n  import outbound-http;\n  import objects;\n${handlers.map((h) => `  export ${h};\n`).join('')}}\n`;
  }
}

const embedded = await componentEmbed({ binary: core, witSource, world });
const adapter = await readFile(preview1AdapterReactorPath());
const component = await componentNew(embedded, [['wasi_snapshot_preview1', adapter]]);
await writeFile(outPath, component);
console.log(`componentize: ${outPath} (${component.length} bytes, world ${world})`);

/** Which handler interfaces the core module implements, judged by its `<interface>#handle` exports. */
function exportedHandlers(bytes) {
  const names = new Set(WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name));
  return handlerInterfaces.filter((h) => [...names].some((n) => n.startsWith(`wasmlet:function/${h}@`) && n.endsWith('#handle')));
}

function namedWorld(handlers) {
  const key = handlers.join(',');
  if (key === 'http-handler') return 'http-function';
  if (key === 'queue-handler') return 'queue-function';
  if (key === 'schedule-handler') return 'schedule-function';
  if (key === handlerInterfaces.join(',')) return 'function';
  return undefined;
}
