// Key order and continuation tokens for listings: keys compare as UTF-8 bytes (S3's order, SQLite's BLOB order).
import { ObjectError } from './object-error.js';

/**
 * The smallest byte string above every string that starts with `prefix` (exclusive upper bound of a
 * prefix range), or null for the empty prefix. UTF-8 never contains the byte 0xFF, so incrementing
 * the last byte always works for a key's prefix; the result need not be UTF-8, it is only compared.
 */
export function prefixUpperBound(prefix: Buffer): Buffer | null {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return null;
  const bound = Buffer.from(prefix.subarray(0, end));
  bound[end - 1]! += 1;
  return bound;
}

/** Where the next page starts: after a key (exclusive), or after everything under a common prefix. */
export type ListCursor = { readonly after: 'key'; readonly key: Buffer } | { readonly after: 'prefix'; readonly prefix: Buffer };

const tags = { key: 0x6b, prefix: 0x70 } as const;

/** Opaque to clients: a tag byte and the bytes, base64url. */
export function encodeContinuationToken(cursor: ListCursor): string {
  const bytes = cursor.after === 'key' ? cursor.key : cursor.prefix;
  return Buffer.concat([Buffer.of(tags[cursor.after]), bytes]).toString('base64url');
}

export function decodeContinuationToken(token: string): ListCursor {
  const bytes = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, 'base64url') : Buffer.alloc(0);
  const body = Buffer.from(bytes.subarray(1));
  if (bytes[0] === tags.key && body.length > 0) return { after: 'key', key: body };
  if (bytes[0] === tags.prefix && body.length > 0) return { after: 'prefix', prefix: body };
  throw new ObjectError('invalid_argument', 'the continuation token is not one this store issued');
}
