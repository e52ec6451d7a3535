// What a worker asks the main thread for on behalf of a wasmlet:function/objects guest: one
// operation on one bucket. Plain data (it crosses threads): bodies are bytes, offsets bigints as the
// WIT's u64s arrive.
import type { BucketAccess } from './bucket-grants.js';

export type ObjectsOperation =
  | { readonly op: 'get'; readonly key: string; readonly range: { readonly first: bigint; readonly last: bigint } | undefined }
  | { readonly op: 'head'; readonly key: string }
  | { readonly op: 'put'; readonly key: string; readonly body: Uint8Array; readonly contentType: string }
  | { readonly op: 'list'; readonly prefix: string; readonly continuation: string | undefined; readonly maxKeys: number }
  | { readonly op: 'delete'; readonly key: string };

export interface ObjectsHostRequest {
  readonly kind: 'objects';
  readonly bucket: string;
  readonly operation: ObjectsOperation;
}

/** The access each operation needs (`buckets = ["uploads:read"]` allows get, head and list). */
export const accessNeeded: Readonly<Record<ObjectsOperation['op'], BucketAccess>> = {
  get: 'read',
  head: 'read',
  list: 'read',
  put: 'write',
  delete: 'write',
};

/** An object's metadata as the guest receives it (the WIT's object-info; u64s as bigints). */
export interface GuestObjectInfo {
  readonly key: string;
  readonly size: bigint;
  readonly etag: string;
  readonly contentType: string;
  readonly lastModified: bigint;
}

/** The WIT's error-code, which the main thread answers with (the worker passes it on as it is). */
export type ObjectsErrorCode = 'denied' | 'no-such-bucket' | 'invalid-key' | 'invalid-range' | 'too-large' | 'quota-exceeded' | 'other';
