#!/usr/bin/env node
// Builds a JavaScript function folder into a wasmlet component with jco's QuickJS
// backend (componentize-qjs, synchronous ABI): the handlers the user's module exports
// (`handle` for HTTP, `handleMessage` or `handleBatch` for queues, `handleSchedule` for
// schedules) pick the world, a generated entry adapts each to its WIT export, rolldown
// bundles it with sdk/js (importable as 'wasmlet') and any npm dependencies, and QuickJS
// pre-initializes the bundle into a ~1.7 MB component.
// A module that registers a `fetch` event listener (or exports `incomingHandler`) is a standard
// wasi:http guest instead: build-wasi-http.mjs builds it with StarlingMonkey into a
// `wasi:http/proxy` component (~14 MB, ~100 s).
//
//   node toolchains/js/build.mjs <function-dir> <out.wasm>
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BuildError } from './build-error.mjs';
import { buildWasiHttp } from './build-wasi-http.mjs';
import { dropUnusedHostImports, entrySource, handlersFor, moduleShape, worldFor } from './handlers.mjs';

/** Entry files looked up in the function folder, in order. */
const ENTRY_NAMES = ['handler.js', 'handler.mjs', 'handler.ts', 'index.js', 'index.mjs', 'index.ts'];
/** Imports a wasmlet host provides; anything else (wasi:sockets, jco:node/*) is rejected at deploy. */
const PROVIDED_IMPORT = /^(wasi:(cli|io|clocks|filesystem|random)\/[a-z-]+@0\.2\.\d+|wasmlet:function\/(host|publisher|outbound-http)@0\.1\.0|wasi:keyvalue\/(store|atomics|batch)@0\.2\.0-draft2)$/;
/** What a wasi:http guest imports besides those: the proxy world's own interfaces. */
const WASI_HTTP_IMPORT = /^wasi:http\/(types|outgoing-handler)@0\.2\.\d+$/;

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');

try {
  const { wasiHttp } = await build(...process.argv.slice(2));
  await checkImports(resolve(process.argv[3]), { wasiHttp });
} catch (e) {
  if (!(e instanceof BuildError)) throw e;
  console.error(`js build: ${e.message}`);
  process.exitCode = 1;
}

async function build(dirArg, outArg) {
  if (!dirArg || !outArg) throw new BuildError('usage: toolchains/js/build.sh <function-dir> <out.wasm>');
  const fnDir = resolve(dirArg);
  const out = resolve(outArg);
  if (!existsSync(fnDir) || !statSync(fnDir).isDirectory()) throw new BuildError(`${dirArg} is not a directory`);
  const entryName = ENTRY_NAMES.find((name) => existsSync(join(fnDir, name)));
  if (!entryName) throw new BuildError(`no entry file in ${dirArg}: expected one of ${ENTRY_NAMES.join(', ')}`);
  const jcoCli = findJcoCli();
  const userModule = join(fnDir, entryName);
  const { exports: names, wasiHttp, outboundHttp, keyValue } = await shapeOf(userModule, jcoCli);
  if (wasiHttp) {
    const handlers = handlersFor(names);
    if (handlers.length > 0) {
      throw new BuildError(`${join(dirArg, entryName)} is a wasi:http guest (it registers a fetch event listener or exports incomingHandler) ` +
        `and also exports wasmlet handlers (${handlers.map((h) => h.userExports.filter((n) => names.includes(n)).join(', ')).join(', ')}): ` +
        'a component is one or the other; move one of them to its own function');
    }
    buildWasiHttp({ fnDir, userModule, displayName: join(dirArg, entryName), out, outArg, jcoCli, preopen: join(here, 'preopen.mjs') });
    return { wasiHttp: true };
  }
  if (names.includes('handleMessage') && names.includes('handleBatch')) {
    throw new BuildError(`${join(dirArg, entryName)} exports both handleMessage and handleBatch: a queue handler is one or the other`);
  }
  const handlers = handlersFor(names);
  if (handlers.length === 0) {
    throw new BuildError(`${join(dirArg, entryName)} exports no handler: export at least one of ` +
      'handle(request) (HTTP), handleMessage(message, queue) or handleBatch(queue, messages) (queue), handleSchedule(event) (schedule); ' +
      "or register addEventListener('fetch', …) for a standard wasi:http component");
  }
  const { world, witAddition } = worldFor(handlers, { outboundHttp, keyValue });

  const work = mkdtempSync(join(tmpdir(), 'wasmlet-js-'));
  try {
    const entry = join(work, 'entry.js');
    writeFileSync(entry, entrySource(handlers, userModule, join(root, 'sdk/js')));
    // Merged by `jco componentize --bundle` into its rolldown options: the guest imports the
    // SDK as 'wasmlet', and the WIT imports (wasmlet:function/host, /publisher, /outbound-http,
    // wasi:keyvalue/*) stay for QuickJS.
    const config = join(work, 'bundle.config.mjs');
    writeFileSync(config, [
      'export default {',
      `  resolve: { alias: { wasmlet: ${JSON.stringify(join(root, 'sdk/js/index.js'))} } },`,
      '  external: [/^wasmlet:/, /^wasi:keyvalue\\//],',
      // As in moduleShape: a host import the code does not use must not stay as a bare import.
      `  treeshake: { moduleSideEffects: ${dropUnusedHostImports.toString()} },`,
      '};',
      '',
    ].join('\n'));
    // jco rewrites the WIT it is given when the bundle uses host-backed Node APIs
    // (it adds `import jco:node/...` to the world): hand it a copy, never sdk/wit.
    const wit = join(work, 'wit');
    cpSync(join(root, 'sdk/wit'), wit, { recursive: true });
    if (witAddition) writeFileSync(join(wit, 'function.wit'), readFileSync(join(wit, 'function.wit'), 'utf8') + witAddition);
    // wasi:keyvalue is a WIT dependency only of the builds that use it (sdk/wit stays one package).
    if (keyValue.length > 0) cpSync(join(root, 'sdk/wit-deps/wasi-keyvalue'), join(wit, 'deps', 'wasi-keyvalue'), { recursive: true });

    mkdirSync(dirname(out), { recursive: true });
    const started = performance.now();
    const result = spawnSync(process.execPath, [
      jcoCli, 'componentize', entry,
      '--wit', wit, '--world-name', world,
      '--backend', 'qjs',
      // The default async build needs JSPI (WebAssembly.Suspending), which Node 20 lacks.
      '--backend-qjs-disable-async',
      '--bundle', '--bundle-config', config,
      '-o', out,
    ], {
      cwd: fnDir,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${pathToFileURL(join(here, 'preopen.mjs')).href}`.trim() },
    });
    if (result.error) throw new BuildError(`could not run jco: ${result.error.message}`);

    const original = importNames(readFileSync(join(root, 'sdk/wit/function.wit'), 'utf8') + witAddition);
    const injected = importNames(readFileSync(join(wit, 'function.wit'), 'utf8')).filter((n) => !original.includes(n));
    if (injected.length > 0 || result.status !== 0) rmSync(out, { force: true });
    if (injected.length > 0) {
      throw new BuildError(`your code or a dependency uses a Node.js API that needs a host import (${injected.join(', ')}), ` +
        'which wasmlet does not provide. Common causes: `process` (use config() for settings), node:tty, node:net, node:http.');
    }
    if (result.status !== 0) {
      const said = result.stdout.toString().trim(); // jco's "(jco componentize)" tag
      if (said) console.error(said);
      throw new BuildError(`componentize failed for ${join(dirArg, entryName)} (jco exit ${result.status}; its message is above)`);
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`js build: ${outArg} (${statSync(out).size} bytes, QuickJS, world ${world}, ${seconds} s)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { wasiHttp: false };
}

/** The module's export names and kind; a module rolldown cannot parse is the user's error, said plainly. */
async function shapeOf(userModule, jcoCli) {
  try {
    return await moduleShape(userModule, { jcoCli, sdkIndex: join(root, 'sdk/js/index.js') });
  } catch (e) {
    throw new BuildError(`could not read the exports of ${userModule}: ${e.message}`);
  }
}

function findJcoCli() {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('@bytecodealliance/jco')), 'jco.js');
  } catch {
    throw new BuildError('@bytecodealliance/jco is not installed; run `npm ci` in the repository root');
  }
}

/** Fails (and deletes `out`) when the component imports an interface the host does not provide. */
async function checkImports(out, { wasiHttp }) {
  const { componentWit } = await import('@bytecodealliance/jco');
  const names = importNames(await componentWit(readFileSync(out)));
  const unprovided = names.filter((name) => !PROVIDED_IMPORT.test(name) && !(wasiHttp && WASI_HTTP_IMPORT.test(name)));
  if (unprovided.length > 0) {
    rmSync(out, { force: true });
    throw new BuildError(`the component would import ${unprovided.join(', ')}, which wasmlet does not provide`);
  }
}

/** Interface names in the `import` lines of WIT text. */
function importNames(text) {
  return [...text.matchAll(/^\s*import ([^;]+);/gm)].map((m) => m[1].trim());
}
