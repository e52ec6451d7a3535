// A fresh instance of a component whose core modules were folded into one at deploy
// (compile/fold-core-modules.ts): jco's glue runs as always, but its `instantiateCore` calls are
// answered by one `new WebAssembly.Instance` of the folded module, over the memory the worker's
// pool supplies. The calls before the last only collect the functions the glue made (the lowered
// imports); the last instantiates, fills in what the glue reads afterwards and calls the former
// start function. What the glue keeps before that (the main memory, a realloc it stores) gets the
// pool's memory, known up front, or a forwarder to the export once the instance exists.
import type { FoldPlan } from './fold-plan.js';
import type { MemoryLease } from './memory-pool.js';
import type { InstantiateGlue } from './run-invocation.js';

/** A glue module whose component was folded at deploy carries its plan on `instantiate`. */
export type FoldableGlue = InstantiateGlue & { readonly wasmletFold?: FoldPlan };

export interface Fold {
  readonly plan: FoldPlan;
  readonly module: WebAssembly.Module;
}

/** The fold of `modules` if the glue has a plan and the folded module was compiled (compile/compile-code.ts chose it). */
export function foldOf(glue: FoldableGlue, modules: Readonly<Record<string, WebAssembly.Module>>): Fold | undefined {
  const plan = glue.wasmletFold;
  const module = plan ? modules[plan.module] : undefined;
  return plan && module ? { plan, module } : undefined;
}

/** In the folded path the glue's `getCoreModule` hands out the names themselves; the calls are checked against the plan by name. */
export const moduleNameToken = (name: string): WebAssembly.Module => name as unknown as WebAssembly.Module;

/** An `instantiateCore` for one fresh instance of a folded component. */
export function foldedInstantiateCore(fold: Fold, memories: MemoryLease): MemoryLease['instantiateCore'] {
  const { plan, module } = fold;
  const glueValues: Record<string, unknown> = {};
  const seen: Record<string, unknown>[] = [];
  let instance: WebAssembly.Instance | undefined;
  return (token, imports = {}) => {
    const index = seen.length;
    const call = plan.calls[index];
    if (!call || call.module !== (token as unknown as string)) {
      throw new Error(`the glue's core instance ${index} (${String(token)}) is not the one its fold plan recorded (host bug)`);
    }
    for (const [moduleName, name, key] of call.glueImports) glueValues[key] = (imports[moduleName] as Record<string, unknown>)[name];
    const exports: Record<string, unknown> = {};
    for (const early of call.early) {
      exports[early.name] = early.kind === 'memory' ? memories.memoryFor(module) : forwarder(() => instance, early.folded);
    }
    seen.push(exports);
    if (index === plan.calls.length - 1) {
      instance = memories.instantiateCore(module, { 'wasmlet:glue': glueValues as WebAssembly.ModuleImports });
      const real = instance.exports;
      for (const [k, done] of plan.calls.entries()) for (const [name, folded] of done.late) seen[k]![name] = real[folded];
      for (const start of plan.starts) (real[start] as () => void)();
    }
    return { exports } as unknown as WebAssembly.Instance;
  };
}

/** A function that calls the folded instance's export `name` once it exists (the glue stored it before). */
function forwarder(instance: () => WebAssembly.Instance | undefined, name: string): (...args: unknown[]) => unknown {
  let target: ((...args: unknown[]) => unknown) | undefined;
  return (...args) => {
    target ??= instance()?.exports[name] as ((...args: unknown[]) => unknown) | undefined;
    if (!target) throw new Error(`${name} was called before the component's instance existed (host bug)`);
    return target(...args);
  };
}
