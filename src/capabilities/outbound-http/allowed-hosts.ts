// `allowed_outbound_hosts` in Spin's syntax: each entry parsed once (at deploy) into a frozen grant,
// and `matches` deciding whether a URL's origin is granted. The same parser serves the manifest
// schema and the runtime, so what deploy accepts is exactly what the runtime enforces.
import { isIPv4, isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';

export type GrantScheme = 'http' | 'https' | '*';

export type GrantHost =
  /** Only in `*://*:*`: every host. */
  | { readonly kind: 'any' }
  | { readonly kind: 'name'; readonly name: string }
  /** `*.example.com`: any name ending in ".example.com", at any depth; not "example.com" itself. */
  | { readonly kind: 'subdomains'; readonly parent: string }
  /** A literal address: the only kind of grant that reaches loopback or private networks (address-guard.ts). */
  | { readonly kind: 'ip'; readonly address: string; readonly family: 4 | 6 };

/** One parsed entry of `allowed_outbound_hosts`. */
export interface AllowedHost {
  /** The entry as written in the manifest, for messages. */
  readonly entry: string;
  readonly scheme: GrantScheme;
  readonly host: GrantHost;
  /** '*' for any port; an entry without a port grants its scheme's default port only. */
  readonly port: number | '*';
}

/** What a request is checked against: the scheme, host and effective port of its URL. */
export interface Origin {
  readonly scheme: 'http' | 'https';
  /** Lower-case, punycode; an IPv6 address without brackets, as WHATWG URL canonicalises it. */
  readonly host: string;
  readonly port: number;
}

export type ParsedAllowedHost = { readonly ok: true; readonly grant: AllowedHost } | { readonly ok: false; readonly reason: string };

/** Spin's spelling of "everything"; no shorter form (`*://*`, `https://*`) means it, so it cannot be written by accident. */
export const allowAllEntry = '*://*:*';

const defaultPorts = { http: 80, https: 443 } as const;
/** A DNS label (RFC 1035, with leading digits as RFC 1123 allows). */
const hostLabel = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** RFC 1035's limit on a whole name. */
const maxHostNameChars = 253;
const maxPort = 65_535;
const example = '"https://api.example.com"';

/**
 * Parses one entry: `https://api.example.com`, `https://api.example.com:8443`, `https://*.example.com`,
 * `http://127.0.0.1:8080`, `http://[::1]:8080`, `https://api.example.com:*`, `*://api.example.com:443`, `*://*:*`.
 * @example parseAllowedHost('https://*.example.com') // { ok: true, grant: { scheme: 'https', host: { kind: 'subdomains', parent: 'example.com' }, port: 443, ... } }
 */
export function parseAllowedHost(entry: string): ParsedAllowedHost {
  if (entry === allowAllEntry) return accepted(entry, '*', { kind: 'any' }, '*');
  if (/\s/.test(entry)) return refused('must not contain spaces');
  const schemeEnd = entry.indexOf('://');
  if (schemeEnd < 0) return refused(`must start with a scheme ("https://", "http://" or "*://"), e.g. ${example}`);
  const scheme = entry.slice(0, schemeEnd).toLowerCase();
  if (scheme !== 'http' && scheme !== 'https' && scheme !== '*') {
    return refused(`has scheme "${entry.slice(0, schemeEnd)}": outbound calls are HTTP only ("https://", "http://" or "*://")`);
  }
  // Spin accepts a trailing "/"; anything after it would suggest a path-level grant, which this is not.
  const authority = entry.slice(schemeEnd + 3).replace(/\/$/, '');
  if (authority.includes('@')) return refused('must not contain credentials ("user@")');
  const slash = authority.search(/[/?#]/);
  if (slash >= 0) {
    const before = authority.slice(0, slash);
    if (authority[slash] === '/' && (isIPv4(before) || isIPv6(before.replace(/^\[|\]$/g, '')))) return refused('must name one address: CIDR ranges are not supported');
    return refused('must not have a path, query or fragment: a grant is an origin (scheme, host, port)');
  }
  const split = splitHostPort(authority);
  if (typeof split === 'string') return refused(split);
  const port = parsePort(split.port, scheme);
  if ('error' in port) return refused(port.error);
  const host = parseHost(split.host, split.bracketed);
  if (typeof host === 'string') return refused(host);
  return accepted(entry, scheme, host, port.port);
}

/**
 * Parses every entry, for callers that hold entries already checked by the manifest (tests, tools).
 * @throws Error naming the first invalid entry: an invalid entry here is a bug, the manifest refuses them.
 */
export function parseAllowedHosts(entries: readonly string[]): readonly AllowedHost[] {
  return Object.freeze(
    entries.map((entry) => {
      const parsed = parseAllowedHost(entry);
      if (!parsed.ok) throw new Error(`allowed host ${JSON.stringify(entry)} ${parsed.reason}`);
      return parsed.grant;
    }),
  );
}

/** The origin of an absolute http(s) URL; undefined for any other scheme. */
export function originOf(url: URL): Origin | undefined {
  const scheme = url.protocol === 'https:' ? 'https' : url.protocol === 'http:' ? 'http' : undefined;
  if (scheme === undefined) return undefined;
  return { scheme, host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port === '' ? defaultPorts[scheme] : Number(url.port) };
}

/** `https://api.example.com:8443`, in the form a grant for it would be written. */
export function formatOrigin(origin: Origin): string {
  const host = origin.host.includes(':') ? `[${origin.host}]` : origin.host;
  return `${origin.scheme}://${host}${origin.port === defaultPorts[origin.scheme] ? '' : `:${origin.port}`}`;
}

/** Does this grant cover the origin? Names are compared as canonical strings; no DNS is involved. */
export function grantAllows(grant: AllowedHost, origin: Origin): boolean {
  if (grant.scheme !== '*' && grant.scheme !== origin.scheme) return false;
  if (grant.port !== '*' && grant.port !== origin.port) return false;
  switch (grant.host.kind) {
    case 'any':
      return true;
    case 'name':
      return grant.host.name === origin.host;
    case 'subdomains':
      return origin.host.endsWith(`.${grant.host.parent}`);
    case 'ip':
      return grant.host.address === origin.host;
  }
}

/**
 * Is the URL granted? Deny by default: no grants, or a scheme other than http(s), is false.
 * @example matches(parseAllowedHosts(['https://*.example.com']), new URL('https://a.b.example.com/x')) // true
 */
export function matches(grants: readonly AllowedHost[], url: URL): boolean {
  const origin = originOf(url);
  return origin !== undefined && grants.some((grant) => grantAllows(grant, origin));
}

function splitHostPort(authority: string): { host: string; port: string | undefined; bracketed: boolean } | string {
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close < 0) return 'has an unclosed "[" around its IPv6 address';
    const rest = authority.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) return `has "${rest}" after its IPv6 address; expected ":port"`;
    return { host: authority.slice(1, close), port: rest === '' ? undefined : rest.slice(1), bracketed: true };
  }
  const colons = authority.split(':').length - 1;
  if (colons > 1) return 'must put an IPv6 address in brackets, e.g. "http://[::1]:8080"';
  const colon = authority.indexOf(':');
  if (colon < 0) return { host: authority, port: undefined, bracketed: false };
  return { host: authority.slice(0, colon), port: authority.slice(colon + 1), bracketed: false };
}

function parsePort(port: string | undefined, scheme: GrantScheme): { port: number | '*' } | { error: string } {
  if (port === undefined) {
    // Spin's rule: "*://" has no default port, so the entry must say which (or "*").
    if (scheme === '*') return { error: 'must give a port with the "*" scheme, e.g. "*://api.example.com:443", or ":*" for any port' };
    return { port: defaultPorts[scheme] };
  }
  if (port === '*') return { port: '*' };
  if (port.includes('..')) return { error: 'must give one port or "*": port ranges are not supported' };
  if (!/^[1-9][0-9]{0,4}$/.test(port) || Number(port) > maxPort) return { error: `has port "${port}": a port is a number from 1 to ${maxPort}, or "*"` };
  return { port: Number(port) };
}

function parseHost(host: string, bracketed: boolean): GrantHost | string {
  if (host === '') return `must name a host, e.g. ${example}`;
  if (bracketed) {
    if (!isIPv6(host)) return `has "[${host}]", which is not an IPv6 address`;
    // WHATWG URL's serialisation is the canonical form the request's origin will have.
    return { kind: 'ip', address: new URL(`http://[${host}]/`).hostname.slice(1, -1), family: 6 };
  }
  if (isIPv4(host)) return { kind: 'ip', address: host, family: 4 };
  if (host === '*') return `may use "*" alone as a host only in "${allowAllEntry}" (every host, port and scheme); use "*.example.com" for subdomains`;
  if (host.startsWith('*.')) {
    const parent = parseName(host.slice(2));
    if (parent === undefined) return `has "${host}": "*" may only be the first label, followed by a domain, e.g. "https://*.example.com"`;
    return { kind: 'subdomains', parent };
  }
  if (host.includes('*')) return `has "${host}": "*" may only be the first label, e.g. "https://*.example.com"`;
  const name = parseName(host);
  if (name === undefined) return `has "${host}", which is not a valid host name or IPv4 address`;
  return { kind: 'name', name };
}

/** Lower-case punycode, or undefined when not a DNS name (WHATWG URL reads a numeric last label as IPv4: "0x7f.1"). */
function parseName(host: string): string | undefined {
  const ascii = domainToASCII(host.toLowerCase());
  if (ascii === '' || ascii.length > maxHostNameChars) return undefined;
  const labels = ascii.split('.');
  if (!labels.every((label) => hostLabel.test(label))) return undefined;
  if (/^(?:[0-9]+|0x[0-9a-f]*)$/.test(labels[labels.length - 1]!)) return undefined;
  return ascii;
}

function accepted(entry: string, scheme: GrantScheme, host: GrantHost, port: number | '*'): ParsedAllowedHost {
  return { ok: true, grant: Object.freeze({ entry, scheme, host: Object.freeze(host), port }) };
}

function refused(reason: string): ParsedAllowedHost {
  return { ok: false, reason };
}
