// UTF-8 for the QuickJS guest, which has no TextEncoder/TextDecoder. Lone
// surrogates and malformed input become U+FFFD (one per bad sequence, where
// WHATWG may emit several); no BOM handling, no streaming.

// Bound from globalThis on purpose: a free `Error`-family identifier makes jco's bundler
// inject its Node.js error module, which adds ~170 KB to every component.
const { RangeError } = globalThis;

/** @param {string} s @returns {Uint8Array} */
export function encodeUtf8(s) {
  s = String(s);
  // Worst case is 3 bytes per UTF-16 unit (a surrogate pair is 2 units for 4 bytes).
  const out = new Uint8Array(s.length * 3);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        c = 0xfffd;
      }
    }
    if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
    } else if (c < 0x10000) {
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 0x3f);
    } else {
      out[n++] = 0xf0 | (c >> 18);
      out[n++] = 0x80 | ((c >> 12) & 0x3f);
      out[n++] = 0x80 | ((c >> 6) & 0x3f);
    }
    out[n++] = 0x80 | (c & 0x3f);
  }
  return out.slice(0, n);
}

/** @param {Uint8Array | ArrayBuffer | ArrayLike<number>} bytes @returns {string} */
export function decodeUtf8(bytes) {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let s = '';
  let chunk = [];
  const flush = () => {
    s += String.fromCharCode.apply(null, chunk);
    chunk = [];
  };
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    let cp = 0xfffd;
    let need = 0;
    let min = 0;
    if (c < 0x80) {
      cp = c;
    } else if (c >= 0xc2 && c <= 0xdf) {
      need = 1; cp = c & 0x1f; min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2; cp = c & 0x0f; min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3; cp = c & 0x07; min = 0x10000;
    }
    i++;
    let ok = true;
    for (let k = 0; k < need; k++, i++) {
      if (i >= b.length || (b[i] & 0xc0) !== 0x80) { ok = false; break; }
      cp = (cp << 6) | (b[i] & 0x3f);
    }
    if (!ok || (need && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)))) cp = 0xfffd;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      chunk.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
    } else {
      chunk.push(cp);
    }
    // Bounded so String.fromCharCode.apply never exceeds the engine's argument limit.
    if (chunk.length >= 8192) flush();
  }
  flush();
  return s;
}

/** Minimal WHATWG TextEncoder (UTF-8 only), installed as a global when missing. */
export class Utf8TextEncoder {
  get encoding() { return 'utf-8'; }
  encode(input = '') { return encodeUtf8(input); }
}

/** Minimal WHATWG TextDecoder (UTF-8 only, non-fatal, no streaming). */
export class Utf8TextDecoder {
  constructor(label = 'utf-8') {
    if (!/^(utf-?8|unicode-1-1-utf-8)$/i.test(String(label).trim())) {
      throw new RangeError(`TextDecoder: only utf-8 is supported in the wasmlet JS guest, got "${label}"`);
    }
  }
  get encoding() { return 'utf-8'; }
  decode(input = new Uint8Array(0)) {
    return decodeUtf8(ArrayBuffer.isView(input) ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength) : input);
  }
}
