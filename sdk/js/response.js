// Building the `http-response` record ({ status, headers: [name, value][], body: Uint8Array })
// and checking whatever `handle` returned, so a mistake becomes a guest error (500 with a
// message) instead of a trap or a silently truncated u16 status.
import { bodyBytes, describe } from './body-bytes.js';
import { stringPairs } from './string-pairs.js';

// Bound from globalThis on purpose: a free `Error`-family identifier makes jco's bundler
// inject its Node.js error module, which adds ~170 KB to every component.
const { TypeError, RangeError } = globalThis;

// The host answers 1xx itself; a guest status below 200 is refused (response_invalid).
const MIN_STATUS = 200;
const MAX_STATUS = 599;

/**
 * A response with any body: string (sent as UTF-8), Uint8Array, ArrayBuffer or a typed array.
 * @param {number} status
 * @param {string | Uint8Array | ArrayBuffer | ArrayBufferView | null} [body]
 * @param {Record<string, string> | [string, string][]} [headers]
 */
export function response(status, body, headers) {
  return normalizeResponse({ status, headers, body });
}

/** A `text/plain; charset=utf-8` response. */
export function text(status, s, headers) {
  return response(status, String(s), withContentType(headers, 'text/plain; charset=utf-8'));
}

/** A `text/html; charset=utf-8` response. */
export function html(status, s, headers) {
  return response(status, String(s), withContentType(headers, 'text/html; charset=utf-8'));
}

/** An `application/json` response of `JSON.stringify(value)` plus a newline. */
export function json(status, value, headers) {
  const body = JSON.stringify(value);
  if (body === undefined) throw new TypeError(`json(): ${typeof value} is not JSON-serializable`);
  return response(status, `${body}\n`, withContentType(headers, 'application/json'));
}

function withContentType(headers, type) {
  const list = headerList(headers);
  return list.some(([n]) => n === 'content-type') ? list : [['content-type', type], ...list];
}

/**
 * Checks and converts what the user's `handle` returned into the WIT record.
 * A bare string is a 200 text/plain response.
 */
export function normalizeResponse(value) {
  if (typeof value === 'string') return text(200, value);
  if (value === null || typeof value !== 'object') {
    throw new TypeError(`handle must return a response object such as text(200, "hi"), got ${describe(value)}`);
  }
  if (typeof value.then === 'function') {
    throw new TypeError('handle returned a Promise: async handlers are not supported (the guest runs synchronously: call fetchSync(), not await fetch())');
  }
  const { status } = value;
  if (!Number.isInteger(status) || status < MIN_STATUS || status > MAX_STATUS) {
    throw new RangeError(`response status must be an integer ${MIN_STATUS}-${MAX_STATUS}, got ${describe(status)}`);
  }
  return { status, headers: headerList(value.headers), body: bodyBytes(value.body, 'response body', 'json()') };
}

/** @returns {[string, string][]} lower-case names, string values */
function headerList(headers) {
  return stringPairs(headers, 'response header').map(([name, value]) => [name.toLowerCase(), value]);
}
