// Which WIT function each import the glue made (a lowered import) stands for, recorded at fold time
// so that the host can implement the canonical ABI of those imports itself (runtime/direct-*.ts)
// instead of running the glue. The preview1 adapter's own lowered imports are named by their WIT
// interface and function already; the main module's reach the glue through jco's shim and fixup:
// the shim exports `"<n>"` (a call through its table), the fixup fills table slot n with the import
// `actual.<n>` it gets from the glue. So `actual.<n>` lowers whatever import was wired to the
// shim's export `"<n>"`, in whichever core instance took it.
import type { LoweredImport } from '../runtime/fold-plan.js';
import type { GlueWiring } from './glue-wiring.js';

/** jco's fixup module imports the lowered functions under this module name, by table slot. */
const fixupImportModule = 'actual';

/**
 * The WIT function behind the glue import `module.name` of core instance `call`, with the core
 * instance that imports it (its `realloc` is the one the lowering uses); undefined when the wiring
 * does not say (that component then keeps the glue: runtime/direct-plan.ts).
 */
export function loweredImportOf(wiring: GlueWiring, call: number, module: string, name: string): LoweredImport | undefined {
  if (module !== fixupImportModule) return { interface: module, name, importer: call };
  const shimTable = wiring.calls[call]?.imports.find((entry) => entry.module === 'shim' && entry.name === '$imports')?.source;
  if (shimTable?.kind !== 'export') return undefined;
  const takers: LoweredImport[] = [];
  for (const [index, other] of wiring.calls.entries()) {
    for (const entry of other.imports) {
      if (entry.source.kind === 'export' && entry.source.call === shimTable.call && entry.source.name === name) {
        takers.push({ interface: entry.module, name: entry.name, importer: index });
      }
    }
  }
  return takers.length === 1 ? takers[0] : undefined;
}
