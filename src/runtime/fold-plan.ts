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
