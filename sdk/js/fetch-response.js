// What `fetch` resolves to: a WHATWG-Response-like view of the `response` record of
// `wasmlet:function/outbound-http`. The whole body has already arrived (the host reads it before
// `send` returns), so besides the spec's Promise-returning readers it is readable synchronously,
// which is what a handler needs: the QuickJS guest cannot await (see fetch.js).
import { FetchHeaders } from './fetch-headers.js';
import { decodeUtf8 } from './utf8.js';

// Bound from globalThis on purpose: a free `Error`-family identifier makes jco's bundler
// inject its Node.js error module, which adds ~170 KB to every component.
const { SyntaxError } = globalThis;

export class FetchResponse {
  /**
   * @param {{ status: number, headers: [string, string][], body: Uint8Array }} record as the host answered
   * @param {string} url the requested URL (redirects are followed by the host; the final URL is not reported)
   */
  constructor(record, url) {
    this.status = record.status;
    /** The WIT response has no reason phrase. */
    this.statusText = '';
    this.headers = new FetchHeaders(record.headers);
    this.url = url;
    /**
     * The whole body. Not a ReadableStream as in browsers: bytes, so the SDK's bodyText(response)
     * and bodyJson(response, fallback) read it synchronously, as they read a request.
     * @type {Uint8Array}
     */
    this.body = record.body;
  }
  /** A 2xx status. */
  get ok() { return this.status >= 200 && this.status <= 299; }
  /** @returns {Promise<string>} the body as UTF-8 */
  text() { return settle(() => decodeUtf8(this.body)); }
  /** @returns {Promise<unknown>} rejects with SyntaxError when the body is not JSON */
  json() { return settle(() => parseJson(decodeUtf8(this.body))); }
  /** @returns {Promise<ArrayBuffer>} a copy of the body */
  arrayBuffer() { return settle(() => this.body.slice().buffer); }
  /** @returns {Promise<Uint8Array>} a copy of the body */
  bytes() { return settle(() => this.body.slice()); }
}

function settle(read) {
  try {
    return Promise.resolve(read());
  } catch (e) {
    return Promise.reject(e);
  }
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SyntaxError(`response body is not valid JSON: ${e.message}`);
  }
}
