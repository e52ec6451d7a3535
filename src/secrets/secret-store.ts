// The port every secret backend implements: sealed values by name, their dates, and the in-memory
// counters the invoker checks per call to notice a change without touching storage.

/** What may be shown about a secret: never its value. */
export interface SecretInfo {
  readonly name: string;
  /** ISO 8601. */
  readonly createdAt: string;
  /** ISO 8601; equal to createdAt until the value is replaced. */
  readonly updatedAt: string;
}

export interface SecretStore {
  /** Creates or replaces; `created` is false for a replacement. */
  set(name: string, value: string): { readonly info: SecretInfo; readonly created: boolean };
  /** Every secret, by name. */
  list(): SecretInfo[];
  /** False when there was no such secret. */
  delete(name: string): boolean;
  /** In memory: whether `name` is set. */
  has(name: string): boolean;
  /** In memory: a number that changes every time `name`'s value does (never reused); undefined when unset. */
  revisionOf(name: string): number | undefined;
  /** In memory: changes on every set and delete of any secret (the invoker's cheap check). */
  readonly generation: number;
  /**
   * The value, decrypted; undefined when unset.
   * @throws WasmletError internal when the stored value does not open (altered, or sealed under another key)
   */
  reveal(name: string): string | undefined;
  close(): void;
}
