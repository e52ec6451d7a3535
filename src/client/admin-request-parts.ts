// The parts of an admin API request the client makes from its caller's arguments: paths (each
// segment encoded), query strings, header values and bodies, each checked with its own message.
import { WasmletError } from '../errors/wasmlet-error.js';
import { printableToken } from './admin-client-options.js';

export function functionPath(name: string): string {
  return `/v1/functions/${pathSegment('a function name', name)}`;
}

export function secretPath(name: string): string {
  return `/v1/secrets/${pathSegment('a secret name', name)}`;
}

export function kvStorePath(store: string): string {
  return `/v1/kv/${pathSegment('a store name', store)}`;
}

/** The key is one encoded segment ("/" as %2F): the host decodes the rest of the path. */
export function kvKeyPath(store: string, key: string): string {
  return `${kvStorePath(store)}/keys/${pathSegment('a key', key)}`;
}

export function queuePath(queue: string): string {
  return `/v1/queues/${pathSegment('a queue name', queue)}`;
}

/** `what` is e.g. "a function name": the message says it is required. */
export function pathSegment(what: string, value: string): string {
  if (typeof value !== 'string' || value === '') throw new WasmletError('bad_request', `${what} is required`);
  return encodeURIComponent(value);
}

export function queryString(query: URLSearchParams): string {
  const text = query.toString();
  return text ? `?${text}` : '';
}

export function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) throw new WasmletError('bad_request', `the limit must be a positive integer, got ${limit}`);
  return limit;
}

export function checkDelay(delayMs: number): number {
  if (!Number.isInteger(delayMs) || delayMs < 0) throw new WasmletError('bad_request', `the delay must be a whole number of milliseconds >= 0, got ${delayMs}`);
  return delayMs;
}

/** A value the caller chose that goes into a header: kept to what cannot break or smuggle one; the host checks the rest. */
export function checkHeaderValue(what: string, value: string): string {
  if (typeof value !== 'string' || !printableToken.test(value)) {
    throw new WasmletError('bad_request', `the ${what} must be printable ASCII without spaces, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function bytesOf(payload: Uint8Array | string): Uint8Array {
  return typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
}
