// wasi:http/types `fields` (headers and trailers) for one instance. Names are kept lower-case, as
// HTTP/2 and node:http deliver them; values are bytes. Hop-by-hop headers are the host's business
// (as in wasmtime): a guest may not set them on anything it sends.

export type HeaderError = { readonly tag: 'invalid-syntax' } | { readonly tag: 'forbidden' } | { readonly tag: 'immutable' };

const invalidSyntax: HeaderError = { tag: 'invalid-syntax' };
const forbidden: HeaderError = { tag: 'forbidden' };
const immutable: HeaderError = { tag: 'immutable' };

/** RFC 9110 token characters. */
const fieldNamePattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Header names a guest may not send: the host frames and routes the message. */
export const forbiddenHeaderNames: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'host',
  'http2-settings',
]);

function isValidValue(value: Uint8Array): boolean {
  for (const byte of value) if (byte === 0 || byte === 10 || byte === 13) return false;
  return true;
}

/** The state a `fields` resource and its child handles share. */
interface FieldStore {
  /** Insertion order of (lower-case name, value) pairs; a repeated name appears once per value. */
  readonly entries: [string, Uint8Array][];
  mutable: boolean;
}

export class Fields {
  readonly #store: FieldStore;

  constructor(store?: FieldStore) {
    this.#store = store ?? { entries: [], mutable: true };
  }

  get #entries(): [string, Uint8Array][] {
    return this.#store.entries;
  }

  /** Another handle on the same fields (what `headers()` of an incoming request or response returns). */
  view(): Fields {
    return new Fields(this.#store);
  }

  /**
   * A handle on the same fields that cannot change them: what `headers()` of an outgoing request or
   * response returns, immutable as wasi:http's WIT says (and wasmtime does): the headers are the
   * ones the request or response was constructed with.
   */
  immutableView(): Fields {
    return new Fields({ entries: this.#store.entries, mutable: false });
  }

  /** Names are checked against `forbiddenHeaderNames` only for fields a guest builds. */
  static fromList(entries: [string, Uint8Array][]): Fields {
    const fields = new Fields();
    for (const [name, value] of entries) fields.append(name, value);
    return fields;
  }

  /** Host-built fields (an incoming request's or response's), immutable to the guest. */
  static fromHost(entries: readonly (readonly [string, string])[]): Fields {
    const fields = new Fields();
    const encoder = new TextEncoder();
    for (const [name, value] of entries) fields.#entries.push([name.toLowerCase(), encoder.encode(value)]);
    fields.#store.mutable = false;
    return fields;
  }

  get(name: string): Uint8Array[] {
    const key = name.toLowerCase();
    return this.#entries.filter(([n]) => n === key).map(([, v]) => v);
  }

  has(name: string): boolean {
    const key = name.toLowerCase();
    return this.#entries.some(([n]) => n === key);
  }

  set(name: string, values: Uint8Array[]): void {
    const key = this.#checked(name);
    for (const value of values) if (!isValidValue(value)) throw invalidSyntax;
    this.#remove(key);
    for (const value of values) this.#entries.push([key, value.slice()]);
  }

  delete(name: string): void {
    this.#remove(this.#checked(name));
  }

  append(name: string, value: Uint8Array): void {
    const key = this.#checked(name);
    if (!isValidValue(value)) throw invalidSyntax;
    this.#entries.push([key, value.slice()]);
  }

  entries(): [string, Uint8Array][] {
    return this.#entries.map(([n, v]) => [n, v]);
  }

  clone(): Fields {
    const copy = new Fields();
    for (const [n, v] of this.#entries) copy.#entries.push([n, v]);
    return copy;
  }

  /** Fields become immutable once they belong to a request or response that was handed over. */
  freeze(): void {
    this.#store.mutable = false;
  }

  /** As (name, text) pairs, for the host to send. */
  toPairs(): [string, string][] {
    const decoder = new TextDecoder();
    return this.#entries.map(([n, v]) => [n, decoder.decode(v)]);
  }

  #checked(name: string): string {
    if (!this.#store.mutable) throw immutable;
    if (!fieldNamePattern.test(name)) throw invalidSyntax;
    const key = name.toLowerCase();
    if (forbiddenHeaderNames.has(key)) throw forbidden;
    return key;
  }

  #remove(key: string): void {
    for (let i = this.#entries.length - 1; i >= 0; i--) if (this.#entries[i]![0] === key) this.#entries.splice(i, 1);
  }
}
