// ETags as S3 computes them: the MD5 hex of the bytes, or for N parts the MD5 of the parts' raw MD5s, then "-N".
import { createHash } from 'node:crypto';

export function multipartEtag(partMd5Hexes: readonly string[]): string {
  const hash = createHash('md5');
  for (const hex of partMd5Hexes) hash.update(Buffer.from(hex, 'hex'));
  return `${hash.digest('hex')}-${partMd5Hexes.length}`;
}

/** `"abc"`, `abc` and `W/"abc"` name the same part: clients send ETags back with or without S3's quotes. */
export function normalizeEtag(etag: string): string {
  return etag.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1').toLowerCase();
}
