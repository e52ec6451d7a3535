// The record of a component whose core modules were folded into one at deploy
// (compile/fold-core-modules.ts writes it into the glue; runtime/folded-instantiation.ts follows it).

/** What runtime/folded-instantiation.ts needs to stand in for the glue's core instances. */
export interface FoldPlan {
  /** File name of the folded module among the compiled modules. */
  readonly module: string;
  /** One per `instantiateCore` call of the glue, in its order. */
  readonly calls: readonly FoldedCall[];
  /** Exports to call right after instantiation, in order: the core modules' former start functions. */
  readonly starts: readonly string[];
  /**
   * The WIT function behind each "wasmlet:glue" import, by its key (compile/lowered-imports.ts); what
   * runtime/direct-plan.ts needs to give the folded module the host's own lowered imports. Absent
   * in plans folded before it was recorded (those components keep the glue).
   */
  readonly lowered?: Readonly<Record<string, LoweredImport>>;
}

/** A lowered import as the component names it: `wasi:cli/stdout@0.2.12`, `get-stdout`, imported by core instance 2. */
export interface LoweredImport {
  readonly interface: string;
  readonly name: string;
  /** The glue's core instance that imports it (whose realloc a lowering that returns lists uses). */
  readonly importer: number;
}

export interface FoldedCall {
  /** The file name the glue passes for this call, checked at run time. */
  readonly module: string;
  /** Glue-made values of this call's imports: [import module, name, key under "wasmlet:glue"]. */
  readonly glueImports: readonly (readonly [string, string, string])[];
  /** Exports the glue keeps before the folded instance exists: a forwarder (function) or the host's memory. */
  readonly early: readonly { readonly name: string; readonly kind: 'function' | 'memory'; readonly folded: string }[];
  /** Exports the glue reads once every core instance exists: [name, export of the folded module]. */
  readonly late: readonly (readonly [string, string])[];
}
