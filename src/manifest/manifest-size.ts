// Bounds on a wasmlet.toml checked before it is parsed: its size, and the parts of its longest
// dotted key or table header. smol-toml bounds only the nesting of values; a header such as
// `[a.a.a…]` of 20 000 parts builds 20 000 nested tables, and every later walk of the document
// (the "__proto__" check, the schema) recurses that deep: a second of CPU and a stack overflow,
// answered 500. A real manifest is a few tables two keys deep.
import { WasmletError } from '../errors/wasmlet-error.js';
import { manifestFileName } from './manifest.js';

/** Examples are under 2 KiB; 64 KiB leaves room for a large `[env]` or `[config]` and bounds what parsing can cost. */
export const maxManifestBytes = 64 * 1024;
/** Parts of one key or table header (`backoff.initial_ms` is 2): 8 is far beyond any key the schema knows. */
export const maxKeyParts = 8;
/** Arrays and inline tables nested inside a value (`methods = ["GET"]` is 1); passed to smol-toml. */
export const maxValueDepth = 8;

/**
 * Refuses a manifest over `maxManifestBytes`, or with a key of more than `maxKeyParts` parts, with
 * a manifest_invalid naming the line. Linear in the source, so it costs nothing a parse would not.
 * @example checkManifestSize('name = "x"\n[a.b.c.d.e.f.g.h.i]\n') // throws: a key has 9 dotted parts ... (line 2)
 */
export function checkManifestSize(source: string): void {
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > maxManifestBytes) {
    throw new WasmletError('manifest_invalid', `${manifestFileName}: the file is ${bytes} bytes; at most ${maxManifestBytes}`, { bytes, maxBytes: maxManifestBytes });
  }
  const deepest = longestDottedKey(source);
  if (deepest.parts > maxKeyParts) {
    throw new WasmletError('manifest_invalid', `${manifestFileName}: a key has ${deepest.parts} dotted parts; at most ${maxKeyParts} (line ${deepest.line})`, {
      line: deepest.line,
      parts: deepest.parts,
    });
  }
}

/**
 * The most parts any dotted run has outside strings and comments (`a."b.c".d` is 3), and its line.
 * Values are scanned too: a float or a time has one dot, far below the bound.
 */
export function longestDottedKey(source: string): { readonly parts: number; readonly line: number } {
  let line = 1;
  let best = { parts: 0, line: 1 };
  let parts = 0; // of the current run; 0 between runs
  let i = 0;
  const n = source.length;
  const endRun = () => {
    if (parts > best.parts) best = { parts, line };
    parts = 0;
  };
  while (i < n) {
    const c = source[i]!;
    if (c === '\n') {
      endRun();
      line += 1;
      i += 1;
    } else if (c === '#') {
      while (i < n && source[i] !== '\n') i += 1;
    } else if (c === '"' || c === "'") {
      if (parts === 0) parts = 1;
      const triple = source.startsWith(c.repeat(3), i);
      const close = triple ? c.repeat(3) : c;
      i += close.length;
      while (i < n && !source.startsWith(close, i)) {
        const d = source[i];
        if (d === '\n' && !triple) break; // an unterminated string: the parser will say so
        if (d === '\n') line += 1;
        // In basic strings a backslash escapes the next character (a closing quote, a line end).
        if (c === '"' && d === '\\') {
          if (source[i + 1] === '\n') line += 1;
          i += 2;
        } else {
          i += 1;
        }
      }
      if (source.startsWith(close, i)) i += close.length;
    } else if (c === '.') {
      parts = Math.max(parts, 1) + 1;
      i += 1;
    } else if (c === '=' || c === '[' || c === ']' || c === '{' || c === '}' || c === ',') {
      endRun();
      i += 1;
    } else {
      if (c !== ' ' && c !== '\t' && c !== '\r' && parts === 0) parts = 1;
      i += 1;
    }
  }
  endRun();
  return best;
}
