// Whether a C# function calls Wasmlet.Http (outbound HTTP), read from its compiled assembly (the
// first compile of the function with the SDK): gen-glue.mjs imports wasmlet:function/outbound-http
// only then, because the host refuses a component that imports it without allowed_outbound_hosts.
// A function that never sends a request must not need a grant.
//
// The compiler's view, not a scan of the source: every method body outside Wasmlet.Http is walked
// for an instruction whose operand is one of Wasmlet.Http's methods (a call, a delegate's ldftn...).
// Prints "outbound-http" when there is one, nothing otherwise.
//   node outbound.mjs <function.dll>
import { readFileSync } from 'node:fs';
import { readMetadata, Table } from './metadata.mjs';

const SDK_NAMESPACE = 'Wasmlet', CLIENT_CLASS = 'Http';
const METHOD_DEF_TOKEN = 0x06000000;
/** jmp, call, newobj, callvirt, ldftn, ldvirtftn: the operand is a method. */
const METHOD_OPERAND = new Set([0x27, 0x28, 0x73, 0x6f, 0xfe06, 0xfe07]);

const [dll] = process.argv.slice(2);
if (!dll) {
  console.error('usage: outbound.mjs <function.dll>');
  process.exit(2);
}
if (callsClient(readMetadata(readFileSync(dll)))) console.log('outbound-http');

function callsClient(m) {
  const types = m.rows[Table.TypeDef], methods = m.rows[Table.MethodDef];
  // TypeDef: Flags u32, TypeName, TypeNamespace, Extends, FieldList, MethodList (the last column, 1-based).
  const methodList = (i) => (i < types ? m.rd(m.row(Table.TypeDef, i) + m.rowSize(Table.TypeDef) - m.idx(Table.MethodDef), m.idx(Table.MethodDef)) : methods + 1);
  let first = 0, end = 0;   // Wasmlet.Http's MethodDef rows [first, end), 1-based
  for (let i = 0; i < types; i++) {
    const at = m.row(Table.TypeDef, i);
    if (m.string(m.rd(at + 4, m.S)) === CLIENT_CLASS && m.string(m.rd(at + 4 + m.S, m.S)) === SDK_NAMESPACE) [first, end] = [methodList(i), methodList(i + 1)];
  }
  if (first === end) return false;
  for (let k = 1; k <= methods; k++) {
    if (k >= first && k < end) continue;
    const rva = m.r32(m.row(Table.MethodDef, k - 1));   // MethodDef: RVA u32 first; 0 for abstract/extern
    if (rva !== 0 && methodTokens(m.bytes, m.offsetOf(rva)).some((t) => t >= METHOD_DEF_TOKEN + first && t < METHOD_DEF_TOKEN + end)) return true;
  }
  return false;
}

/** The method tokens a method body's instructions take as operands (ECMA-335 §II.25.4, §III). */
function methodTokens(b, at) {
  const tiny = (b[at] & 3) === 2;
  const size = tiny ? b[at] >> 2 : b.readUInt32LE(at + 4);
  let p = tiny ? at + 1 : at + 4 * (b.readUInt16LE(at) >> 12);
  const end = p + size, tokens = [];
  while (p < end) {
    let op = b[p++];
    if (op === 0xfe) op = 0xfe00 | b[p++];
    if (METHOD_OPERAND.has(op)) tokens.push(b.readUInt32LE(p));
    p += op === 0x45 ? 4 + 4 * b.readUInt32LE(p) : operandSize(op);   // switch: a count, then that many targets
  }
  return tokens;
}

function operandSize(op) {
  if (op >= 0xfe00) {
    if (op >= 0xfe09 && op <= 0xfe0e) return 2;                         // ldarg ldarga starg ldloc ldloca stloc
    if (op === 0xfe12 || op === 0xfe19) return 1;                       // unaligned. no.
    return [0xfe06, 0xfe07, 0xfe15, 0xfe16, 0xfe1c].includes(op) ? 4 : 0;   // ldftn ldvirtftn initobj constrained. sizeof
  }
  if ((op >= 0x0e && op <= 0x13) || op === 0x1f || (op >= 0x2b && op <= 0x37) || op === 0xde) return 1;   // short var, ldc.i4.s, short branches, leave.s
  if (op === 0x21 || op === 0x23) return 8;                             // ldc.i8 ldc.r8
  if (op === 0x20 || op === 0x22 || (op >= 0x27 && op <= 0x29) || (op >= 0x38 && op <= 0x44) || op === 0xdd) return 4;   // ldc.i4 ldc.r4 jmp call calli, branches, leave
  if (op === 0x6f || (op >= 0x70 && op <= 0x75) || op === 0x79 || (op >= 0x7b && op <= 0x81) || op === 0x8c || op === 0x8d || op === 0x8f) return 4;   // callvirt, object and field ops
  if (op === 0xa3 || op === 0xa4 || op === 0xa5 || op === 0xc2 || op === 0xc6 || op === 0xd0) return 4;   // ldelem stelem unbox.any refanyval mkrefany ldtoken
  return 0;
}
