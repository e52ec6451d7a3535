// A guest's request, parsed at the boundary into what undici will send, and the next hop of a
// redirect. Headers that the host controls (framing, connection, the Host the URL implies) are refused.
import { originOf, type Origin } from './allowed-hosts.js';
import type { OutboundFailure } from './outbound-errors.js';

/** A request as the guest gives it (wasmlet:function/outbound-http's request record). */
export interface OutboundRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Uint8Array;
}

/** A request that may be sent: its method and headers valid, its URL absolute http(s). */
export interface PreparedRequest {
  readonly method: string;
  readonly url: URL;
  readonly origin: Origin;
  /** Lower-case names, in the guest's order, repeated names kept. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Uint8Array;
}

/** 301, 302, 303, 307, 308 (RFC 9110 15.4); 300 and 304 carry no location to follow. */
export const redirectStatuses: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/**
 * Connection-specific headers (RFC 9110 7.6.1) and those derived from the URL and body: the guest
 * setting them could smuggle a second request (transfer-encoding, content-length), pick another
 * virtual host or TLS name than the one granted (host), or hold connections (keep-alive, upgrade).
 */
const hostControlledHeaders: ReadonlySet<string> = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect']);
/** RFC 9110 5.6.2 token: header names and methods. */
const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** RFC 9110 5.5: no CR, LF or NUL in a field value (anything else visible, or tab/space). */
const fieldValue = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Credentials go to the origin they were meant for only: dropped when a redirect leaves it (as fetch does). */
const credentialHeaders: ReadonlySet<string> = new Set(['authorization', 'cookie', 'proxy-authorization']);
/** Headers describing a body that a 303 (or a POST's 301/302) drops. */
const bodyHeaders: ReadonlySet<string> = new Set(['content-type', 'content-encoding', 'content-language', 'content-location']);

/**
 * Checks a guest's request. A `content-length` equal to the body's length is dropped (SDKs add it);
 * any other host-controlled header is refused, so the guest learns it has no effect.
 */
export function prepareRequest(request: OutboundRequest): PreparedRequest | OutboundFailure {
  if (!token.test(request.method)) return invalid(`method ${JSON.stringify(request.method)} is not an HTTP token`);
  const method = request.method.toUpperCase();
  // CONNECT turns the connection into a tunnel to anywhere; the host only speaks request/response.
  if (method === 'CONNECT') return invalid('method CONNECT is not supported');
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return invalid(`url ${JSON.stringify(request.url)} is not an absolute URL`);
  }
  const origin = originOf(url);
  if (origin === undefined) return invalid(`url ${JSON.stringify(request.url)} must use http:// or https://`);
  if (url.username !== '' || url.password !== '') return invalid('url must not contain credentials ("user:password@"); send an authorization header');
  url.hash = '';
  const headers: (readonly [string, string])[] = [];
  for (const [rawName, value] of request.headers) {
    const name = rawName.toLowerCase();
    if (!token.test(name)) return invalid(`header name ${JSON.stringify(rawName)} is not an HTTP token`);
    if (!fieldValue.test(value)) return invalid(`header ${name} has a value with control characters`);
    if (name === 'content-length' && value.trim() === String(request.body.byteLength)) continue;
    if (hostControlledHeaders.has(name) || name.startsWith('proxy-')) return invalid(`header ${name} is set by the host, not the guest`);
    headers.push([name, value]);
  }
  return { method, url, origin, headers, body: request.body };
}

/**
 * The request to send after a redirect response, following fetch's rules: 303 (and 301/302 after a
 * POST) becomes a GET without a body; credentials are dropped when the origin changes.
 * Returns undefined when the status is not a redirect or there is no location; a failure when the
 * location is unusable.
 */
export function redirectRequest(previous: PreparedRequest, status: number, location: string | undefined): PreparedRequest | OutboundFailure | undefined {
  if (!redirectStatuses.has(status) || location === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(location, previous.url);
  } catch {
    return { code: 'protocol-error', message: `redirect to an invalid location ${JSON.stringify(location)}` };
  }
  const origin = originOf(url);
  if (origin === undefined) return { code: 'protocol-error', message: `redirect to ${url.protocol} is not followed: only http and https` };
  if (url.username !== '' || url.password !== '') return { code: 'protocol-error', message: 'redirect to a location with credentials is not followed' };
  if (url.hash === '' && previous.url.hash !== '') url.hash = previous.url.hash;
  const toGet = status === 303 ? previous.method !== 'HEAD' : (status === 301 || status === 302) && previous.method === 'POST';
  const sameOrigin = origin.scheme === previous.origin.scheme && origin.host === previous.origin.host && origin.port === previous.origin.port;
  const headers = previous.headers.filter(([name]) => (sameOrigin || !credentialHeaders.has(name)) && !(toGet && bodyHeaders.has(name)));
  return { method: toGet ? 'GET' : previous.method, url, origin, headers, body: toGet ? new Uint8Array(0) : previous.body };
}

function invalid(message: string): OutboundFailure {
  return { code: 'invalid-request', message };
}
