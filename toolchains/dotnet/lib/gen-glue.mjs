// Generates the glue module (WAT) for toolchains/dotnet/build.sh: implements the browser runtime's
// `env` imports on WASI preview1, embeds the assemblies as passive data segments,
// boots Mono in _initialize, and exports cabi_realloc and, for each handler interface the function
// defines (handlers.mjs), its canonical-ABI handle and cabi_post. The interface list may also name
// outbound-http (outbound.mjs: the function calls Wasmlet.Http), which the glue then imports.
//   node gen-glue.mjs <dotnet.native.wasm> <out.wat> <interface,...> <asm.dll|asm.wasm>...   (the function assembly first)
import { parse } from './wasmparse.mjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * Each handler interface: the C# class (namespace Wasmlet.Exports, sdk/dotnet/exports/) whose
 * Handle(IntPtr frame) and Post(IntPtr) the export calls, and its flattened core parameters. The
 * export stores the parameters in a frame at their natural alignment, then the result pointer
 * comes back in the next 4-aligned slot (HttpAbi/QueueAbi/ScheduleAbi.FrameResultOffset: 40, 16, 16).
 */
const HANDLERS = {
  'http-handler': { cls: 'HttpHandler', params: Array(10).fill('i32') },
  'queue-handler': { cls: 'QueueHandler', params: ['i32', 'i32', 'i32', 'i32'] },
  'schedule-handler': { cls: 'ScheduleHandler', params: ['i32', 'i32', 'i64'] },
};
/**
 * Imports only a function that uses them gets (the host refuses outbound-http without a grant):
 * the InvokeJSImportST handle C# calls (sdk/dotnet/Http.cs) and the core import's i32 parameters.
 */
const OPTIONAL_IMPORTS = {
  'outbound-http': { handle: 4, module: 'wasmlet:function/outbound-http@0.1.0', name: 'send', func: '$outbound_http_send', params: 9 },
};
const EXPORTS_NAMESPACE = 'Wasmlet.Exports';
const [nativePath, outPath, interfaceList, ...asms] = process.argv.slice(2);
const named = interfaceList.split(',').filter(Boolean);
for (const iface of named) if (!HANDLERS[iface] && !OPTIONAL_IMPORTS[iface]) throw new Error(`gen-glue: unknown interface ${iface}`);
const interfaces = named.filter((iface) => HANDLERS[iface]);
const optionalImports = named.filter((iface) => OPTIONAL_IMPORTS[iface]).map((iface) => OPTIONAL_IMPORTS[iface]);
/** The i32 parameters of an import call, loaded from the frame C# passes (4 bytes each). */
const frameArgs = (count) => Array.from({ length: count }, (_, i) => `(i32.load offset=${4 * i} (local.get 1))`).join(' ');
const { imports } = parse(readFileSync(nativePath));
const envImports = imports.filter(i => i.mod === 'env' && i.kind === 0);
const lit = (buf) => { let s = '"'; for (const c of buf) s += (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) ? String.fromCharCode(c) : '\\' + c.toString(16).padStart(2, '0'); return s + '"'; };
const sig = (t) => `${t.p.length ? `(param ${t.p.join(' ')})` : ''} ${t.r.length ? `(result ${t.r.join(' ')})` : ''}`;
const zero = (t) => t.r.map(r => `(${r}.const 0)`).join(' ');
const data = [];   // passive segments
const seg = (bytes) => { data.push(bytes); return data.length - 1; };
// code that leaves a malloc'ed copy of segment `i` (length n) on the stack
const copySeg = (i, n) => `(call $copy (i32.const ${n}) (i32.const ${i}))`;
const custom = {
  abort: `(call $die (i32.const 0)) unreachable`,
  exit: `(call $die (i32.const 1)) unreachable`,
  emscripten_force_exit: `(call $die (i32.const 1)) unreachable`,
  __cxa_throw: `(call $die (i32.const 2)) unreachable`,
  __resumeException: `(call $die (i32.const 2)) unreachable`,
  invoke_vi: `(call_indirect $tbl (type $t_vi) (local.get 1) (local.get 0))`,
  emscripten_get_now: `(f64.div (f64.convert_i64_u (call $clock (i32.const 1))) (f64.const 1000000))`,
  emscripten_date_now: `(f64.div (f64.convert_i64_u (call $clock (i32.const 0))) (f64.const 1000000))`,
  emscripten_get_now_res: `(f64.const 1000)`,
  _emscripten_get_now_is_monotonic: `(i32.const 1)`,
  emscripten_get_heap_max: `(i32.const -2147483648)`,
  emscripten_resize_heap: `(local $pages i32)
    (local.set $pages (i32.wrap_i64 (i64.shr_u (i64.add (i64.extend_i32_u (local.get 0)) (i64.const 65535)) (i64.const 16))))
    (if (i32.gt_u (local.get $pages) (memory.size)) (then
      (if (i32.eq (memory.grow (i32.sub (local.get $pages) (memory.size))) (i32.const -1)) (then (return (i32.const 0))))))
    (i32.const 1)`,
  __syscall_getcwd: `(i32.store16 (local.get 0) (i32.const 47)) (i32.const 2)`,       // "/\0"
  __syscall_fcntl64: `(if (result i32) (i32.or (i32.eqz (local.get 1)) (i32.eq (local.get 1) (i32.const 1030))) (then (local.get 0)) (else (i32.const 0)))`,
  mono_wasm_trace_logger: `(call $write2 (local.get 2) (call $strlen (local.get 2))) (call $write2 (i32.const 0) (i32.const 0))
    (if (local.get 3) (then unreachable))`,
  mono_wasm_browser_entropy: `(if (result i32) (call $random_get (local.get 0) (local.get 1)) (then (i32.const -1)) (else (i32.const 0)))`,
  mono_wasm_process_current_pid: `(i32.const 42)`,
  // C# Wasmlet.Host calls the runtime's InvokeJSImportST icall with handle 1 (log) or 2 (get-config),
  // frame = 3 x i32; Wasmlet.Publisher with handle 3 (publisher.send), frame = 8 x i32; Wasmlet.Http
  // with handle 4 (outbound-http.send, frame = 9 x i32), answered only when the function uses it
  // (otherwise the call returns without writing the result, and C# reports that)
  mono_wasm_invoke_jsimport_ST: `(if (i32.eq (local.get 0) (i32.const 1)) (then
      (call $host_log ${frameArgs(3)})))
    (if (i32.eq (local.get 0) (i32.const 2)) (then
      (call $host_get_config ${frameArgs(3)})))
    (if (i32.eq (local.get 0) (i32.const 3)) (then
      (call $publisher_send ${frameArgs(8)})))${optionalImports.map((imp) => `
    (if (i32.eq (local.get 0) (i32.const ${imp.handle})) (then
      (call ${imp.func} ${frameArgs(imp.params)})))`).join('')}`,
};
const dieMsgs = ['dotnet: abort()\n', 'dotnet: exit()\n', 'dotnet: C++ exception (unsupported under WASI)\n', 'dotnet: runtime init failed (assembly/class/method not found)\n'];
const dieSegs = dieMsgs.map(m => [seg(Buffer.from(m)), Buffer.byteLength(m)]);
let envFuncs = '';
for (const imp of envImports) {
  let body = custom[imp.name];
  if (body === undefined) body = imp.name.startsWith('__syscall_') ? '(i32.const -52)' /* ENOSYS */ : zero(imp.type);
  envFuncs += `  (func (export "${imp.name}") ${sig(imp.type)}\n    ${body})\n`;
}
// boot: assemblies, properties
let boot = '';
const mainName = basename(asms[0]).replace(/\.(dll|wasm)$/, '').replace(/\.[a-z0-9]{10}$/, '');
for (const a of asms) {
  const bytes = readFileSync(a);
  const nm = basename(a).replace(/\.[a-z0-9]{10}\.wasm$/, '.dll').replace(/\.wasm$/, '.dll');
  const s = seg(bytes), ns = seg(Buffer.from(nm + '\0'));
  boot += `    (drop (call $add_asm ${copySeg(ns, Buffer.byteLength(nm) + 1)} ${copySeg(s, bytes.length)} (i32.const ${bytes.length})))\n`;
}
const props = [['System.Globalization.Invariant', 'true'], ['System.Globalization.PredefinedCulturesOnly', 'false'], ['APP_CONTEXT_BASE_DIRECTORY', '/'], ['RUNTIME_IDENTIFIER', 'wasi-wasm']];
const cs = (str) => copySeg(seg(Buffer.from(str + '\0')), Buffer.byteLength(str) + 1);
boot += `    (call $setenv ${cs('DOTNET_SYSTEM_GLOBALIZATION_INVARIANT')} ${cs('true')})\n`;
boot += `    (local.set $keys (call $malloc (i32.const ${4 * props.length}))) (local.set $vals (call $malloc (i32.const ${4 * props.length})))\n`;
props.forEach(([k, v], i) => { boot += `    (i32.store offset=${4 * i} (local.get $keys) ${cs(k)}) (i32.store offset=${4 * i} (local.get $vals) ${cs(v)})\n`; });
boot += `    (call $load_rt (i32.const 0) (i32.const ${props.length}) (local.get $keys) (local.get $vals))
    (local.set $asm (call $asm_load ${cs(mainName)}))
    (if (i32.eqz (local.get $asm)) (then (call $die (i32.const 3)) unreachable))\n`;
for (const iface of interfaces) {
  const { cls } = HANDLERS[iface];
  boot += `    (local.set $cls (call $find_class (local.get $asm) ${cs(EXPORTS_NAMESPACE)} ${cs(cls)}))
    (if (i32.eqz (local.get $cls)) (then (call $die (i32.const 3)) unreachable))
    (global.set $${cls}_handle (call $find_method (local.get $cls) ${cs('Handle')} (i32.const 1)))
    (global.set $${cls}_post (call $find_method (local.get $cls) ${cs('Post')} (i32.const 1)))
    (if (i32.or (i32.eqz (global.get $${cls}_handle)) (i32.eqz (global.get $${cls}_post))) (then (call $die (i32.const 3)) unreachable))\n`;
}
const handlerGlobals = interfaces.map((iface) => `  (global $${HANDLERS[iface].cls}_handle (mut i32) (i32.const 0))
  (global $${HANDLERS[iface].cls}_post (mut i32) (i32.const 0))`).join('\n');
const handlerExports = interfaces.map((iface) => handlerExport(`wasmlet:function/${iface}@0.1.0#handle`, HANDLERS[iface])).join('\n');

/** handle: the parameters into a malloc'ed frame, Handle(frame) through mono_runtime_invoke, the result pointer back out. */
function handlerExport(name, { cls, params }) {
  let offset = 0;
  const stores = params.map((type, i) => {
    const bytes = type === 'i64' ? 8 : 4;
    offset = Math.ceil(offset / bytes) * bytes;
    const store = `    (${type}.store offset=${offset} (local.get $f) (local.get ${i}))`;
    offset += bytes;
    return store;
  });
  const resultOffset = Math.ceil(offset / 4) * 4;
  return `  (func (export "${name}") (param ${params.join(' ')}) (result i32) (local $f i32) (local $cell i32) (local $r i32)
    (local.set $f (call $malloc (i32.const ${resultOffset + 8}))) (local.set $cell (call $malloc (i32.const 4)))
${stores.join('\n')}
    (i32.store (local.get $cell) (local.get $f))
    (call $invoke (global.get $${cls}_handle) (local.get $cell))
    (local.set $r (i32.load offset=${resultOffset} (local.get $f)))
    (call $free (local.get $cell)) (call $free (local.get $f))
    (local.get $r))
  (func (export "cabi_post_${name}") (param $ret i32) (local $cell i32)
    (local.set $cell (call $malloc (i32.const 4)))
    (i32.store (local.get $cell) (local.get $ret))
    (call $invoke (global.get $${cls}_post) (local.get $cell))
    (call $free (local.get $cell)))`;
}
const wat = `(module
  (type $t_vi (func (param i32)))
  (import "dotnet" "memory" (memory $mem 1))
  (import "dotnet" "__indirect_function_table" (table $tbl 1 funcref))
  (import "dotnet" "malloc" (func $malloc (param i32) (result i32)))
  (import "dotnet" "free" (func $free (param i32)))
  (import "dotnet" "memalign" (func $memalign (param i32 i32) (result i32)))
  (import "dotnet" "__wasm_call_ctors" (func $ctors))
  (import "dotnet" "mono_wasm_setenv" (func $setenv (param i32 i32)))
  (import "dotnet" "mono_wasm_add_assembly" (func $add_asm (param i32 i32 i32) (result i32)))
  (import "dotnet" "mono_wasm_load_runtime" (func $load_rt (param i32 i32 i32 i32)))
  (import "dotnet" "mono_wasm_assembly_load" (func $asm_load (param i32) (result i32)))
  (import "dotnet" "mono_wasm_assembly_find_class" (func $find_class (param i32 i32 i32) (result i32)))
  (import "dotnet" "mono_wasm_assembly_find_method" (func $find_method (param i32 i32 i32) (result i32)))
  (import "dotnet" "mono_wasm_invoke_jsexport" (func $invoke (param i32 i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasmlet:function/host@0.1.0" "log" (func $host_log (param i32 i32 i32)))
  (import "wasmlet:function/host@0.1.0" "get-config" (func $host_get_config (param i32 i32 i32)))
  (import "wasmlet:function/publisher@0.1.0" "send" (func $publisher_send (param i32 i32 i32 i32 i32 i32 i32 i32)))
${optionalImports.map((imp) => `  (import "${imp.module}" "${imp.name}" (func ${imp.func} (param${' i32'.repeat(imp.params)})))\n`).join('')}  (global $scratch (mut i32) (i32.const 0))
${handlerGlobals}
  (func $scr (result i32)
    (if (i32.eqz (global.get $scratch)) (then (global.set $scratch (call $malloc (i32.const 32)))))
    (global.get $scratch))
  (func $clock (param $id i32) (result i64)
    (drop (call $clock_time_get (local.get $id) (i64.const 1000) (call $scr)))
    (i64.load (call $scr)))
  (func $strlen (param $p i32) (result i32) (local $e i32)
    (local.set $e (local.get $p))
    (block $done (loop $l (br_if $done (i32.eqz (i32.load8_u (local.get $e)))) (local.set $e (i32.add (local.get $e) (i32.const 1))) (br $l)))
    (i32.sub (local.get $e) (local.get $p)))
  ;; write (p, n) to stderr; n = 0 writes a newline
  (func $write2 (param $p i32) (param $n i32) (local $s i32)
    (local.set $s (call $scr))
    (if (i32.eqz (local.get $n)) (then (i32.store8 offset=16 (local.get $s) (i32.const 10)) (local.set $p (i32.add (local.get $s) (i32.const 16))) (local.set $n (i32.const 1))))
    (i32.store (local.get $s) (local.get $p)) (i32.store offset=4 (local.get $s) (local.get $n))
    (drop (call $fd_write (i32.const 2) (local.get $s) (i32.const 1) (i32.add (local.get $s) (i32.const 8)))))
  (func $copy (param $n i32) (param $seg i32) (result i32) (local $p i32)
    (local.set $p (call $malloc (local.get $n)))
    (block $b ${data.map((_, i) => `(br_if $b (i32.eq (local.get $seg) (i32.const ${i}))) `).join('') /* placeholder replaced below */}
      unreachable)
    (local.get $p))
  (func $die (param $which i32)
${dieSegs.map(([s, n], i) => `    (if (i32.eq (local.get $which) (i32.const ${i})) (then (call $write2 ${`(call $copy (i32.const ${n}) (i32.const ${s}))`} (i32.const ${n}))))`).join('\n')})
${envFuncs}
  (func (export "_initialize") (local $keys i32) (local $vals i32) (local $asm i32) (local $cls i32)
    (call $ctors)
${boot}  )
  (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $new_size i32) (result i32) (local $p i32)
    (if (i32.eqz (local.get $new_size)) (then (return (local.get $align))))
    (local.set $p (if (result i32) (i32.gt_u (local.get $align) (i32.const 8))
      (then (call $memalign (local.get $align) (local.get $new_size))) (else (call $malloc (local.get $new_size)))))
    (if (i32.eqz (local.get $p)) (then unreachable))
    (if (local.get $old) (then
      (memory.copy (local.get $p) (local.get $old) (select (local.get $old_size) (local.get $new_size) (i32.lt_u (local.get $old_size) (local.get $new_size))))
      (call $free (local.get $old))))
    (local.get $p))
${handlerExports}
${data.map((d, i) => `  (data $d${i} ${lit(d)})`).join('\n')}
)
`;
// $copy: memory.init needs a constant segment index, so dispatch with a br_table-free chain
let copyBody = '';
for (let i = 0; i < data.length; i++) copyBody += `    (if (i32.eq (local.get $seg) (i32.const ${i})) (then (memory.init $d${i} (local.get $p) (i32.const 0) (local.get $n)) (data.drop $d${i}) (return (local.get $p))))\n`;
const final = wat.replace(/\(block \$b [^\n]*\n      unreachable\)/, copyBody + '    unreachable');
writeFileSync(outPath, final);
console.log(`glue: ${envImports.length} env functions, ${data.length} data segments, main assembly ${mainName}, handlers ${interfaces.join(', ')}` +
  (optionalImports.length ? `, imports ${optionalImports.map((imp) => imp.module).join(', ')}` : ''));
