// Checks every backend applies to what it is asked to store: store names, keys, values, batches,
// cursors. One place, so that the SQLite store and a NATS one refuse exactly the same things.
import { WasmletError } from '../errors/wasmlet-error.js';
import { maxKvBatchKeys, maxKvListPageKeys, type KeyValueLimits } from './key-value-limits.js';

/** Store names become file names (`<data-dir>/kv/<store>.db`) and URL segments: a short, safe alphabet. */
export const storeNamePattern = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export function parseStoreName(name: unknown): string {
  if (typeof name !== 'string' || !storeNamePattern.test(name)) {
    throw new WasmletError('bad_request', `store name ${JSON.stringify(name)} must be 1 to 63 lowercase letters, digits, "-" or "_", starting with a letter or digit`, { store: name });
  }
  return name;
}

const utf8 = new TextEncoder();
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A key as UTF-8 bytes. Refused: a non-string, the empty key, NUL (C guests and many backends end
 * strings there), lone surrogates (no UTF-8 form: they would be stored as U+FFFD and read back as
 * another key), and more than `maxKeyBytes` bytes.
 */
export function parseKey(key: unknown, maxKeyBytes: number): Buffer {
  if (typeof key !== 'string') throw keyError(key, 'must be a string');
  if (key.length === 0) throw keyError(key, 'must not be empty');
  if (key.includes('\u0000')) throw keyError(key, 'must not contain NUL (U+0000)');
  if (loneSurrogate.test(key)) throw keyError(key, 'must be valid Unicode (it has a lone surrogate, which has no UTF-8 form)');
  const bytes = Buffer.from(utf8.encode(key));
  if (bytes.byteLength > maxKeyBytes) throw keyError(key, `is ${bytes.byteLength} bytes of UTF-8; the limit is ${maxKeyBytes} (kv_max_key_bytes)`);
  return bytes;
}

function keyError(key: unknown, reason: string): WasmletError {
  const shown = typeof key === 'string' ? JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key) : String(key);
  return new WasmletError('kv_key_invalid', `key ${shown} ${reason}`, { reason });
}

export function checkValue(key: string, value: unknown, limits: KeyValueLimits): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new WasmletError('bad_request', `the value of key ${JSON.stringify(key)} must be bytes`);
  if (value.byteLength > limits.kvMaxValueBytes) {
    throw new WasmletError('kv_value_too_large', `the value of key ${JSON.stringify(key)} is ${value.byteLength} bytes; the limit is ${limits.kvMaxValueBytes} (kv_max_value_bytes)`, {
      bytes: value.byteLength,
      limit: limits.kvMaxValueBytes,
    });
  }
  return value;
}

export function checkBatch(count: number): void {
  if (count > maxKvBatchKeys) throw new WasmletError('bad_request', `a batch holds at most ${maxKvBatchKeys} keys, got ${count}`);
}

export function quotaError(store: string, bytesAfter: number, limits: KeyValueLimits): WasmletError {
  return new WasmletError('kv_quota_exceeded', `store "${store}" would hold ${bytesAfter} bytes; its quota is ${limits.kvQuotaBytes} (kv_quota_bytes): nothing was written`, {
    store,
    bytes: bytesAfter,
    quota: limits.kvQuotaBytes,
  });
}

export function parsePageLimit(limit: unknown): number {
  if (limit === undefined) return maxKvListPageKeys;
  if (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > maxKvListPageKeys) {
    throw new WasmletError('bad_request', `limit must be an integer from 1 to ${maxKvListPageKeys}, got ${String(limit)}`);
  }
  return limit as number;
}

/** A cursor is the last key of the previous page, base64url-encoded: opaque to callers, checked here. */
export function encodeCursor(lastKey: Buffer): string {
  return lastKey.toString('base64url');
}

export function parseCursor(cursor: unknown): Buffer | undefined {
  if (cursor === undefined || cursor === null) return undefined;
  if (typeof cursor !== 'string' || !/^[A-Za-z0-9_-]{1,1400}$/.test(cursor)) throw new WasmletError('bad_request', `cursor ${JSON.stringify(cursor)} is not one this store issued`);
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes.byteLength === 0 || bytes.toString('base64url') !== cursor) throw new WasmletError('bad_request', `cursor ${JSON.stringify(cursor)} is not one this store issued`);
  return bytes;
}

/** The smallest byte string greater than every string starting with `prefix` (undefined: no bound). */
export function prefixUpperBound(prefix: Buffer): Buffer | undefined {
  let end = prefix.byteLength;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return undefined;
  const bound = Buffer.from(prefix.subarray(0, end));
  bound[end - 1]! += 1;
  return bound;
}

const counterPattern = /^-?(?:0|[1-9][0-9]{0,18})$/;
const minInt64 = -(2n ** 63n);
const maxInt64 = 2n ** 63n - 1n;

/** The counter a stored value holds: decimal ASCII, as Redis's INCR keeps it. */
export function parseCounter(key: string, value: Uint8Array | undefined): bigint {
  if (value === undefined) return 0n;
  const text = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('latin1');
  const n = counterPattern.test(text) ? BigInt(text) : undefined;
  if (n === undefined || n < minInt64 || n > maxInt64) {
    throw new WasmletError('kv_not_a_counter', `the value of key ${JSON.stringify(key)} is not a decimal 64-bit integer, so it cannot be incremented`);
  }
  return n;
}

export function addToCounter(key: string, current: bigint, delta: bigint): bigint {
  if (typeof delta !== 'bigint' || delta < minInt64 || delta > maxInt64) throw new WasmletError('bad_request', `delta must be a 64-bit integer, got ${String(delta)}`);
  const next = current + delta;
  if (next < minInt64 || next > maxInt64) throw new WasmletError('kv_not_a_counter', `incrementing key ${JSON.stringify(key)} (${current}) by ${delta} leaves the 64-bit range`);
  return next;
}
