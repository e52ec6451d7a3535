// Outbound HTTP (`wasmlet:function/outbound-http`): fetch() in the shape of the WHATWG one, and
// fetchSync(), which handlers use. The host sends the request and returns once the whole response
// has arrived, to the origins the manifest grants in `allowed_outbound_hosts` only.
//
// Why two: handlers in the QuickJS guest are synchronous, and the engine runs no promise job
// before the handler's result is returned, so `await fetch(...)` (or `.then`) inside a handler
// never resumes. fetchSync() returns the response itself; fetch() wraps the same call in a settled
// Promise for code written against the standard API (it runs as-is in Node, e.g. in unit tests).
import { send as hostSend } from 'wasmlet:function/outbound-http@0.1.0';
import { bodyBytes, describe } from './body-bytes.js';
import { headerPairs } from './fetch-headers.js';
import { FetchResponse } from './fetch-response.js';

// Bound from globalThis on purpose: a free `Error`-family identifier makes jco's bundler
// inject its Node.js error module, which adds ~170 KB to every component.
const { Error, TypeError } = globalThis;

/** Methods that cannot carry a body (WHATWG fetch refuses one with them too). */
const BODYLESS_METHODS = new Set(['GET', 'HEAD']);

/**
 * The request failed before any response: `code` is the WIT `error-code` name (`denied`,
 * `invalid-request`, `dns-error`, `connection-refused`, `connection-timeout`, `timeout`,
 * `tls-error`, `response-too-large`, `too-many-requests`, `protocol-error`). A TypeError, as the
 * rejection of WHATWG fetch is. An HTTP error status (404, 500) is not a FetchError: it is a response.
 */
export class FetchError extends TypeError {
  /** @param {string} code @param {string} reason the host's words @param {string} method @param {string} url */
  constructor(code, reason, method, url) {
    super(`${method} ${url} failed: ${code}${reason ? ` (${reason})` : ''}`);
    this.name = 'FetchError';
    this.code = code;
    /** The host's explanation, for logs; not a stable interface. */
    this.reason = reason;
    this.method = method;
    this.url = url;
  }
}

/**
 * Sends a request and returns the whole response. For handlers: the QuickJS guest cannot await.
 * @param {string | { url: string, method?: string, headers?: unknown, body?: unknown }} input an
 *   absolute http(s) URL, or a Request-like object
 * @param {{ method?: string, headers?: object, body?: string | Uint8Array | ArrayBuffer | ArrayBufferView | null, redirect?: 'follow' }} [init]
 *   a string body is sent as UTF-8, with content-type text/plain;charset=UTF-8 unless a header sets one
 * @returns {FetchResponse}
 * @throws {FetchError} when no response came (the origin is not granted, the connection failed, a limit was hit)
 * @example const res = fetchSync('https://api.example.com/v1/rates', { headers: { accept: 'application/json' } });
 *          if (!res.ok) return text(502, `rates: ${res.status}`);
 *          const rates = bodyJson(res);
 */
export function fetchSync(input, init = {}) {
  const request = requestRecord(input, init ?? {});
  let record;
  try {
    record = hostSend(request);
  } catch (e) {
    // componentize-qjs throws the `err(http-error)` of a WIT result as an Error whose payload is the record.
    const payload = e instanceof Error ? e.payload : undefined;
    if (!payload || typeof payload.code !== 'string') throw e;
    throw new FetchError(payload.code, String(payload.message ?? ''), request.method, request.url);
  }
  return new FetchResponse(record, request.url);
}

/**
 * WHATWG-style fetch: a Promise of the response, rejected with a FetchError (or a TypeError for bad
 * arguments). The request has completed when it returns; inside a handler use fetchSync instead,
 * since no promise callback runs before the handler's result is returned.
 * @returns {Promise<FetchResponse>}
 */
export function fetch(input, init) {
  try {
    return Promise.resolve(fetchSync(input, init));
  } catch (e) {
    return Promise.reject(e);
  }
}

/** The WIT `request` record for fetch's arguments; argument mistakes are TypeErrors here, before the host. */
function requestRecord(input, init) {
  if (typeof init !== 'object') throw new TypeError(`fetch(): init must be an object, got ${describe(init)}`);
  const base = typeof input === 'string' ? { url: input } : input;
  if (base === null || typeof base !== 'object' || typeof (base.url ?? base.href) !== 'string') {
    throw new TypeError(`fetch(): input must be a URL string or a Request-like object with a url, got ${describe(input)}`);
  }
  const url = base.url ?? base.href;
  const methodGiven = init.method ?? base.method ?? 'GET';
  if (typeof methodGiven !== 'string' || methodGiven === '') throw new TypeError(`fetch(): method must be a non-empty string, got ${describe(methodGiven)}`);
  const method = methodGiven.toUpperCase();
  if (init.redirect !== undefined && init.redirect !== 'follow') {
    throw new TypeError(`fetch(): redirect "${init.redirect}" is not supported: the host follows redirects (at most 5, each checked against allowed_outbound_hosts)`);
  }
  const headers = headerPairs('headers' in init ? init.headers : base.headers);
  const rawBody = 'body' in init ? init.body : base.body;
  const body = bodyBytes(rawBody, 'fetch(): body', 'JSON.stringify()');
  if (BODYLESS_METHODS.has(method) && rawBody !== undefined && rawBody !== null) {
    throw new TypeError(`fetch(): a ${method} request cannot have a body`);
  }
  const typed = headers.some(([name]) => name.toLowerCase() === 'content-type');
  if (typeof rawBody === 'string' && !typed) headers.push(['content-type', 'text/plain;charset=UTF-8']);
  return { method, url, headers, body };
}
