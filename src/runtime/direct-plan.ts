// Whether a folded component can run on the direct path (runtime/direct-instance.ts): the host
// lowers every import of its folded module itself and calls its handlers without jco's glue. Decided
// once per code version and thread, from the fold plan (which WIT function each import lowers:
// compile/lowered-imports.ts) against the table below; anything else keeps the glue, the general path.
import { hostMemoryModule, hostMemoryName } from '../wasm/import-memory.js';
import type { Running } from './direct-abi.js';
import type { ImportSite, Lowering } from './direct-lowering.js';
import { clockAndRandomLowerings } from './direct-clocks-random.js';
import { objectsLowerings } from './direct-objects.js';
import { outboundLowerings } from './direct-outbound.js';
import { streamLowerings } from './direct-streams.js';
import { wasiHttpLowerings } from './direct-wasi-http.js';
import { wasiLowerings } from './direct-wasi.js';
import { wasmletLowerings } from './direct-wasmlet.js';
import type { Fold } from './folded-instantiation.js';
import type { FoldPlan, LoweredImport } from './fold-plan.js';

/** The module the folded module imports the lowered functions from (compile/fold-core-modules.ts `glueImportModule`). */
const glueImportModule = 'wasmlet:glue';

/** Every import the direct path implements, as `<interface without version>#<function>`. */
export const directLowerings: Readonly<Record<string, Lowering>> = { ...wasiLowerings, ...streamLowerings, ...clockAndRandomLowerings, ...wasiHttpLowerings, ...wasmletLowerings, ...outboundLowerings, ...objectsLowerings };

/** The version series each package's interfaces must be in: the shapes the table was written for. */
const packageVersions: Readonly<Record<string, string>> = { wasi: '0.2.', wasmlet: '0.1.' };

/** The handler exports the direct path calls, by trigger kind (sdk/wit/function.wit, 0.1.x). */
const handlerInterfaces = {
  http: 'wasmlet:function/http-handler',
  queue: 'wasmlet:function/queue-handler',
  schedule: 'wasmlet:function/schedule-handler',
} as const;

/** The standard HTTP handler (wasi:http/proxy), called for the `http` kind (runtime/direct-handlers.ts). */
const wasiIncomingHandler = 'wasi:http/incoming-handler@0.2.';

export type DirectHandlerKind = keyof typeof handlerInterfaces;

export interface DirectHandler {
  /** The world it belongs to: `wasmlet:function`'s handlers take the request's values, wasi:http's resources. */
  readonly abi: 'wasmlet' | 'wasi-http';
  /** The folded module's export to call. */
  readonly call: string;
  /** Its `cabi_post_*` export, when the component has one. */
  readonly postReturn: string | undefined;
}

/** A folded component as the direct path runs it: shared by every instance of this code on a thread. */
export interface DirectCode {
  readonly module: WebAssembly.Module;
  /** The folded module's imports, made once: each a host function that finds its instance in `running`. */
  readonly imports: WebAssembly.Imports;
  readonly running: Running;
  /** Former start functions to call once instantiated, in order. */
  readonly starts: readonly string[];
  /** The folded module's exports of the main memory and of the main module's realloc. */
  readonly memory: string;
  readonly realloc: string;
  readonly handlers: Readonly<Partial<Record<DirectHandlerKind, DirectHandler>>>;
  /** The WIT functions lowered by the host (for tests and the bench: what the table covered). */
  readonly lowered: readonly string[];
}

export type DirectDecision = { readonly path: 'direct'; readonly code: DirectCode } | { readonly path: 'glue'; readonly reason: string };

/** `wasi:cli/stdout@0.2.12` + `get-stdout` -> `wasi:cli/stdout#get-stdout`, if its version is one the table was written for. */
export function tableKeyOf(lowered: Pick<LoweredImport, 'interface' | 'name'>): string | undefined {
  const at = lowered.interface.indexOf('@');
  const iface = at < 0 ? lowered.interface : lowered.interface.slice(0, at);
  const series = packageVersions[iface.slice(0, iface.indexOf(':'))];
  if (at < 0 || series === undefined || !lowered.interface.slice(at + 1).startsWith(series)) return undefined;
  return `${iface}#${lowered.name}`;
}

/** The direct path for `fold`, or why it keeps the glue. */
export function decideDirect(fold: Fold): DirectDecision {
  const { plan, module } = fold;
  if (!plan.lowered) return glue('folded before the plan named its lowered imports');
  const running: Running = { state: undefined };
  const glueImports: Record<string, (...args: never[]) => unknown> = {};
  const lowered: string[] = [];
  for (const entry of WebAssembly.Module.imports(module)) {
    if (entry.module === hostMemoryModule && entry.name === hostMemoryName) continue; // the pool's memory (wasm/import-memory.ts)
    if (entry.module !== glueImportModule || entry.kind !== 'function') return glue(`imports ${entry.kind} ${entry.module}.${entry.name}`);
    const target = plan.lowered[entry.name];
    const key = target && tableKeyOf(target);
    const lowering = key === undefined ? undefined : directLowerings[key];
    if (!target || !key || !lowering) return glue(`imports ${target ? `${target.interface}#${target.name}` : entry.name}, which the direct path does not implement`);
    // An importer without a realloc has no import that returns a list or a string (jco would need one too).
    const site: ImportSite = { running, realloc: reallocExport(plan, target.importer) };
    glueImports[entry.name] = lowering(site);
    lowered.push(key);
  }
  const main = mainCall(plan);
  if (main === undefined) return glue('no core instance exports a handler');
  const exportsOf = new Map([...plan.calls[main]!.late, ...plan.calls[main]!.early.map((e) => [e.name, e.folded] as const)]);
  const memory = exportsOf.get('memory');
  const realloc = exportsOf.get('cabi_realloc');
  if (!memory || !realloc) return glue('the main module exports no memory or realloc');
  const handlers: Partial<Record<DirectHandlerKind, DirectHandler>> = {};
  for (const [name, folded] of exportsOf) {
    const kind = handlerKindOf(name);
    if (kind === 'unknown') return glue(`exports ${name}, which the direct path does not call`);
    if (kind) handlers[kind] = { abi: name.startsWith(wasiIncomingHandler) ? 'wasi-http' : 'wasmlet', call: folded, postReturn: exportsOf.get(`cabi_post_${name}`) };
  }
  if (Object.keys(handlers).length === 0) return glue('exports no handler the direct path calls');
  return { path: 'direct', code: { module, imports: { [glueImportModule]: glueImports }, running, starts: plan.starts, memory, realloc, handlers, lowered } };
}

/** A handler export's kind; undefined for what is not a handler (memory, realloc, post-returns); `unknown` for another function export. */
function handlerKindOf(name: string): DirectHandlerKind | 'unknown' | undefined {
  if (name === 'memory' || name === 'cabi_realloc' || name.startsWith('cabi_post_') || name === '_initialize') return undefined;
  if (name.startsWith(wasiIncomingHandler) && name.endsWith('#handle')) return 'http';
  for (const [kind, iface] of Object.entries(handlerInterfaces) as [DirectHandlerKind, string][]) {
    if (name.startsWith(`${iface}@0.1.`) && name.endsWith('#handle')) return kind;
  }
  return 'unknown';
}

/** The core instance whose exports the glue reads once all exist: the main module, the one holding the handlers. */
function mainCall(plan: FoldPlan): number | undefined {
  const index = plan.calls.findIndex((call) => call.late.some(([name]) => name.includes('#')));
  return index < 0 ? undefined : index;
}

/** The realloc a lowering for core instance `call` allocates with: the adapter's import realloc, else the module's own. */
function reallocExport(plan: FoldPlan, call: number): string | undefined {
  const entries = [...plan.calls[call]!.early.map((e) => [e.name, e.folded] as const), ...plan.calls[call]!.late];
  const named = (name: string) => entries.find(([n]) => n === name)?.[1];
  return named('cabi_import_realloc') ?? named('cabi_realloc');
}

function glue(reason: string): DirectDecision {
  return { path: 'glue', reason };
}
