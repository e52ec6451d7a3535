// Which wasmlet handlers a JavaScript function module defines, judged by the names it exports,
// and the WIT world exporting exactly those. jco componentize needs the world up front, and a
// component must not export a handler the code lacks (the host would route triggers to it).
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Each handler interface, the user exports that implement it, and the SDK adapter wrapping them. */
export const HANDLERS = Object.freeze([
  { iface: 'http-handler', userExports: ['handle', 'default'], entryExport: 'httpHandler', adapter: 'export-http-handler.js', wrap: 'exportHttpHandler' },
  { iface: 'queue-handler', userExports: ['handleMessage', 'handleBatch'], entryExport: 'queueHandler', adapter: 'export-queue-handler.js', wrap: 'exportQueueHandler' },
  { iface: 'schedule-handler', userExports: ['handleSchedule'], entryExport: 'scheduleHandler', adapter: 'export-schedule-handler.js', wrap: 'exportScheduleHandler' },
].map(Object.freeze));

/** Appended to function.wit for each build, with exactly the imports the bundle uses. */
const GENERATED_WORLD = 'generated-function';

/** The handlers among a module's export names, in HANDLERS order. */
export function handlersFor(exportNames) {
  return HANDLERS.filter((h) => h.userExports.some((name) => exportNames.includes(name)));
}

/**
 * The world for `handlers`: a name from function.wit, or `generated-function` with the WIT
 * text to append to function.wit.
 * @returns {{ world: string, witAddition: string }}
 */
export function worldFor(handlers, { outboundHttp = false, keyValue = [] } = {}) {
  // componentize-qjs imports everything its world does, and the named worlds import every gated
  // interface (outbound-http, objects), which the host refuses without their grants: the world is
  // always generated with exactly what the bundle uses. wasi:keyvalue is in no named world.
  const imports = (outboundHttp ? '  import host;\n  import publisher;\n  import outbound-http;\n' : '  import host;\n  import publisher;\n') +
    keyValue.map((iface) => `  import wasi:keyvalue/${iface}@${KEY_VALUE_VERSION};\n`).join('');
  const exports = handlers.map((h) => `  export ${h.iface};\n`).join('');
  return { world: GENERATED_WORLD, witAddition: `\nworld ${GENERATED_WORLD} {\n${imports}${exports}}\n` };
}

/** A host import a bundle no longer uses (wasmlet's, wasi:keyvalue) is dropped from it, not kept as `import '…'`. */
export const dropUnusedHostImports = (id, external) => !(external && (id.startsWith('wasmlet:') || id.startsWith('wasi:keyvalue/')));

/** The wasi:keyvalue draft the host implements (sdk/wit-deps/wasi-keyvalue). */
export const KEY_VALUE_VERSION = '0.2.0-draft2';
/** Its interfaces a bundle imports, each found on its own: the world imports only those. */
const KEY_VALUE_IMPORT = /["']wasi:keyvalue\/(store|atomics|batch)@0\.2\.0-draft2["']/g;

/** The bundle imports the outbound HTTP client's host interface (sdk/js/fetch.js). */
const OUTBOUND_HTTP_IMPORT = /["']wasmlet:function\/outbound-http@0\.1\.0["']/;

/**
 * The names a module exports, re-exports followed (`export * from './queue.js'`), found by
 * bundling it with the rolldown that jco itself bundles with (nothing is run).
 * @param {string} entryPath
 * @param {{ jcoCli: string, sdkIndex: string }} where
 * @returns {Promise<string[]>}
 */
export async function moduleExports(entryPath, where) {
  return (await moduleShape(entryPath, where)).exports;
}

/**
 * `addEventListener('fetch', …)` in bundled code: the service-worker style of a wasi:http guest
 * (StarlingMonkey turns the listener into `wasi:http/incoming-handler`). Looked for in the bundle,
 * so a listener registered by an imported file counts too.
 */
const FETCH_LISTENER = /\baddEventListener\s*\(\s*(["'`])fetch\1/;

/**
 * What a module is, judged from its bundle (nothing is run): the names it exports, and whether
 * it is a wasi:http guest (it registers a `fetch` event listener, or exports `incomingHandler`,
 * componentize-js's name for a hand-written `wasi:http/incoming-handler`).
 * @param {string} entryPath
 * @param {{ jcoCli: string, sdkIndex: string }} where
 * @returns {Promise<{ exports: string[], wasiHttp: boolean, outboundHttp: boolean, keyValue: string[] }>}
 */
export async function moduleShape(entryPath, { jcoCli, sdkIndex }) {
  const { rolldown } = await import(pathToFileURL(createRequire(jcoCli).resolve('rolldown')).href);
  const build = await rolldown({
    input: entryPath,
    cwd: dirname(entryPath),
    platform: 'neutral',
    // As jco's bundle step: host imports stay imports, and the SDK is 'wasmlet'.
    external: [/^wasi:/, /^wasmlet:/, /^node:/],
    resolve: { mainFields: ['module', 'main'], alias: { wasmlet: sdkIndex } },
    // jco's own bundling run reports the same problems, with its context.
    logLevel: 'silent',
    treeshake: { moduleSideEffects: dropUnusedHostImports },
  });
  try {
    const { output } = await build.generate({ format: 'esm', codeSplitting: false });
    const entry = output.find((item) => item.type === 'chunk' && item.isEntry);
    const exports = entry ? entry.exports : [];
    const listensForFetch = output.some((item) => item.type === 'chunk' && FETCH_LISTENER.test(item.code));
    const outboundHttp = output.some((item) => item.type === 'chunk' && OUTBOUND_HTTP_IMPORT.test(item.code));
    const keyValue = new Set(output.flatMap((item) => (item.type === 'chunk' ? [...item.code.matchAll(KEY_VALUE_IMPORT)].map((m) => m[1]) : [])));
    // store defines the bucket the other two take: whoever imports them imports it too.
    if (keyValue.size > 0) keyValue.add('store');
    return { exports, wasiHttp: listensForFetch || exports.includes('incomingHandler'), outboundHttp, keyValue: ['store', 'atomics', 'batch'].filter((i) => keyValue.has(i)) };
  } finally {
    await build.close();
  }
}

/** The generated component entry: the user module wrapped by one SDK adapter per handler. */
export function entrySource(handlers, userModulePath, sdkDir) {
  return [
    '// Generated by toolchains/js/build.mjs: adapts the user module to the world\'s handler exports.',
    `import * as fn from ${JSON.stringify(userModulePath)};`,
    ...handlers.map((h) => `import { ${h.wrap} } from ${JSON.stringify(`${sdkDir}/${h.adapter}`)};`),
    ...handlers.map((h) => `export const ${h.entryExport} = ${h.wrap}(fn);`),
    '',
  ].join('\n');
}
