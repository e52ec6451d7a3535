// A WHATWG-Headers-like view of HTTP header pairs (QuickJS has no Headers): names compared
// case-insensitively, repeated headers kept once per value, `get` joining them as the spec does.
import { describe } from './body-bytes.js';
import { stringPairs } from './string-pairs.js';

// Bound from globalThis on purpose: a free `Error`-family identifier makes jco's bundler
// inject its Node.js error module, which adds ~170 KB to every component.
const { TypeError } = globalThis;

export class FetchHeaders {
  /**
   * @param {FetchHeaders | Record<string, string> | [string, string][] | Iterable<[string, string]> | null} [init]
   */
  constructor(init) {
    /** @type {[string, string][]} lower-case names, in the order given */
    this.pairs = headerPairs(init).map(([name, value]) => [name.toLowerCase(), value]);
  }
  /** All values of `name` joined with ", " (set-cookie included, as in the spec); null when absent. */
  get(name) {
    const values = this.#values(name);
    return values.length === 0 ? null : values.join(', ');
  }
  has(name) { return this.#values(name).length > 0; }
  /** Every set-cookie value, one per header (they cannot be joined). */
  getSetCookie() { return this.#values('set-cookie'); }
  append(name, value) { this.pairs.push(...headerPairs([[name, value]]).map(([n, v]) => [n.toLowerCase(), v])); }
  set(name, value) {
    this.delete(name);
    this.append(name, value);
  }
  delete(name) {
    const wanted = String(name).toLowerCase();
    this.pairs = this.pairs.filter(([n]) => n !== wanted);
  }
  /** Sorted by name, repeated headers joined, as WHATWG Headers iterates. */
  *entries() {
    const names = [...new Set(this.pairs.map(([n]) => n))].sort();
    for (const name of names) yield [name, this.get(name)];
  }
  *keys() { for (const [name] of this.entries()) yield name; }
  *values() { for (const [, value] of this.entries()) yield value; }
  forEach(callback, thisArg) {
    for (const [name, value] of this.entries()) callback.call(thisArg, value, name, this);
  }
  [Symbol.iterator]() { return this.entries(); }
  #values(name) {
    const wanted = String(name).toLowerCase();
    return this.pairs.filter(([n]) => n === wanted).map(([, v]) => v);
  }
}

/**
 * Header pairs from what `fetch` accepts as `headers`: FetchHeaders (or any Headers-like object
 * with entries()), a plain object, or [name, value] pairs.
 * @returns {[string, string][]}
 */
export function headerPairs(init) {
  if (init instanceof FetchHeaders) return init.pairs.map(([n, v]) => [n, v]);
  if (init !== null && typeof init === 'object' && !Array.isArray(init) && typeof init.entries === 'function') {
    return stringPairs([...init.entries()], 'fetch(): header');
  }
  if (init !== undefined && init !== null && typeof init !== 'object') {
    throw new TypeError(`fetch(): headers must be an object, [name, value] pairs or Headers, got ${describe(init)}`);
  }
  return stringPairs(init, 'fetch(): header');
}
