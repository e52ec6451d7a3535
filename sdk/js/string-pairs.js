// Name/value pairs (response headers, message attributes) given as an object or as
// [name, value] pairs, checked so a mistake is a clear error rather than a trap in the ABI.
import { describe } from './body-bytes.js';

// Bound from globalThis on purpose: a free `Error`-family identifier makes jco's bundler
// inject its Node.js error module, which adds ~170 KB to every component.
const { TypeError } = globalThis;

/**
 * @param {Record<string, string | number> | [string, string | number][] | null | undefined} pairs
 * @param {string} what names one pair in the errors, e.g. 'response header'
 * @returns {[string, string][]} non-empty string names, string values (numbers are converted)
 */
export function stringPairs(pairs, what) {
  if (pairs === undefined || pairs === null) return [];
  if (typeof pairs !== 'object') throw new TypeError(`${what}s must be an object or [name, value] pairs, got ${describe(pairs)}`);
  const entries = Array.isArray(pairs) ? pairs : Object.entries(pairs);
  return entries.map((entry, i) => {
    if (!Array.isArray(entry) || entry.length !== 2) {
      throw new TypeError(`${what} #${i} must be a [name, value] pair, got ${describe(entry)}`);
    }
    const [name, value] = entry;
    if (typeof name !== 'string' || name === '') throw new TypeError(`${what} #${i}: name must be a non-empty string, got ${describe(name)}`);
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new TypeError(`${what} "${name}": value must be a string, got ${describe(value)}`);
    }
    return [name, String(value)];
  });
}
