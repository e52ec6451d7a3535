// The shared-secret check: `x-signature: sha256=<hex HMAC-SHA256 of the raw body>`, the format of
// GitHub's X-Hub-Signature-256 (which is accepted too), keyed with [config] secret.
import { hmacSha256, toHex } from './hmac-sha256.js';

const PREFIX = 'sha256=';

/**
 * @param {string} secret
 * @param {Uint8Array} body the raw request body, exactly as signed
 * @param {string | undefined} header the signature header's value
 * @returns {{ ok: true } | { ok: false, reason: string }}
 */
export function checkSignature(secret, body, header) {
  if (header === undefined) return { ok: false, reason: 'x-signature is missing: sign the body with the shared secret (sha256=<hex HMAC-SHA256>)' };
  if (!header.startsWith(PREFIX)) return { ok: false, reason: 'x-signature must be "sha256=<hex HMAC-SHA256 of the body>"' };
  const expected = toHex(hmacSha256(new TextEncoder().encode(secret), body));
  return sameText(header.slice(PREFIX.length).toLowerCase(), expected) ? { ok: true } : { ok: false, reason: 'x-signature does not match the body' };
}

/** Compares in time independent of where the strings differ, so a guess learns nothing from timing. */
function sameText(a, b) {
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a.charCodeAt(i) | 0) ^ b.charCodeAt(i);
  return diff === 0;
}

/** The header a sender sets (for tests and the README): `sha256=<hex>`. */
export function signatureFor(secret, body) {
  return PREFIX + toHex(hmacSha256(new TextEncoder().encode(secret), body));
}
