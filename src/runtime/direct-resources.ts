// Host objects behind resource handles on the direct path: a handle the guest holds names a rep in
// its kind's table (direct-abi.ts), and the rep names the host object (a capabilities/wasi-http or
// capabilities/wasi/streams instance, or a marker such as 'stdout'). The handles are numbered and
// freed as jco's glue numbers them (`rscTableCreateOwn`, `rscTableRemove`), so that a guest sees
// the same handles on both paths; the objects are the very classes the glue calls, so both paths
// behave alike.
import { createOwnHandle, removeHandle, repOf, tableOf, type DirectState } from './direct-abi.js';

const disposeSymbol: symbol = (Symbol as { dispose?: symbol }).dispose ?? Symbol.for('dispose');

function objectsOf(state: DirectState, kind: number): unknown[] {
  state.objects ??= [];
  return (state.objects[kind] ??= []);
}

/** A new own handle of `kind` for `object`, as when a host function returns `own<T>`. */
export function ownHandleFor(state: DirectState, kind: number, object: unknown): number {
  const rep = objectsOf(state, kind).push(object);
  return createOwnHandle(tableOf(state, kind), rep);
}

/**
 * The object behind a handle the guest lends (`borrow<T>`, or `self` of a method). jco's glue would
 * call the method on a bare prototype for a handle it does not know, which throws a TypeError: so
 * does this, and the guest traps either way.
 */
export function borrowed<T>(state: DirectState, kind: number, handle: number): T {
  const rep = repOf(tableOf(state, kind), handle);
  const object = rep > 0 ? state.objects?.[kind]?.[rep - 1] : undefined;
  if (object === undefined) throw new TypeError(`resource handle ${handle} is not a live handle of its type`);
  return object as T;
}

/** The object behind an own handle the guest hands over (`own<T>` as an argument): the handle is gone after. */
export function taken<T>(state: DirectState, kind: number, handle: number): T {
  const object = borrowed<T>(state, kind, handle);
  const { rep } = removeHandle(tableOf(state, kind), handle);
  objectsOf(state, kind)[rep - 1] = undefined;
  return object;
}

/** `[resource-drop]`: the handle is removed; an own object is disposed of, as jco's glue does (an outgoing body dropped unfinished). */
export function dropHandle(state: DirectState, kind: number, handle: number): void {
  const { rep, own } = removeHandle(tableOf(state, kind), handle);
  if (!own || rep === 0) return;
  const objects = objectsOf(state, kind);
  const object = objects[rep - 1] as { [key: symbol]: unknown } | undefined;
  objects[rep - 1] = undefined;
  const dispose = object?.[disposeSymbol];
  if (typeof dispose === 'function') (dispose as () => void).call(object);
}

/** How jco's glue tells `err(payload)` from a host bug in a result-returning import: a thrown Error is a bug, and traps. */
export function errorPayload(err: unknown): unknown {
  if (err && Object.hasOwn(err, 'payload')) return (err as { payload: unknown }).payload;
  if (err instanceof Error) throw err;
  return err;
}
