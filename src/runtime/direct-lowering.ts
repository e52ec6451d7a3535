// The shape of one entry in the direct path's table of lowered imports (runtime/direct-imports.ts):
// given where the import sits, the host function the folded module imports in its place.
import { runningState, type DirectState, type Realloc, type Running } from './direct-abi.js';

/** Where one lowered import sits: the thread's running-instance register, and the realloc its importer gives lowerings. */
export interface ImportSite {
  readonly running: Running;
  /** The folded module's export of the importing core instance's realloc; undefined when it has none. */
  readonly realloc: string | undefined;
}

/** Makes the host function for one lowered import, once per code version and thread (never per instance). */
export type Lowering = (site: ImportSite) => (...args: never[]) => unknown;

/** The realloc of `site` in `state`; a lowering that returns a list needs one (runtime/direct-plan.ts checks it exists). */
export function reallocOf(state: DirectState, site: ImportSite): Realloc {
  return state.exports[site.realloc!] as Realloc;
}

export { runningState };
