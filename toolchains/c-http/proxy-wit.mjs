#!/usr/bin/env node
// Writes the WIT folder of `wasi:http/proxy@0.2.12` for `wit-bindgen c`: jco's own copy of the
// WASI 0.2.12 packages (node_modules/@bytecodealliance/jco/lib/wit/builtin/0.2.12), unchanged, so
// nothing third-party is committed here. 0.2.12 is also what jco's preview1 adapter imports, so a
// component's wasi:io/streams is one interface whether the adapter or the guest uses it.
//
//   node toolchains/c-http/proxy-wit.mjs <out-dir>     (out-dir is created, or must be empty)
//
// The folder: <out-dir>/proxy.wit (package wasi:http@0.2.12, world `proxy`) and
// <out-dir>/deps/wasi-<pkg>/package.wit for cli, clocks, filesystem, io, random and sockets.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WASI_VERSION = '0.2.12';
/** The world `wit-bindgen c --world` names, and what the component exports. */
export const PROXY_WORLD_ID = `wasi:http/proxy@${WASI_VERSION}`;
const DEPS = ['wasi-cli', 'wasi-clocks', 'wasi-filesystem', 'wasi-io', 'wasi-random', 'wasi-sockets'];

/** jco's lib/wit/builtin/<version> folder, jco resolved the way node resolves it from this repository. */
function builtinDir() {
  const here = dirname(fileURLToPath(import.meta.url));
  let dir = dirname(createRequire(join(here, '../../package.json')).resolve('@bytecodealliance/jco'));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return join(dir, 'lib', 'wit', 'builtin', WASI_VERSION);
}

export function writeProxyWit(outDir) {
  const out = resolve(outDir);
  if (existsSync(out) && readdirSync(out).length > 0) throw new Error(`${outDir} is not empty`);
  const builtin = builtinDir();
  const read = (pkg) => {
    const path = join(builtin, pkg, 'package.wit');
    if (!existsSync(path)) throw new Error(`jco's WASI WIT is missing ${path}: is @bytecodealliance/jco installed (npm ci)?`);
    return readFileSync(path, 'utf8');
  };
  const files = [['proxy.wit', read('wasi-http')], ...DEPS.map((pkg) => [`deps/${pkg}/package.wit`, read(pkg)])];
  if (!/^world proxy \{/m.test(files[0][1])) throw new Error(`jco's ${WASI_VERSION}/wasi-http WIT has no world proxy`);
  for (const [path, text] of files) {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    writeFileSync(join(out, path), text);
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [outDir] = process.argv.slice(2);
  if (!outDir) {
    console.error('usage: node toolchains/c-http/proxy-wit.mjs <out-dir>');
    process.exit(2);
  }
  try {
    writeProxyWit(outDir);
    console.log(PROXY_WORLD_ID);
  } catch (err) {
    console.error(`proxy-wit: ${err.message}`);
    process.exit(1);
  }
}
