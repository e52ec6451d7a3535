// How deeply a JSON text nests, measured on its bytes before JSON.parse sees it: QuickJS parses
// recursively, and ~40 000 nested brackets (80 KB of "[[[[...") overflow the wasm stack, a trap
// (502) instead of a 400. One pass, no allocation; a 1 MiB body costs a few milliseconds.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * True when `bytes` (UTF-8 JSON, valid or not) opens more than `maxDepth` arrays/objects at once.
 * Brackets inside strings do not count; UTF-8 continuation bytes never equal these ASCII ones.
 * @param {Uint8Array} bytes
 * @param {number} maxDepth
 */
export function nestsDeeperThan(bytes, maxDepth) {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) {
      inString = true;
    } else if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
      if (++depth > maxDepth) return true;
    } else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}
