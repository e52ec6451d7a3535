// Content digests: the identity of bundles and components everywhere in the host.
import { createHash } from 'node:crypto';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function formatDigest(hex: string): string {
  return `sha256:${hex}`;
}
