// What the JetStream object store keeps in its KV bucket `wasmlet_object_meta`, and under which keys.
// KV keys allow only `[-/_=.a-zA-Z0-9]` in dot-separated tokens, so a bucket name's dots become `_`
// (S3 bucket names have no `_`: the mapping is one to one) and an object key is the lower-case hex
// of its UTF-8, which also sorts exactly as the bytes do (S3's listing order).
import type { BlobRef } from './jetstream-object-blobs.js';

export interface BucketRecord {
  readonly createdAt: number;
}

export interface ObjectRecord {
  readonly size: number;
  readonly etag: string;
  readonly contentType: string;
  readonly metadata: Record<string, string>;
  readonly lastModified: number;
  /** The content, in order. */
  readonly blobs: readonly BlobRef[];
}

export interface UploadRecord {
  readonly key: string;
  readonly contentType: string;
  readonly metadata: Record<string, string>;
  readonly createdAt: number;
}

export interface PartRecord {
  readonly size: number;
  readonly md5: string;
  readonly lastModified: number;
  readonly blob: string;
}

export const objectMetaBucket = 'wasmlet_object_meta';
export const objectBlobBucket = 'wasmlet_object_blobs';

export function bucketToken(bucket: string): string {
  return bucket.replaceAll('.', '_');
}

export function keyToken(key: string): string {
  return Buffer.from(key, 'utf8').toString('hex');
}

export function keyOfToken(token: string): string {
  return Buffer.from(token, 'hex').toString('utf8');
}

export const recordKeys = {
  bucket: (bucket: string) => `b.${bucketToken(bucket)}`,
  allBuckets: 'b.*',
  bucketOfKey: (kvKey: string) => kvKey.slice(2).replaceAll('_', '.'),
  object: (bucket: string, key: string) => `o.${bucketToken(bucket)}.${keyToken(key)}`,
  objectsOf: (bucket: string) => `o.${bucketToken(bucket)}.*`,
  allObjects: 'o.>',
  upload: (bucket: string, uploadId: string) => `u.${bucketToken(bucket)}.${uploadId}`,
  uploadsOf: (bucket: string) => `u.${bucketToken(bucket)}.*`,
  part: (bucket: string, uploadId: string, partNumber: number) => `p.${bucketToken(bucket)}.${uploadId}.${partNumber}`,
  partsOf: (bucket: string, uploadId: string) => `p.${bucketToken(bucket)}.${uploadId}.*`,
  allParts: 'p.>',
  /** A blob an object no longer names, kept for readers on other hosts until the grace period passes. */
  retired: (blob: string) => `g.${blob}`,
  allRetired: 'g.*',
} as const;

export interface RetiredRecord {
  /** Wall time (epoch ms) the blob's object was replaced or deleted. */
  readonly at: number;
}

/** The last token of a KV key (an object's key hex, an upload id, a part number). */
export function lastToken(kvKey: string): string {
  return kvKey.slice(kvKey.lastIndexOf('.') + 1);
}
