#!/usr/bin/env node
// Turns a core wasm module into a wasmlet component: embeds sdk/wit (world
// `http-function` unless --world says otherwise), then wraps it with the WASI
// preview1 reactor adapter that ships inside jco. Used by every language recipe.
//
//   node toolchains/componentize.mjs <core.wasm> <out.wasm> [--world NAME] [--adapter-export NAME]
import { componentEmbed, componentNew, preview1AdapterReactorPath } from '@bytecodealliance/jco';
import { readFile, writeFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const [corePath, outPath] = args;
if (!corePath || !outPath) {
  console.error('usage: componentize.mjs <core.wasm> <out.wasm> [--world NAME]');
  process.exit(2);
}
const witDir = fileURLToPath(new URL('../sdk/wit/', import.meta.url));
const witFiles = (await readdir(witDir)).filter((f) => f.endsWith('.wit')).sort();
const witSource = (await Promise.all(witFiles.map((f) => readFile(join(witDir, f), 'utf8')))).join('\n');
const world = option('--world', 'http-function');

const core = await readFile(corePath);
const embedded = await componentEmbed({ binary: core, witSource, world });
const adapter = await readFile(preview1AdapterReactorPath());
const component = await componentNew(embedded, [['wasi_snapshot_preview1', adapter]]);
await writeFile(outPath, component);
console.log(`componentize: ${outPath} (${component.length} bytes, world ${world})`);
