// The role every object-storage backend plays: S3-shaped buckets of objects, multipart uploads, and an outbox of changes.
import type { Readable } from 'node:stream';

/**
 * Buckets of objects addressed by (bucket, key), as S3 has them. A write is atomic: a reader sees an
 * object whole or not at all, a crash or a failed body (bad digest, too large, cut short) leaves no
 * trace, and a committed write survives a crash of the process.
 *
 * Absence is a value: `headObject`/`getObject` of a missing key return `null`, `deleteObject` of one
 * returns `false`. Everything else a caller can get wrong (a missing bucket, a bad name, a body whose
 * digest does not match, a part that was never uploaded) throws an `ObjectError` with a stable code,
 * which the boundaries translate (S3's codes in `s3/s3-errors.ts`). Keys are data, never paths: a
 * backend must not let a key reach a filesystem path.
 *
 * @example
 * await store.createBucket('uploads');
 * const info = await store.putObject('uploads', '2026/cat.jpg', bytes, { contentType: 'image/jpeg' });
 * const read = await store.getObject('uploads', '2026/cat.jpg', { range: { start: 0, end: 99 } });
 * if (read) for await (const chunk of read.body) consume(chunk);
 */
export interface ObjectStore {
  /** Throws `bucket_exists` when it is already there, `invalid_bucket_name` for a name S3 would refuse. */
  createBucket(bucket: string): Promise<BucketInfo>;
  /** Only an empty bucket (`bucket_not_empty` otherwise); its unfinished multipart uploads are aborted with it. */
  deleteBucket(bucket: string): Promise<void>;
  headBucket(bucket: string): Promise<BucketInfo | null>;
  /** Every bucket, by name. */
  listBuckets(): Promise<BucketInfo[]>;

  /**
   * Stores `body` under `key`, replacing what was there, once the whole body has arrived and matched
   * the digests and length given in `options`. A body that throws (a client gone, a bad chunk
   * signature) rejects with that error and stores nothing.
   */
  putObject(bucket: string, key: string, body: ObjectBody, options?: PutObjectOptions): Promise<ObjectInfo>;
  /** The object and a stream of its bytes (or of `range`); `invalid_range` when the range starts past the end. */
  getObject(bucket: string, key: string, options?: GetObjectOptions): Promise<ObjectRead | null>;
  headObject(bucket: string, key: string): Promise<ObjectInfo | null>;
  /** True when an object was deleted, false when there was none (S3 answers both the same). */
  deleteObject(bucket: string, key: string): Promise<boolean>;
  /** A new object with the source's bytes (shared, not copied) and its metadata unless `options` replaces it; `no_such_key` without a source. */
  copyObject(source: ObjectAddress, target: ObjectAddress, options?: CopyObjectOptions): Promise<ObjectInfo>;
  /** Keys in UTF-8 byte order, S3's ListObjectsV2: prefix, delimiter (common prefixes), start-after, continuation. */
  listObjects(bucket: string, options?: ListObjectsOptions): Promise<ObjectListing>;

  /** Starts an upload of `key` in parts; returns its upload id. */
  createMultipartUpload(bucket: string, key: string, options?: ObjectWriteOptions): Promise<string>;
  /** Stores one part (1..maxParts); uploading a part number again replaces it. `no_such_upload` for an unknown id. */
  uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: ObjectBody, options?: BodyChecks): Promise<PartInfo>;
  /**
   * Makes the object from the listed parts, in ascending part order, each named with the ETag its
   * upload returned (`invalid_part` for a part missing or with another ETag, `invalid_part_order`,
   * `entity_too_small` for a part other than the last below the minimum). The bytes are not copied.
   * Parts uploaded but not listed are discarded; the upload is gone afterwards.
   */
  completeMultipartUpload(bucket: string, key: string, uploadId: string, parts: readonly CompletedPart[]): Promise<ObjectInfo>;
  /** Discards the upload and its parts; `no_such_upload` when there is none. */
  abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void>;
  listParts(bucket: string, key: string, uploadId: string, options?: ListPartsOptions): Promise<PartListing>;

  /**
   * The transactional outbox: the changes that the store's `recordEvent` option chose to record,
   * oldest first. Each was written in the same transaction as the change it describes, so none is
   * lost or invented by a crash. A relay hands them on (e.g. to the durable queue, with the event id
   * as the message id) and then acknowledges them.
   */
  pendingEvents(limit: number): Promise<ObjectEvent[]>;
  /** Forgets delivered events; ids not pending are ignored. */
  ackEvents(ids: readonly string[]): Promise<void>;

  /** Bytes held by objects and unfinished uploads, against `quotaBytes` when there is one. */
  usage(): Promise<{ readonly bytes: number; readonly quotaBytes: number | null }>;
  close(): Promise<void>;
}

/** Bytes of a body: in memory, or streamed (a Node Readable is an AsyncIterable). */
export type ObjectBody = Uint8Array | AsyncIterable<Uint8Array>;

export interface ObjectAddress {
  readonly bucket: string;
  readonly key: string;
}

export interface BucketInfo {
  readonly name: string;
  /** Epoch ms. */
  readonly createdAt: number;
}

export interface ObjectInfo {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  /** As S3 computes it, without quotes: the MD5 hex of the bytes, or `<md5 of the parts' MD5s>-<N>` for N parts. */
  readonly etag: string;
  readonly contentType: string;
  /** User metadata (S3's `x-amz-meta-*`), names in lower case. */
  readonly metadata: Readonly<Record<string, string>>;
  /** Epoch ms of the write. */
  readonly lastModified: number;
}

/** Checks a body must pass before anything is stored. */
export interface BodyChecks {
  /** The body's length as announced (Content-Length): a body cut short or running over is refused (`incomplete_body`). */
  readonly contentLength?: number | undefined;
  /** Base64 MD5 (Content-MD5): `bad_digest` when the body's differs. */
  readonly contentMd5?: string | undefined;
  /** Hex SHA-256 (`x-amz-content-sha256`): `bad_digest` when the body's differs. */
  readonly sha256Hex?: string | undefined;
}

export interface ObjectWriteOptions {
  /** Default `application/octet-stream`. */
  readonly contentType?: string | undefined;
  readonly metadata?: Readonly<Record<string, string>> | undefined;
}

export type PutObjectOptions = ObjectWriteOptions & BodyChecks;

export interface CopyObjectOptions {
  /** When given, replaces the source's content type and metadata (S3's `x-amz-metadata-directive: REPLACE`). */
  readonly replace?: ObjectWriteOptions | undefined;
}

/** Inclusive byte offsets as in HTTP's Range (`bytes=0-99`), an open end (`bytes=100-`), or the last `suffix` bytes (`bytes=-100`). */
export type ByteRange = { readonly start: number; readonly end?: number | undefined } | { readonly suffix: number };

export interface GetObjectOptions {
  readonly range?: ByteRange | undefined;
}

export interface ObjectRead {
  readonly info: ObjectInfo;
  /** The bytes served, inclusive; `end` is `start - 1` for an empty object. */
  readonly start: number;
  readonly end: number;
  /** Read it to its end or destroy it: it holds the object's content until then. */
  readonly body: Readable;
}

export interface ListObjectsOptions {
  readonly prefix?: string | undefined;
  /** Keys with this string after the prefix are rolled up into one common prefix each. */
  readonly delimiter?: string | undefined;
  /** Keys and common prefixes returned, 1..1000; default 1000. */
  readonly maxKeys?: number | undefined;
  /** Only keys after this one, and only common prefixes after it (so a common prefix given here is skipped whole). */
  readonly startAfter?: string | undefined;
  /** A previous listing's `nextContinuationToken` (wins over `startAfter`). */
  readonly continuationToken?: string | undefined;
}

export interface ObjectListing {
  readonly objects: ObjectInfo[];
  readonly commonPrefixes: string[];
  readonly isTruncated: boolean;
  /** Present when truncated: opaque, for the next call. */
  readonly nextContinuationToken?: string | undefined;
}

export interface PartInfo {
  readonly partNumber: number;
  readonly size: number;
  /** The part's MD5 hex, without quotes. */
  readonly etag: string;
  readonly lastModified: number;
}

export interface CompletedPart {
  readonly partNumber: number;
  /** With or without the quotes S3 puts around it. */
  readonly etag: string;
}

export interface ListPartsOptions {
  /** 1..1000, default 1000. */
  readonly maxParts?: number | undefined;
  /** Only parts above this number. */
  readonly partNumberMarker?: number | undefined;
}

export interface PartListing {
  readonly parts: PartInfo[];
  readonly isTruncated: boolean;
  readonly nextPartNumberMarker?: number | undefined;
}

/** What the store is about to commit; `recordEvent` decides inside the transaction whether it goes to the outbox. */
export interface ObjectChange {
  readonly kind: 'created' | 'deleted';
  /** S3's event names: ObjectCreated:Put | :Copy | :CompleteMultipartUpload, ObjectRemoved:Delete. */
  readonly cause: 'put' | 'copy' | 'multipart' | 'delete';
  readonly bucket: string;
  readonly key: string;
  /** Of the object created, or of the one deleted. */
  readonly size: number;
  readonly etag: string;
  /** Epoch ms. */
  readonly time: number;
}

export interface ObjectEvent extends ObjectChange {
  /** Unique and stable across restarts: use it as the queue message id to deliver once. */
  readonly id: string;
}
