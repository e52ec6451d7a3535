// The framework assemblies to embed for a function assembly: a base set, plus the AssemblyRef
// closure of the function assembly and of every non-facade assembly reached. The big .NET
// Framework facades (mscorlib, System, System.Core, netstandard) reference nearly the whole
// framework but are only followed lazily at run time, so their references are not expanded;
// name any extra assembly a function needs (e.g. System.Private.Xml) as an extra argument.
//   node closure.mjs <_framework dir> <user.dll> [extra names...]  -> prints file paths
import { readFileSync, readdirSync } from 'node:fs';
import { assemblyInfo } from './asmrefs.mjs';
const [fw, user, ...extra] = process.argv.slice(2);
const BASE = ['System.Private.CoreLib', 'System.Runtime', 'mscorlib', 'netstandard', 'System', 'System.Core',
  'System.Console', 'System.Runtime.InteropServices', 'System.Runtime.InteropServices.JavaScript', 'System.Text.Encoding.Extensions',
  'System.Threading', 'System.Collections', 'System.Memory', 'System.Private.Uri', 'System.Linq', 'System.Runtime.Extensions'];
const FACADES = new Set(['mscorlib', 'System', 'System.Core', 'netstandard']);
const avail = new Map();
for (const f of readdirSync(fw)) { const m = /^(.*)\.[a-z0-9]{10}\.wasm$/.exec(f); if (m && !f.startsWith('dotnet.native')) avail.set(m[1], `${fw}/${f}`); }
const out = new Set(), missing = new Set(), todo = [user];
for (const n of [...BASE, ...extra]) { if (!avail.has(n)) { missing.add(n); continue; } out.add(avail.get(n)); todo.push(avail.get(n)); }
const expanded = new Set();
while (todo.length) {
  const f = todo.pop(); if (expanded.has(f)) continue; expanded.add(f);
  const info = assemblyInfo(readFileSync(f));
  if (f !== user && FACADES.has(info.name)) continue;
  for (const r of info.refs) { const p = avail.get(r); if (!p) { missing.add(r); continue; } if (!out.has(p)) { out.add(p); todo.push(p); } }
}
if (missing.size) console.error('not in the runtime pack: ' + [...missing].join(', '));
console.log([...out].join('\n'));
