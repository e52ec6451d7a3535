// Reading Lambda requests: the JSON body, typed fields with Lambda's error for a wrong one, and the
// Marker/MaxItems pagination every List call shares. Clients validate almost nothing (botocore checks
// only required members), so every check is here.
import { LambdaError } from './lambda-error.js';

export type JsonObject = Readonly<Record<string, unknown>>;

export function parseJsonBody(body: Uint8Array): JsonObject {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (err) {
    throw new LambdaError('InvalidRequestContentException', `Could not parse request body into json: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new LambdaError('InvalidRequestContentException', 'Could not parse request body into json: not a JSON object');
  return value as JsonObject;
}

function invalid(field: string, constraint: string, value: unknown): LambdaError {
  return new LambdaError('InvalidParameterValueException', `Value ${JSON.stringify(value)} at '${field}' failed to satisfy constraint: ${constraint}`);
}

export function optionalString(body: JsonObject, field: string, maxChars = 256): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > maxChars) throw invalid(field, `Member must be a string of at most ${maxChars} characters`, value);
  return value;
}

export function requiredString(body: JsonObject, field: string, maxChars = 256): string {
  const value = optionalString(body, field, maxChars);
  if (value === undefined) throw invalid(field, 'Member must not be null', value);
  return value;
}

export function optionalInteger(body: JsonObject, field: string, min: number, max: number): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw invalid(field, `Member must be an integer from ${min} to ${max}`, value);
  return value;
}

export function optionalObject(body: JsonObject, field: string): JsonObject | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(field, 'Member must be an object', value);
  return value as JsonObject;
}

export function optionalBoolean(body: JsonObject, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalid(field, 'Member must be a boolean', value);
  return value;
}

/** A map of strings (Environment.Variables, AdditionalVersionWeights' keys). */
export function stringMap(value: unknown, field: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(field, 'Member must be a map of strings', value);
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') throw invalid(`${field}.${key}`, 'Member must be a string', item);
    out[key] = item;
  }
  return out;
}

/** Lambda's List calls never return more than this per page, whatever MaxItems says. */
export const maxPageItems = 50;

/**
 * One page of `items` (sorted by `keyOf`, unique keys) after `marker`; the marker is the last key
 * returned, base64url-encoded: opaque to clients, and stable when items are added or removed meanwhile.
 */
export function page<T>(items: readonly T[], keyOf: (item: T) => string, marker: string | undefined, maxItemsRaw: string | undefined): { readonly items: T[]; readonly nextMarker: string | undefined } {
  let maxItems = maxPageItems;
  if (maxItemsRaw !== undefined) {
    const n = Number(maxItemsRaw);
    if (!Number.isInteger(n) || n < 1 || n > 10_000) throw invalid('maxItems', 'Member must be an integer from 1 to 10000', maxItemsRaw);
    maxItems = Math.min(n, maxPageItems);
  }
  let start = 0;
  if (marker !== undefined && marker !== '') {
    const after = Buffer.from(marker, 'base64url').toString('utf8');
    if (Buffer.from(after, 'utf8').toString('base64url') !== marker) throw invalid('marker', 'Member must be a marker returned by this host', marker);
    start = items.findIndex((item) => keyOf(item) > after);
    if (start < 0) start = items.length;
  }
  const slice = items.slice(start, start + maxItems);
  const more = start + maxItems < items.length;
  return { items: slice, nextMarker: more ? Buffer.from(keyOf(slice.at(-1)!), 'utf8').toString('base64url') : undefined };
}
