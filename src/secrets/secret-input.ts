// Names and values of secrets: the limits and the checks every way in (admin API, store) applies.
import { WasmletError } from '../errors/wasmlet-error.js';

/**
 * Environment-variable style, so a name reads as a constant in a manifest (`{ secret = "STRIPE_KEY" }`)
 * and never needs escaping in a URL path or a log line.
 */
export const secretNamePattern = /^[A-Z][A-Z0-9_]{0,127}$/;
/**
 * 64 KiB: room for a PEM certificate chain or a service-account JSON; every referenced value is
 * copied into each worker's grants and searched for in every captured log line, so bulk data
 * belongs in a store, not here.
 */
export const maxSecretValueBytes = 64 * 1024;
/**
 * Values shorter than this are not redacted from logs: masking every "abc" or "1" the guest prints
 * would garble its logs and hide nothing an attacker could not guess. `wasmlet secret set` warns.
 */
export const minRedactedChars = 4;

/** The name, checked; the error names it (a name is not secret). */
export function parseSecretName(name: string): string {
  if (!secretNamePattern.test(name)) {
    throw new WasmletError(
      'secret_invalid',
      `secret name ${JSON.stringify(name.length > 140 ? `${name.slice(0, 139)}…` : name)} must be 1 to 128 upper-case letters, digits or "_", starting with a letter`,
      { name },
    );
  }
  return name;
}

/** The value as text: non-empty UTF-8 within the limit. Errors never include the value, only its size. */
export function parseSecretValue(bytes: Uint8Array): string {
  if (bytes.byteLength === 0) throw new WasmletError('secret_invalid', 'a secret value must not be empty');
  if (bytes.byteLength > maxSecretValueBytes) {
    throw new WasmletError('secret_too_large', `a secret value is at most ${maxSecretValueBytes} bytes, got ${bytes.byteLength}`, { maxBytes: maxSecretValueBytes });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new WasmletError('secret_invalid', 'a secret value must be UTF-8 text (the guest reads it as a config string)');
  }
}

/** Whether a value is long enough to be redacted from captured logs (see minRedactedChars). */
export function isRedactable(value: string): boolean {
  return [...value].length >= minRedactedChars;
}
