// Reads the admin API's answers: a JSON body checked for the top-level keys the caller relies on, and
// the headers flattened to one lower-case value each.
import { WasmletError } from '../errors/wasmlet-error.js';

export type Shape = Record<string, 'object' | 'array' | 'string' | 'boolean' | 'number'>;

/** Checks the top-level keys the caller relies on, so a mismatched host fails with a message, not a TypeError later. */
export function parseBody<T>(request: string, text: string, shape: Shape): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new WasmletError('internal', `the admin API answered ${request} with a body that is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WasmletError('internal', `the admin API answered ${request} with JSON that is not an object`);
  }
  for (const [key, kind] of Object.entries(shape)) {
    const field = (value as Record<string, unknown>)[key];
    const actual = Array.isArray(field) ? 'array' : field === null ? 'null' : typeof field;
    if (actual !== kind) throw new WasmletError('internal', `the admin API answered ${request} without the expected "${key}" (${kind}, got ${actual})`);
  }
  return value as T;
}

export function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

export function decode(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
