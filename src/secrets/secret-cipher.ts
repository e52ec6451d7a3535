// AES-256-GCM sealing of secret values. A sealed value is `iv (12) | tag (16) | ciphertext`, with a
// fresh random IV per seal and the secret's name as additional authenticated data: a ciphertext
// copied to another name (or another key's database) fails to open instead of decrypting.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** AES-256: a 32-byte key. */
export const secretKeyBytes = 32;
/** GCM's recommended nonce length (NIST SP 800-38D): a random 96-bit IV per message. */
const ivBytes = 12;
/** The full 128-bit tag; shorter tags weaken GCM's forgery bound. */
const tagBytes = 16;
/** Versioned, so a later format can bind more (or different) context without ambiguity. */
const aadPrefix = 'wasmlet-secret/v1:';

export function sealSecret(key: Uint8Array, name: string, value: string): Buffer {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: tagBytes });
  cipher.setAAD(Buffer.from(aadPrefix + name, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
}

/** The value, or undefined when `sealed` was not sealed under `name` with `key` (or was altered). */
export function openSecret(key: Uint8Array, name: string, sealed: Uint8Array): string | undefined {
  if (sealed.byteLength < ivBytes + tagBytes) return undefined;
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, ivBytes), { authTagLength: tagBytes });
    decipher.setAAD(Buffer.from(aadPrefix + name, 'utf8'));
    decipher.setAuthTag(bytes.subarray(ivBytes, ivBytes + tagBytes));
    return Buffer.concat([decipher.update(bytes.subarray(ivBytes + tagBytes)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
