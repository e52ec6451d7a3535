// Parses what names an object: bucket names (S3's rules), keys (UTF-8, ≤ 1024 bytes, no NUL), metadata, content types.
import { isIP } from 'node:net';
import { ObjectError } from './object-error.js';
import { maxKeyBytes } from './object-limits.js';

/**
 * S3's bucket rules (so a bucket made here is a valid name for any S3 client and could move to S3):
 * 3..63 characters, lower-case letters, digits, dots and hyphens, a letter or digit at each end,
 * no `..`, not an IPv4 address, none of the prefixes and suffixes S3 reserves.
 */
const bucketPattern = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const reservedBucketAffixes = [/^xn--/, /^sthree-/, /-s3alias$/, /--ol-s3$/, /\.mrap$/, /--x-s3$/];

export function parseBucketName(bucket: unknown): string {
  if (typeof bucket !== 'string' || !bucketPattern.test(bucket) || bucket.includes('..') || isIP(bucket) !== 0 || reservedBucketAffixes.some((re) => re.test(bucket))) {
    throw new ObjectError('invalid_bucket_name', `bucket name ${JSON.stringify(bucket)} is not valid: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit`, { bucket: String(bucket) });
  }
  return bucket;
}

/**
 * Any non-empty UTF-8 string up to 1024 bytes except one with NUL (a C string's end in many tools)
 * or a `.` or `..` segment between slashes. Keys never become paths on the host's disk (they are
 * rows in SQLite; content is filed by its digest), but they do reach guests and tools that write
 * objects out as files by key (a thumbnail under the same key, `aws s3 sync` to a folder): a key
 * that climbs out of its folder is refused where it enters, as S3-compatible stores such as MinIO do.
 */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function parseObjectKey(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0) throw new ObjectError('invalid_key', 'the object key must be a non-empty string', { key: String(key) });
  if (loneSurrogate.test(key)) throw new ObjectError('invalid_key', 'the object key is not valid UTF-8 (it holds a lone surrogate)');
  if (key.includes('\0')) throw new ObjectError('invalid_key', 'the object key contains NUL (U+0000)');
  if (key.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new ObjectError('invalid_key', `the object key ${JSON.stringify(key.slice(0, 64))} has a "." or ".." segment`);
  }
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > maxKeyBytes) throw new ObjectError('invalid_key', `the object key is ${bytes} bytes of UTF-8; at most ${maxKeyBytes}`, { bytes, limit: maxKeyBytes });
  return key;
}

/** Metadata names are HTTP header names after `x-amz-meta-`, kept in lower case as HTTP/2 and Node deliver them. */
const metadataNamePattern = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
/** Values are sent back as header values: printable ASCII and tab only (clients RFC 2047-encode the rest). */
const headerValuePattern = /^[\t\x20-\x7e]*$/;
/** A content type is a header value too; no real one comes near this. */
export const maxContentTypeBytes = 1024;
export const defaultContentType = 'application/octet-stream';

export function parseMetadata(metadata: Readonly<Record<string, string>> | undefined, maxBytes: number): Record<string, string> {
  const parsed: Record<string, string> = {};
  let bytes = 0;
  for (const [name, value] of Object.entries(metadata ?? {})) {
    const lower = name.toLowerCase();
    if (!metadataNamePattern.test(lower)) throw new ObjectError('invalid_argument', `metadata name ${JSON.stringify(name)} is not an HTTP header name`);
    if (typeof value !== 'string' || !headerValuePattern.test(value)) throw new ObjectError('invalid_argument', `metadata ${JSON.stringify(name)}: the value must be printable ASCII`);
    parsed[lower] = value;
    bytes += Buffer.byteLength(lower) + Buffer.byteLength(value);
  }
  if (bytes > maxBytes) throw new ObjectError('metadata_too_large', `user metadata is ${bytes} bytes; at most ${maxBytes}`, { bytes, limit: maxBytes });
  return parsed;
}

export function parseContentType(contentType: string | undefined): string {
  if (contentType === undefined || contentType === '') return defaultContentType;
  if (!headerValuePattern.test(contentType) || contentType.length > maxContentTypeBytes) {
    throw new ObjectError('invalid_argument', `content type ${JSON.stringify(contentType.slice(0, 64))} must be printable ASCII, at most ${maxContentTypeBytes} bytes`);
  }
  return contentType;
}
