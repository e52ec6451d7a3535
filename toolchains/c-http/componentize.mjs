#!/usr/bin/env node
// Turns a core module built against a standard WASI world into a component: the core module
// already carries its component type (the `component-type:*` custom section that `wit-bindgen c`
// writes as <world>_component_type.o and the link keeps), so this only wraps it with the WASI
// preview1 reactor adapter that ships inside jco, as toolchains/componentize.mjs does for
// wasmlet's worlds. A core module without preview1 imports (no libc I/O) needs no adapter, and
// the component then has none.
//
//   node toolchains/c-http/componentize.mjs <core.wasm> <out.wasm>
import { componentNew, componentWit, preview1AdapterReactorPath } from '@bytecodealliance/jco';
import { readFile, writeFile } from 'node:fs/promises';

const [corePath, outPath] = process.argv.slice(2);
if (!corePath || !outPath) {
  console.error('usage: componentize.mjs <core.wasm> <out.wasm>');
  process.exit(2);
}
const core = await readFile(corePath);
const module = new WebAssembly.Module(core);
const hasType = ['component-type', ...typeSectionNames(core)].some((name) => WebAssembly.Module.customSections(module, name).length > 0);
if (!hasType) {
  console.error(`componentize: ${corePath} has no component-type custom section; link the <world>_component_type.o that wit-bindgen wrote`);
  process.exit(1);
}
const adapter = await readFile(preview1AdapterReactorPath());
const component = await componentNew(core, [['wasi_snapshot_preview1', adapter]]);
await writeFile(outPath, component);
const exported = (await componentWit(component)).split('\n').filter((l) => /^\s*export /.test(l)).map((l) => l.trim().replace(/^export |;$/g, ''));
console.log(`componentize: ${outPath} (${component.length} bytes, exports ${exported.join(', ')})`);

/** The names of the custom sections that start with `component-type` (wit-bindgen appends the world). */
function typeSectionNames(bytes) {
  const names = [];
  let pos = 8;
  const leb = () => {
    let result = 0, shift = 0, byte;
    do { byte = bytes[pos++]; result += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
    return result;
  };
  while (pos < bytes.length) {
    const id = bytes[pos++], size = leb(), end = pos + size;
    if (id === 0) {
      const len = leb();
      const name = bytes.subarray(pos, pos + len).toString('utf8');
      if (name.startsWith('component-type')) names.push(name);
    }
    pos = end;
  }
  return names;
}
