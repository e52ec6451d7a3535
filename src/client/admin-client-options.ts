// The AdminClient's options, checked once, in its constructor, each refusal with its own message.
import { WasmletError } from '../errors/wasmlet-error.js';

export interface AdminClientOptions {
  /** Base URL of the admin listener, e.g. `http://127.0.0.1:8081`; a path prefix (behind a proxy) is kept. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>` when set. */
  readonly token?: string | undefined;
  /** How long to wait for the response headers, then between body chunks. */
  readonly requestTimeoutMs?: number | undefined;
}

/** A deploy answers only after transpiling and compiling; an interpreter-sized component takes tens of seconds. */
export const defaultRequestTimeoutMs = 5 * 60_000;
/** RFC 6750 token68 is stricter; this only keeps out what would break or smuggle a header. */
export const printableToken = /^[\x21-\x7e]+$/;

export function checkUrl(url: unknown): string {
  if (typeof url !== 'string' || url.trim() === '') throw new WasmletError('bad_request', 'the admin API URL is required, e.g. http://127.0.0.1:8081');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new WasmletError('bad_request', `the admin API URL ${JSON.stringify(url)} is not a URL; expected e.g. http://127.0.0.1:8081`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new WasmletError('bad_request', `the admin API URL must start with http:// or https://, got ${JSON.stringify(url)}`);
  }
  if (parsed.username || parsed.password) {
    throw new WasmletError('bad_request', 'the admin API URL must not carry credentials; pass the token separately');
  }
  if (parsed.search || parsed.hash) {
    throw new WasmletError('bad_request', `the admin API URL must not have a query or fragment, got ${JSON.stringify(url)}`);
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

export function checkToken(token: unknown): string | undefined {
  if (token === undefined) return undefined;
  if (typeof token !== 'string' || token === '') throw new WasmletError('bad_request', 'the token must be a non-empty string when given');
  if (!printableToken.test(token)) throw new WasmletError('bad_request', 'the token must be printable ASCII without spaces');
  return `Bearer ${token}`;
}

export function checkTimeout(timeoutMs: unknown): number {
  if (timeoutMs === undefined) return defaultRequestTimeoutMs;
  if (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs < 1) {
    throw new WasmletError('bad_request', `requestTimeoutMs must be a positive integer, got ${String(timeoutMs)}`);
  }
  return timeoutMs;
}
