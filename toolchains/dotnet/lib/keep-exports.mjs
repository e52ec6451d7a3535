// Rewrites the export section keeping only the named exports.  node keep-exports.mjs in.wasm out.wasm name...
import { parse } from './wasmparse.mjs';
import { readFileSync, writeFileSync } from 'node:fs';
const [inp, out, ...keep] = process.argv.slice(2);
const b = readFileSync(inp);
const { exports, sections } = parse(b);
const leb = (n) => { const o = []; do { let x = n & 0x7f; n >>>= 7; if (n) x |= 0x80; o.push(x); } while (n); return Buffer.from(o); };
const kept = exports.filter(e => keep.includes(e.name));
const missing = keep.filter(k => !kept.some(e => e.name === k));
if (missing.length) { console.error('missing exports: ' + missing.join(', ')); process.exit(1); }
const body = Buffer.concat([leb(kept.length), ...kept.map(e => { const n = Buffer.from(e.name); return Buffer.concat([leb(n.length), n, Buffer.from([e.kind]), leb(e.idx)]); })]);
const s = sections.find(x => x.id === 7);
writeFileSync(out, Buffer.concat([b.subarray(0, s.headerStart), Buffer.from([7]), leb(body.length), body, b.subarray(s.end)]));
console.log(`kept ${kept.length} of ${exports.length} exports`);
