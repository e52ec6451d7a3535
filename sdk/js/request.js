// Reading the `http-request` record the host passes to `handle`:
// { method, path, query, headers: [name, value][], body: Uint8Array }.
// bodyText and bodyJson also read a queue message and a fetched response, which have a `body` too.
import { decodeUtf8 } from './utf8.js';

// Bound from globalThis on purpose: a free `Error`-family identifier makes jco's bundler
// inject its Node.js error module, which adds ~170 KB to every component.
const { SyntaxError } = globalThis;

/** Read-only, URLSearchParams-like view of a query string (QuickJS has no URLSearchParams). */
export class QueryParams {
  /** @param {string} query raw query string, without the leading '?' */
  constructor(query) {
    /** @type {[string, string][]} */
    this.pairs = [];
    for (const part of String(query ?? '').replace(/^\?/, '').split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const name = eq < 0 ? part : part.slice(0, eq);
      const value = eq < 0 ? '' : part.slice(eq + 1);
      this.pairs.push([decodeComponent(name), decodeComponent(value)]);
    }
    Object.freeze(this.pairs);
  }
  /** First value for `name`, or null when absent (as URLSearchParams). */
  get(name) {
    const hit = this.pairs.find(([n]) => n === name);
    return hit ? hit[1] : null;
  }
  getAll(name) { return this.pairs.filter(([n]) => n === name).map(([, v]) => v); }
  has(name) { return this.pairs.some(([n]) => n === name); }
  entries() { return this.pairs[Symbol.iterator](); }
  [Symbol.iterator]() { return this.entries(); }
  /** A plain object; a repeated name keeps its last value. */
  toObject() { return Object.fromEntries(this.pairs); }
}

// application/x-www-form-urlencoded: '+' is a space; a malformed escape is kept verbatim.
function decodeComponent(s) {
  const spaced = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** @param {{ query: string }} request */
export function queryParams(request) {
  return new QueryParams(request.query);
}

/**
 * First value of a request header (names are matched case-insensitively).
 * @returns {string | undefined}
 */
export function header(request, name) {
  const wanted = String(name).toLowerCase();
  const hit = request.headers.find(([n]) => n === wanted);
  return hit ? hit[1] : undefined;
}

/** The body (of a request or a queue message) decoded as UTF-8. */
export function bodyText(requestOrMessage) {
  return decodeUtf8(requestOrMessage.body);
}

/**
 * The body (of a request or a queue message) parsed as JSON; `fallback` when the body is
 * empty or not valid JSON (throws in that case when no fallback is given).
 */
export function bodyJson(requestOrMessage, ...fallback) {
  const text = bodyText(requestOrMessage);
  try {
    if (text.trim() === '') throw new SyntaxError('empty body');
    return JSON.parse(text);
  } catch (e) {
    if (fallback.length > 0) return fallback[0];
    throw new SyntaxError(`body is not valid JSON: ${e.message}`);
  }
}

/** True for a direct invocation (`wasmlet invoke`, POST /v1/functions/{name}/invoke). */
export function isDirectInvocation(request) {
  return header(request, 'x-wasmlet-invocation') === 'direct';
}
