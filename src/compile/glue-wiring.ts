// How jco's glue wires a component's core instances together, read by running the glue once with
// stand-ins instead of wasm: every `instantiateCore` call is recorded with, for each import, where
// its value came from (an export of an earlier core instance, or a function the glue made, i.e. a
// lowered import), and every export the glue reads from an instance, and when. Nothing of the
// guest runs. compile/fold-core-modules.ts turns this into one merged core module.
// The glue is taken as it is, not parsed: whatever jco version wrote it, the record is what it does.
import type { InstantiateGlue } from '../runtime/run-invocation.js';

/** Where the value of one core import came from. */
export type ImportSource =
  /** An export of the core instance created by call `call` (earlier in the order). */
  | { readonly kind: 'export'; readonly call: number; readonly name: string }
  /** A function, global or table the glue created: a lowered import, a resource drop, an exit, flags. */
  | { readonly kind: 'glue' };

export interface CoreCall {
  /** The file name the glue asked `getCoreModule` for. */
  readonly module: string;
  readonly imports: readonly { readonly module: string; readonly name: string; readonly source: ImportSource }[];
}

export interface ExportRead {
  readonly call: number;
  readonly name: string;
  /**
   * Read before the last core instance existed more often than the value was passed on as an
   * import: the glue keeps it (in a variable) and needs a working value from the start.
   */
  readonly early: boolean;
  /** Read once every core instance existed. */
  readonly late: boolean;
}

export interface GlueWiring {
  readonly calls: readonly CoreCall[];
  readonly reads: readonly ExportRead[];
}

/** Why a glue cannot be recorded (and so not folded); the component keeps the glue's own wiring. */
export class UnfoldableGlue extends Error {}

interface Marker {
  readonly call: number;
  readonly name: string;
  /** How often its value was passed on as an import. */
  wired: number;
}

/** Runs `instantiateGlue` with stand-ins and records its wiring. Throws UnfoldableGlue when it does anything the record cannot express. */
export function recordGlueWiring(instantiateGlue: InstantiateGlue): GlueWiring {
  const calls: CoreCall[] = [];
  const markers = new Map<unknown, Marker>();
  const markerList: Marker[] = [];
  const tokens = new Map<object, string>();
  const exportsOf = (call: number): object => {
    const byName = new Map<string, unknown>();
    return new Proxy(
      {},
      {
        get(_, key) {
          if (typeof key !== 'string') return undefined;
          let value = byName.get(key);
          if (!value) {
            const marker: Marker = { call, name: key, wired: 0 };
            value = () => {
              throw new UnfoldableGlue(`the glue called core export ${key} while instantiating`);
            };
            byName.set(key, value);
            markers.set(value, marker);
            markerList.push(marker);
          }
          return value;
        },
      },
    );
  };
  const getCoreModule = (name: string): WebAssembly.Module => {
    const token = Object.freeze({ name });
    tokens.set(token, name);
    return token as unknown as WebAssembly.Module;
  };
  const instantiateCore = (module: WebAssembly.Module, imports: WebAssembly.Imports = {}): WebAssembly.Instance => {
    const name = tokens.get(module);
    if (name === undefined) throw new UnfoldableGlue('the glue instantiated a module it did not get from getCoreModule');
    const recorded: { module: string; name: string; source: ImportSource }[] = [];
    for (const [moduleName, fields] of Object.entries(imports)) {
      for (const [field, value] of Object.entries(fields as Record<string, unknown>)) {
        const marker = markers.get(value);
        if (marker) {
          marker.wired++;
          recorded.push({ module: moduleName, name: field, source: { kind: 'export', call: marker.call, name: marker.name } });
        } else if (typeof value === 'function' || value instanceof WebAssembly.Global || value instanceof WebAssembly.Table) {
          // A lowered import, or state the glue keeps per instance (QuickJS components' flags globals).
          recorded.push({ module: moduleName, name: field, source: { kind: 'glue' } });
        } else {
          throw new UnfoldableGlue(`import ${moduleName}.${field} of ${name} is a ${typeof value} the glue made, not a function, global or table`);
        }
      }
    }
    calls.push({ module: name, imports: recorded });
    return { exports: exportsOf(calls.length - 1) } as unknown as WebAssembly.Instance;
  };
  try {
    instantiateGlue(getCoreModule, standInImports(), instantiateCore);
  } catch (err) {
    if (err instanceof UnfoldableGlue) throw err;
    throw new UnfoldableGlue(`the glue failed with stand-ins: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (calls.length === 0) throw new UnfoldableGlue('the glue instantiated no core module');
  return { calls, reads: sortReads(instantiateGlue, calls.length, markerList) };
}

/**
 * Runs the glue a second time knowing how many core instances it makes, so that reads after the
 * last one count as late. The glue is deterministic: the same calls in the same order.
 */
function sortReads(instantiateGlue: InstantiateGlue, callCount: number, first: readonly Marker[]): ExportRead[] {
  const counts = new Map<string, { early: number; late: number }>();
  let done = 0;
  const exportsOf = (call: number): object =>
    new Proxy(
      {},
      {
        get(_, key) {
          if (typeof key !== 'string') return undefined;
          const id = `${call}\u0000${key}`;
          const count = counts.get(id) ?? { early: 0, late: 0 };
          if (done === callCount) count.late++;
          else count.early++;
          counts.set(id, count);
          return () => undefined;
        },
      },
    );
  instantiateGlue(
    (name) => Object.freeze({ name }) as unknown as WebAssembly.Module,
    standInImports(),
    () => ({ exports: exportsOf(done++) }) as unknown as WebAssembly.Instance,
  );
  return first.map((marker) => {
    const count = counts.get(`${marker.call}\u0000${marker.name}`) ?? { early: 0, late: 0 };
    return { call: marker.call, name: marker.name, early: count.early > marker.wired, late: count.late > 0 };
  });
}

/** The host's imports as the glue sees them at instantiation: any interface, any member, never called. */
function standInImports(): Record<string, unknown> {
  const member: unknown = new Proxy(function standIn() {}, {
    get: (_, key) => (key === 'prototype' ? {} : typeof key === 'string' ? member : undefined),
    apply() {
      throw new UnfoldableGlue('the glue called a host import while instantiating');
    },
    construct() {
      throw new UnfoldableGlue('the glue constructed a host resource while instantiating');
    },
  });
  return new Proxy({}, { get: (_, key) => (typeof key === 'string' ? member : undefined), has: () => true });
}
