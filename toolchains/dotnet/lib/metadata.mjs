// An ECMA-335 metadata table reader for a PE (.dll) or webcil-in-wasm (.wasm, .NET 8+ browser
// format) file: where each table's rows are and how wide they are, and the #Strings heap.
// asmrefs.mjs reads the assembly and AssemblyRef tables with it, handlers.mjs TypeDef and MethodDef,
// outbound.mjs TypeDef, MethodDef and the method bodies.

/** Table numbers (ECMA-335 §II.22) this folder reads. */
export const Table = { TypeDef: 0x02, MethodDef: 0x06, Assembly: 0x20, AssemblyRef: 0x23 };

export function readMetadata(file) {
  let b = file, secs = [], cliRva;
  const r16 = (o) => b.readUInt16LE(o), r32 = (o) => b.readUInt32LE(o);
  const wb = file.indexOf(Buffer.from('WbIL'));
  if (file[0] === 0x4d && file[1] === 0x5a) {               // PE
    const pe = r32(0x3c), nsec = r16(pe + 6), optSize = r16(pe + 20), opt = pe + 24;
    const dd = opt + (r16(opt) === 0x20b ? 112 : 96);
    cliRva = r32(dd + 14 * 8);
    for (let i = 0, s = opt + optSize; i < nsec; i++, s += 40) secs.push({ va: r32(s + 12), vsize: Math.max(r32(s + 8), r32(s + 16)), ptr: r32(s + 20) });
  } else if (wb >= 0) {                                       // webcil
    b = file.subarray(wb);
    const n = r16(4 + 4); cliRva = r32(12);
    for (let i = 0, s = 28; i < n; i++, s += 16) secs.push({ va: r32(s + 4), vsize: Math.max(r32(s), r32(s + 8)), ptr: r32(s + 12) });
  } else throw new Error('not a PE or webcil file');
  const off = (rva) => { const s = secs.find(s => rva >= s.va && rva < s.va + s.vsize); if (!s) throw new Error('rva ' + rva); return rva - s.va + s.ptr; };
  const md = off(r32(off(cliRva) + 8));
  const verLen = r32(md + 12); let p = md + 16 + verLen + 2;
  const nStreams = r16(p); p += 2;
  const streams = {};
  for (let i = 0; i < nStreams; i++) {
    const o = r32(p), size = r32(p + 4); p += 8; let e = p; while (b[e]) e++;
    const name = b.toString('latin1', p, e); p = (e + 4) & ~3; streams[name] = { o: md + o, size };
  }
  const t = streams['#~'] ?? streams['#-'], str = streams['#Strings'];
  const heap = b[t.o + 6], valid = b.readBigUInt64LE(t.o + 8);
  const rows = new Array(64).fill(0); let q = t.o + 24;
  for (let i = 0; i < 64; i++) if ((valid >> BigInt(i)) & 1n) { rows[i] = r32(q); q += 4; }
  const S = heap & 1 ? 4 : 2, G = heap & 2 ? 4 : 2, B = heap & 4 ? 4 : 2;
  const idx = (tb) => rows[tb] < 65536 ? 2 : 4;
  const coded = (bits, tbs) => Math.max(...tbs.map(x => rows[x])) < (1 << (16 - bits)) ? 2 : 4;
  const TDOR = coded(2, [2, 1, 0x1b]), RS = coded(2, [0, 0x1a, 0x23, 1]), MRP = coded(3, [2, 1, 0x1a, 6, 0x1b]);
  const HC = coded(2, [4, 8, 0x17]), HFM = coded(1, [4, 8]), HDS = coded(2, [2, 6, 0x20]), HS = coded(1, [0x14, 0x17]);
  const MDOR = coded(1, [6, 0xa]), MF = coded(1, [4, 6]), CAT = coded(3, [6, 0xa]);
  const HCA = coded(5, [6, 4, 1, 2, 8, 9, 0xa, 0, 0xe, 0x17, 0x14, 0x11, 0x1a, 0x1b, 0x20, 0x23, 0x26, 0x27, 0x28, 0x2a, 0x2c, 0x2b]);
  const size = [
    2 + S + 3 * G, RS + 2 * S, 4 + 2 * S + TDOR + idx(4) + idx(6), idx(4), 2 + S + B, idx(6), 4 + 2 + 2 + S + B + idx(8), idx(8), 4 + S,
    idx(2) + TDOR, MRP + S + B, 2 + HC + B, HCA + CAT + B, HFM + B, 2 + HDS + B, 2 + 4 + idx(2), 4 + idx(4), B, idx(2) + idx(0x14), idx(0x14),
    2 + S + TDOR, idx(2) + idx(0x17), idx(0x17), 2 + S + B, 2 + idx(6) + HS, idx(2) + 2 * MDOR, S, B, 2 + MF + S + idx(0x1a), 4 + idx(4), 8, 4,
    4 + 8 + 4 + B + 2 * S, 4, 12, 12 + 2 * B + 2 * S];
  const start = [q];
  for (let i = 1; i < size.length; i++) start.push(start[i - 1] + rows[i - 1] * size[i - 1]);
  const rd = (o, n) => n === 2 ? r16(o) : r32(o);
  return {
    rows,
    /** The file's bytes (for webcil, from its header on) and the offset in them of an RVA (a method body's, say). */
    bytes: b,
    offsetOf: off,
    /** Byte offset of row `i` (0-based) of table `table`, and the width of its rows. */
    row: (table, i) => start[table] + i * size[table],
    rowSize: (table) => size[table],
    /** Widths of a #Strings index, a #Blob index and a row index into `table`. */
    S, B, idx,
    rd, r16, r32,
    /** The NUL-terminated UTF-8 string at #Strings offset `o`. */
    string: (o) => { const s = str.o + o; let e = s; while (b[e]) e++; return b.toString('utf8', s, e); },
  };
}
