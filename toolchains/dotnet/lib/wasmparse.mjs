// Minimal wasm section reader: types, imports (func), exports.
export function parse(b) {
  let pos = 8;
  const u = () => { let r = 0, s = 0, x; do { x = b[pos++]; r += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80); return r; };
  const name = () => { const n = u(); const s = Buffer.from(b.subarray(pos, pos + n)).toString(); pos += n; return s; };
  const VT = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref' };
  const types = [], imports = [], exports = [], sections = [];
  while (pos < b.length) {
    const idPos = pos, id = b[pos++], size = u(), start = pos, end = pos + size;
    sections.push({ id, start, end, headerStart: idPos });
    if (id === 1) { for (let n = u(); n--;) { const form = b[pos++]; if (form !== 0x60) throw new Error('type form ' + form); const p = []; for (let k = u(); k--;) p.push(VT[b[pos++]]); const r = []; for (let k = u(); k--;) r.push(VT[b[pos++]]); types.push({ p, r }); } }
    if (id === 2) { for (let n = u(); n--;) { const mod = name(), nm = name(), kind = b[pos++]; let t = null;
      if (kind === 0) t = types[u()]; else if (kind === 1) { pos++; const f = b[pos++]; u(); if (f & 1) u(); } else if (kind === 2) { const f = b[pos++]; u(); if (f & 1) u(); } else if (kind === 3) { pos += 2; }
      imports.push({ mod, name: nm, kind, type: t }); } }
    if (id === 7) { for (let n = u(); n--;) { const nm = name(); const kind = b[pos++]; const idx = u(); exports.push({ name: nm, kind, idx }); } }
    pos = end;
  }
  return { types, imports, exports, sections };
}
// Function type of every export (by name), for func exports.
export function exportTypes(b) {
  let pos = 8;
  const u = () => { let r = 0, s = 0, x; do { x = b[pos++]; r += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80); return r; };
  const { types, imports, exports, sections } = parse(b);
  const funcTypes = imports.filter(i => i.kind === 0).map(i => i.type);
  const fs = sections.find(s => s.id === 3); pos = fs.start;
  for (let n = u(); n--;) funcTypes.push(types[u()]);
  const out = {};
  for (const e of exports) if (e.kind === 0) out[e.name] = funcTypes[e.idx];
  return out;
}
