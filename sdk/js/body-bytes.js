// The bytes of a response or message body given as a string (UTF-8), Uint8Array,
// ArrayBuffer or typed array, and how values are described in the SDK's error messages.
import { encodeUtf8 } from './utf8.js';

// Bound from globalThis on purpose: a free `Error`-family identifier makes jco's bundler
// inject its Node.js error module, which adds ~170 KB to every component.
const { TypeError } = globalThis;

/**
 * @param {unknown} body undefined and null are empty
 * @param {string} what names the body in the error, e.g. 'response body'
 * @param {string} jsonHint the JSON helper to suggest for objects, e.g. 'json()'
 * @returns {Uint8Array}
 */
export function bodyBytes(body, what, jsonHint) {
  if (body === undefined || body === null) return new Uint8Array(0);
  if (typeof body === 'string') return encodeUtf8(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError(`${what} must be a string, Uint8Array or ArrayBuffer, got ${describe(body)} (use ${jsonHint} for objects)`);
}

/** A short description of a value for an error message. */
export function describe(v) {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return `an object (${Object.prototype.toString.call(v).slice(8, -1)})`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return `${typeof v} ${String(v)}`;
}
