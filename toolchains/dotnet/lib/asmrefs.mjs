// Reads an assembly's name and AssemblyRef names from ECMA-335 metadata, in a PE (.dll) or a
// webcil-in-wasm (.wasm, .NET 8+ browser format) file.
import { readMetadata, Table } from './metadata.mjs';

export function assemblyInfo(file) {
  const m = readMetadata(file);
  // Assembly: HashAlgId u32, four u16 version parts, Flags u32, PublicKey (blob), Name, Culture.
  const name = m.rows[Table.Assembly] ? m.string(m.rd(m.row(Table.Assembly, 0) + 4 + 8 + 4 + m.B, m.S)) : null;
  // AssemblyRef: four u16 version parts, Flags u32, PublicKeyOrToken (blob), Name, Culture, HashValue.
  const refs = [];
  for (let i = 0; i < m.rows[Table.AssemblyRef]; i++) refs.push(m.string(m.rd(m.row(Table.AssemblyRef, i) + 12 + m.B, m.S)));
  return { name, refs };
}
