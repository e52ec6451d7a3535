// Which handlers a C# function defines, read from its compiled assembly (a first compile of the
// function with the SDK): the public static methods of its top-level `Function` class named
// Handle, HandleQueue, HandleMessage and HandleSchedule. build.sh then compiles the matching
// sdk/dotnet/exports/ files, whose calls check each handler's signature, and gen-glue.mjs exports
// exactly those handlers: a component never claims a trigger its code does not handle.
//
// The compiler's view, not a scan of the source: partial classes, #if, comments and strings are
// already resolved. Prints one line per handler, "<interface> <export file>".
//   node handlers.mjs <function.dll>
import { readFileSync } from 'node:fs';
import { readMetadata, Table } from './metadata.mjs';

/** Each handler method: the interface it implements and the C# file that exports it. */
const HANDLERS = {
  Handle: { iface: 'http-handler', file: 'HttpExport.cs' },
  HandleQueue: { iface: 'queue-handler', file: 'QueueExport.cs' },
  HandleMessage: { iface: 'queue-handler', file: 'QueueEachExport.cs' },
  HandleSchedule: { iface: 'schedule-handler', file: 'ScheduleExport.cs' },
};
const ENTRY_CLASS = 'Function';
// ECMA-335 §II.23.1: TypeAttributes.VisibilityMask (0 and 1 are top-level), MethodAttributes.
const TYPE_VISIBILITY = 0x7, NESTED = 2;
const MEMBER_ACCESS = 0x7, PUBLIC = 6, STATIC = 0x10;

const [dll] = process.argv.slice(2);
if (!dll) {
  console.error('usage: handlers.mjs <function.dll>');
  process.exit(2);
}
const fail = (message) => {
  console.error(`dotnet build: ${message}`);
  process.exit(1);
};

const methods = entryMethods(readMetadata(readFileSync(dll)));
if (methods === undefined) fail(`no class ${ENTRY_CLASS}: a function is a public static class ${ENTRY_CLASS} with its handlers (sdk/dotnet/README.md)`);
const found = Object.keys(HANDLERS).filter((name) => methods.includes(name));
if (found.length === 0) {
  fail(`class ${ENTRY_CLASS} defines no handler: write at least one of public static Handle(Request), ` +
    'HandleQueue(string, List<Message>) or HandleMessage(Message), HandleSchedule(ScheduleEvent)');
}
if (found.includes('HandleQueue') && found.includes('HandleMessage')) {
  fail(`class ${ENTRY_CLASS} defines both HandleQueue and HandleMessage: keep one (HandleQueue sees the whole batch)`);
}
for (const name of found) console.log(`${HANDLERS[name].iface} ${HANDLERS[name].file}`);

/** The public static method names of the top-level class Function (global namespace), or undefined. */
function entryMethods(m) {
  const types = m.rows[Table.TypeDef], allMethods = m.rows[Table.MethodDef];
  // TypeDef: Flags u32, TypeName, TypeNamespace, Extends, FieldList, MethodList (the last column).
  const methodList = (i) => (i < types ? m.rd(m.row(Table.TypeDef, i) + m.rowSize(Table.TypeDef) - m.idx(Table.MethodDef), m.idx(Table.MethodDef)) : allMethods + 1);
  for (let i = 0; i < types; i++) {
    const at = m.row(Table.TypeDef, i);
    const flags = m.r32(at), name = m.string(m.rd(at + 4, m.S)), namespace = m.string(m.rd(at + 4 + m.S, m.S));
    if (name !== ENTRY_CLASS || namespace !== '' || (flags & TYPE_VISIBILITY) >= NESTED) continue;
    const names = [];
    // MethodDef: RVA u32, ImplFlags u16, Flags u16, Name, Signature, ParamList; MethodList is 1-based.
    for (let k = methodList(i); k < methodList(i + 1); k++) {
      const row = m.row(Table.MethodDef, k - 1);
      const methodFlags = m.r16(row + 6);
      if ((methodFlags & MEMBER_ACCESS) === PUBLIC && methodFlags & STATIC) names.push(m.string(m.rd(row + 8, m.S)));
    }
    return names;
  }
  return undefined;
}
