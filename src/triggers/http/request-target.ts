// The path a request names, in one spelling: RFC 3986's normal form, or a refusal when parsers disagree on it.
//
// A front proxy, the router and the guest must read a request target the same way, or a path a
// proxy lets through ("/public/…") can reach a function it guards ("/internal/…"). So the target
// is normalised as RFC 3986 §6.2.2 says (percent-encoded unreserved characters decoded, hex in
// upper case, dot segments removed by §5.2.4) and every spelling that common parsers read
// differently is refused rather than guessed at: WHATWG URL, for one, turns "\" into "/", reads
// "%2e%2e" as "..", and takes "//host/…" as a host.

export type RequestTarget =
  | { readonly ok: true; readonly path: string; readonly query: string }
  | { readonly ok: false; readonly reason: string };

/**
 * parseRequestTarget('/a/./b/../c?x=1') // { ok: true, path: '/a/c', query: 'x=1' }
 * parseRequestTarget('/a/%2e%2e/c')     // { ok: false, reason: 'an encoded dot (%2e) …' }
 */
export function parseRequestTarget(target: string): RequestTarget {
  if (target.charCodeAt(0) !== slash) return refuse(notOriginForm(target));
  const queryStart = target.indexOf('?');
  const rawPath = queryStart === -1 ? target : target.slice(0, queryStart);
  const query = queryStart === -1 ? '' : target.slice(queryStart + 1);
  const odd = findOddCharacter(target);
  if (odd !== undefined) return refuse(odd);
  if (rawPath.includes('\\')) return refuse('a backslash, which WHATWG URL parsers read as "/"');
  if (rawPath.startsWith('//')) return refuse('a leading "//", which URL parsers read as a host name (a network-path reference)');
  // The common case: nothing to decode and no dot segment.
  if (!rawPath.includes('%') && !rawPath.includes('/.')) return { ok: true, path: rawPath, query };

  const decoded = decodeUnreserved(rawPath);
  if (!decoded.ok) return decoded;
  const path = removeDotSegments(decoded.path);
  if (typeof path !== 'string') return path;
  if (path.startsWith('//')) return refuse('dot segments that leave a leading "//", which URL parsers read as a host name');
  return { ok: true, path, query };
}

const slash = 0x2f;
const unreserved = /^[A-Za-z0-9\-._~]$/;

function refuse(reason: string): RequestTarget {
  return { ok: false, reason };
}

function notOriginForm(target: string): string {
  if (target === '*') return 'the asterisk form ("*"), which names no path';
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(target)) return 'the absolute form (scheme://host/path), which names a host besides the Host header: send the path alone';
  return 'no leading "/" (a path is required: the origin form)';
}

/** Characters no path or query may hold raw (RFC 3986 §2; Node's parser refuses most of them first). */
function findOddCharacter(target: string): string | undefined {
  for (let i = 0; i < target.length; i++) {
    const code = target.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return 'a control character';
    if (code === 0x20) return 'a space';
    if (code > 0x7e) return 'a character outside ASCII (percent-encode it as UTF-8)';
    if (code === 0x23) return 'a fragment ("#"), which clients never send and parsers either drop or keep';
  }
  return undefined;
}

/** Decodes %XX of unreserved characters, upper-cases the hex of the rest, and refuses the encodings parsers disagree on. */
function decodeUnreserved(path: string): { readonly ok: true; readonly path: string } | { readonly ok: false; readonly reason: string } {
  let out = '';
  let from = 0;
  for (let i = path.indexOf('%'); i !== -1; i = path.indexOf('%', from)) {
    const hex = path.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return { ok: false, reason: 'a "%" not followed by two hex digits' };
    const byte = Number.parseInt(hex, 16);
    const reason = refusedEncoding(byte);
    if (reason) return { ok: false, reason };
    const char = String.fromCharCode(byte);
    out += path.slice(from, i) + (unreserved.test(char) ? char : `%${hex.toUpperCase()}`);
    from = i + 3;
  }
  return { ok: true, path: out + path.slice(from) };
}

function refusedEncoding(byte: number): string | undefined {
  if (byte === 0x2e) return 'an encoded dot (%2e), which some parsers read as a dot segment and others as data';
  if (byte === 0x2f) return 'an encoded slash (%2f), a segment separator to some parsers and data to others';
  if (byte === 0x5c) return 'an encoded backslash (%5c), which some parsers read as "/"';
  if (byte < 0x20 || byte === 0x7f) return 'an encoded control character (%00-%1f, %7f), which ends or alters a path in C strings and logs';
  return undefined;
}

/** RFC 3986 §5.2.4 on an absolute path, segment by segment; "..;" (read as ".." by some servers) refused. */
function removeDotSegments(path: string): string | { readonly ok: false; readonly reason: string } {
  const segments = path.split('/');
  const out: string[] = [];
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    if (segment === '.' || segment === '..') {
      if (segment === '..') out.pop();
      if (last) out.push(''); // "/a/.." is "/", "/a/." is "/a/"
      continue;
    }
    if (/^\.\.?;/.test(segment)) return { ok: false, reason: 'a dot segment with parameters (".;" or "..;"), which some servers read as a dot segment' };
    out.push(segment);
  }
  return `/${out.join('/')}`;
}
