// The embedded ObjectStore: metadata in one SQLite file (WAL), content on disk by SHA-256, both under <data-dir>/objects/.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type Database from 'better-sqlite3';
import { systemClock, type Clock } from '../queue/clock.js';
import { migrate, openSqlite, type SqliteSynchronous } from '../embedded/sqlite-database.js';
import { BlobFiles } from './blob-files.js';
import { resolveRange } from './byte-range.js';
import { multipartEtag, normalizeEtag } from './etag.js';
import { ObjectError } from './object-error.js';
import { maxListKeys, resolveObjectLimits, type ObjectLimits } from './object-limits.js';
import { parseBucketName, parseContentType, parseMetadata, parseObjectKey } from './object-names.js';
import type {
  BodyChecks, BucketInfo, CompletedPart, CopyObjectOptions, GetObjectOptions, ListObjectsOptions, ListPartsOptions, ObjectAddress, ObjectBody,
  ObjectChange, ObjectEvent, ObjectInfo, ObjectListing, ObjectRead, ObjectStore, ObjectWriteOptions, PartInfo, PartListing, PutObjectOptions,
} from './object-store.js';
import {
  objectDatabaseMigrations, objectInfoOf, partInfoOf, prepare, type ChunkRow, type EventRow, type ObjectRow, type PartRow, type Statements,
} from './sqlite-object-schema.js';
import { listObjectRows, parseListRequest } from './sqlite-object-listing.js';
import { SqliteObjectWrites } from './sqlite-object-writes.js';

export interface SqliteObjectStoreOptions {
  /** `<data-dir>/objects`: holds objects.db and the content files. */
  readonly dir: string;
  readonly clock?: Clock;
  /** The commit's durability, as for the queue (see SqliteSynchronous); content files are always synced before their commit. */
  readonly synchronous?: SqliteSynchronous;
  readonly limits?: Partial<ObjectLimits>;
  /**
   * The host's disk budget (host/disk-budget.ts), asked for a body's bytes before they are kept:
   * before the first byte is read when the client declared its length, else once it is staged.
   * It throws to refuse; the refusal becomes `storage_full`.
   */
  readonly admitBytes?: (bytes: number) => void;
  /**
   * Called inside the transaction that commits each change, with that change: return true to write
   * it to the outbox (`pendingEvents`) in the same transaction. Must be synchronous and must not
   * throw; e.g. a match against the deployed functions' `[[object_event]]` subscriptions.
   */
  readonly recordEvent?: (change: ObjectChange) => boolean;
  /** Told (after the commit, on the same tick) that the outbox received events, so a relay can look at once. */
  readonly onEvents?: () => void;
}

/** A CLI or a second reader can hold the write lock briefly; waiting beats failing a write. */
const busyTimeoutMs = 5_000;
const uploadIdBytes = 24;

/**
 * Writes go through SqliteObjectWrites (sqlite-object-writes.ts says how), listings through
 * sqlite-object-listing.ts.
 *
 * @example
 * const objects = await SqliteObjectStore.open({ dir: '.wasmlet/objects' });
 * await objects.createBucket('photos');
 */
export class SqliteObjectStore implements ObjectStore {
  readonly #db: Database.Database;
  readonly #sql: Statements;
  readonly #blobs: BlobFiles;
  readonly #clock: Clock;
  readonly #limits: ObjectLimits;
  readonly #writes: SqliteObjectWrites;

  private constructor(options: SqliteObjectStoreOptions) {
    this.#limits = resolveObjectLimits(options.limits);
    this.#clock = options.clock ?? systemClock;
    this.#blobs = new BlobFiles(options.dir);
    mkdirSync(options.dir, { recursive: true });
    this.#db = openSqlite(join(options.dir, 'objects.db'), { synchronous: options.synchronous ?? 'normal', busyTimeoutMs });
    try {
      migrate(this.#db, 'object database', objectDatabaseMigrations);
      this.#sql = prepare(this.#db);
    } catch (err) {
      this.#db.close();
      throw err;
    }
    this.#writes = new SqliteObjectWrites({
      db: this.#db, sql: this.#sql, blobs: this.#blobs, clock: this.#clock, limits: this.#limits,
      admitBytes: options.admitBytes, recordEvent: options.recordEvent, onEvents: options.onEvents,
    });
  }

  /** Opens (or creates) the store and removes what a crash left half-done, before anything is served. */
  static async open(options: SqliteObjectStoreOptions): Promise<SqliteObjectStore> {
    const store = new SqliteObjectStore(options);
    try {
      await store.#blobs.init();
      await store.#blobs.sweep((digest) => store.#writes.referenced(digest));
    } catch (err) {
      store.#db.close();
      throw err;
    }
    return store;
  }

  get limits(): ObjectLimits {
    return this.#limits;
  }

  // ---- buckets ----

  async createBucket(bucket: string): Promise<BucketInfo> {
    parseBucketName(bucket);
    const createdAt = this.#clock.now();
    this.#writes.transaction(() => {
      if (this.#sql.bucket.get(bucket)) throw new ObjectError('bucket_exists', `bucket "${bucket}" already exists`, { bucket });
      this.#sql.insertBucket.run(bucket, createdAt);
    });
    return { name: bucket, createdAt };
  }

  async deleteBucket(bucket: string): Promise<void> {
    parseBucketName(bucket);
    this.#writes.transaction(() => {
      this.#writes.requireBucket(bucket);
      if (this.#sql.anyObject.get(bucket)) throw new ObjectError('bucket_not_empty', `bucket "${bucket}" is not empty`, { bucket });
      for (const { id } of this.#sql.uploadsOf.all(bucket) as Array<{ id: string }>) this.#writes.dropUpload(id);
      this.#sql.deleteBucket.run(bucket);
    });
  }

  async headBucket(bucket: string): Promise<BucketInfo | null> {
    parseBucketName(bucket);
    const row = this.#sql.bucket.get(bucket) as { name: string; created_at: number } | undefined;
    return row ? { name: row.name, createdAt: row.created_at } : null;
  }

  async listBuckets(): Promise<BucketInfo[]> {
    return (this.#sql.buckets.all() as Array<{ name: string; created_at: number }>).map((row) => ({ name: row.name, createdAt: row.created_at }));
  }

  // ---- objects ----

  async putObject(bucket: string, key: string, body: ObjectBody, options: PutObjectOptions = {}): Promise<ObjectInfo> {
    parseBucketName(bucket);
    parseObjectKey(key);
    const contentType = parseContentType(options.contentType);
    const metadata = parseMetadata(options.metadata, this.#limits.maxMetadataBytes);
    this.#writes.checkDeclaredLength(options.contentLength, this.#limits.maxPutObjectBytes);
    this.#writes.requireBucket(bucket); // before reading a byte of the body
    this.#writes.admitDeclared(options.contentLength);
    const staged = await this.#writes.stage(body, this.#limits.maxPutObjectBytes, options);
    const md5 = staged.md5.toString('hex');
    return this.#writes.commitWithBlob(staged, () => {
      this.#writes.requireBucket(bucket); // it may have been deleted while the body arrived
      return this.#writes.writeObject({ bucket, key, etag: md5, contentType, metadata, chunks: [{ digest: staged.sha256, size: staged.size }] }, 'put');
    });
  }

  async getObject(bucket: string, key: string, options: GetObjectOptions = {}): Promise<ObjectRead | null> {
    parseBucketName(bucket);
    parseObjectKey(key);
    // One synchronous read: the row, its chunks and the pins belong to the same committed state.
    this.#writes.requireBucket(bucket);
    const row = this.#sql.object.get(bucket, Buffer.from(key)) as ObjectRow | undefined;
    if (!row) return null;
    const info = objectInfoOf(row);
    const { start, end } = resolveRange(options.range, info.size);
    const chunks = this.#sql.chunks.all(row.id) as ChunkRow[];
    const release = this.#blobs.pin(chunks.map((c) => c.digest));
    const body = Readable.from(this.#blobs.read(chunks, start, end), { objectMode: false });
    body.once('close', release);
    return { info, start, end, body };
  }

  async headObject(bucket: string, key: string): Promise<ObjectInfo | null> {
    parseBucketName(bucket);
    parseObjectKey(key);
    this.#writes.requireBucket(bucket);
    const row = this.#sql.object.get(bucket, Buffer.from(key)) as ObjectRow | undefined;
    return row ? objectInfoOf(row) : null;
  }

  async deleteObject(bucket: string, key: string): Promise<boolean> {
    parseBucketName(bucket);
    parseObjectKey(key);
    return this.#writes.transaction(() => {
      this.#writes.requireBucket(bucket);
      const old = this.#sql.object.get(bucket, Buffer.from(key)) as ObjectRow | undefined;
      if (!old) return false;
      this.#writes.dropObject(old);
      this.#writes.record({ kind: 'deleted', cause: 'delete', bucket, key, size: old.size, etag: old.etag, time: this.#clock.now() });
      return true;
    });
  }

  async copyObject(source: ObjectAddress, target: ObjectAddress, options: CopyObjectOptions = {}): Promise<ObjectInfo> {
    parseBucketName(source.bucket);
    parseObjectKey(source.key);
    parseBucketName(target.bucket);
    parseObjectKey(target.key);
    const replace = options.replace;
    const contentType = replace ? parseContentType(replace.contentType) : undefined;
    const metadata = replace ? parseMetadata(replace.metadata, this.#limits.maxMetadataBytes) : undefined;
    if (!replace && source.bucket === target.bucket && source.key === target.key) {
      throw new ObjectError('invalid_argument', 'copying an object onto itself must replace its metadata');
    }
    return this.#writes.transaction(() => {
      this.#writes.requireBucket(source.bucket);
      const from = this.#sql.object.get(source.bucket, Buffer.from(source.key)) as ObjectRow | undefined;
      if (!from) throw new ObjectError('no_such_key', `no object "${source.key}" in bucket "${source.bucket}"`, { bucket: source.bucket, key: source.key });
      this.#writes.requireBucket(target.bucket);
      const chunks = this.#sql.chunks.all(from.id) as ChunkRow[];
      return this.#writes.writeObject({
        bucket: target.bucket,
        key: target.key,
        etag: from.etag,
        contentType: contentType ?? from.content_type,
        metadata: metadata ?? (JSON.parse(from.metadata) as Record<string, string>),
        chunks,
      }, 'copy');
    });
  }

  async listObjects(bucket: string, options: ListObjectsOptions = {}): Promise<ObjectListing> {
    parseBucketName(bucket);
    const request = parseListRequest(options);
    this.#writes.requireBucket(bucket);
    return listObjectRows(this.#sql, bucket, request);
  }

  // ---- multipart uploads ----

  async createMultipartUpload(bucket: string, key: string, options: ObjectWriteOptions = {}): Promise<string> {
    parseBucketName(bucket);
    parseObjectKey(key);
    const contentType = parseContentType(options.contentType);
    const metadata = parseMetadata(options.metadata, this.#limits.maxMetadataBytes);
    const uploadId = randomBytes(uploadIdBytes).toString('base64url');
    this.#writes.transaction(() => {
      this.#writes.requireBucket(bucket);
      this.#sql.insertUpload.run(uploadId, bucket, Buffer.from(key), contentType, JSON.stringify(metadata), this.#clock.now());
    });
    return uploadId;
  }

  async uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: ObjectBody, options: BodyChecks = {}): Promise<PartInfo> {
    parseBucketName(bucket);
    parseObjectKey(key);
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > this.#limits.maxParts) {
      throw new ObjectError('invalid_argument', `part number must be an integer from 1 to ${this.#limits.maxParts}, got ${partNumber}`);
    }
    this.#writes.checkDeclaredLength(options.contentLength, this.#limits.maxPartBytes);
    this.#writes.requireUpload(bucket, key, uploadId);
    this.#writes.admitDeclared(options.contentLength);
    const staged = await this.#writes.stage(body, this.#limits.maxPartBytes, options);
    const md5 = staged.md5.toString('hex');
    const lastModified = this.#clock.now();
    return this.#writes.commitWithBlob(staged, () => {
      this.#writes.requireUpload(bucket, key, uploadId); // aborted or completed while the part arrived?
      const old = this.#sql.part.get(uploadId, partNumber) as PartRow | undefined;
      this.#writes.ref(staged.sha256, staged.size);
      if (old) this.#writes.deref(old.digest);
      this.#writes.addUsage(staged.size - (old?.size ?? 0));
      this.#sql.upsertPart.run(uploadId, partNumber, staged.sha256, staged.size, md5, lastModified);
      return { partNumber, size: staged.size, etag: md5, lastModified };
    });
  }

  async completeMultipartUpload(bucket: string, key: string, uploadId: string, parts: readonly CompletedPart[]): Promise<ObjectInfo> {
    parseBucketName(bucket);
    parseObjectKey(key);
    if (parts.length === 0) throw new ObjectError('invalid_argument', 'a multipart upload is completed with at least one part');
    for (let i = 1; i < parts.length; i++) {
      if (parts[i]!.partNumber <= parts[i - 1]!.partNumber) throw new ObjectError('invalid_part_order', 'the parts must be listed in ascending part-number order, each once');
    }
    return this.#writes.transaction(() => {
      const upload = this.#writes.requireUpload(bucket, key, uploadId);
      const chosen = parts.map((wanted, i) => {
        const part = this.#sql.part.get(uploadId, wanted.partNumber) as PartRow | undefined;
        if (!part || normalizeEtag(wanted.etag) !== part.md5) {
          throw new ObjectError('invalid_part', `part ${wanted.partNumber} ${part ? 'has another ETag' : 'was not uploaded'}`, { partNumber: wanted.partNumber });
        }
        if (i < parts.length - 1 && part.size < this.#limits.minPartBytes) {
          throw new ObjectError('entity_too_small', `part ${part.part_number} is ${part.size} bytes; every part but the last must be at least ${this.#limits.minPartBytes}`, {
            partNumber: part.part_number,
            limit: this.#limits.minPartBytes,
          });
        }
        return part;
      });
      const info = this.#writes.writeObject({
        bucket,
        key,
        etag: multipartEtag(chosen.map((p) => p.md5)),
        contentType: upload.content_type,
        metadata: JSON.parse(upload.metadata) as Record<string, string>,
        chunks: chosen.map((p) => ({ digest: p.digest, size: p.size })),
      }, 'multipart');
      this.#writes.dropUpload(uploadId); // after the object took its references: used parts keep their files
      return info;
    });
  }

  async abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    parseBucketName(bucket);
    parseObjectKey(key);
    this.#writes.transaction(() => {
      this.#writes.requireUpload(bucket, key, uploadId);
      this.#writes.dropUpload(uploadId);
    });
  }

  async listParts(bucket: string, key: string, uploadId: string, options: ListPartsOptions = {}): Promise<PartListing> {
    parseBucketName(bucket);
    parseObjectKey(key);
    const maxParts = options.maxParts ?? maxListKeys;
    if (!Number.isInteger(maxParts) || maxParts < 0 || maxParts > maxListKeys) throw new ObjectError('invalid_argument', `maxParts must be an integer from 0 to ${maxListKeys}, got ${maxParts}`);
    this.#writes.requireUpload(bucket, key, uploadId);
    const rows = this.#sql.partsAfter.all(uploadId, options.partNumberMarker ?? 0, maxParts + 1) as PartRow[];
    const page = rows.slice(0, maxParts).map(partInfoOf);
    const isTruncated = rows.length > maxParts;
    return { parts: page, isTruncated, ...(isTruncated && page.length > 0 ? { nextPartNumberMarker: page[page.length - 1]!.partNumber } : {}) };
  }

  // ---- outbox and usage ----

  async pendingEvents(limit: number): Promise<ObjectEvent[]> {
    if (!Number.isInteger(limit) || limit < 1) throw new ObjectError('invalid_argument', `limit must be a positive integer, got ${limit}`);
    return (this.#sql.events.all(limit) as EventRow[]).map((row) => ({ ...row }));
  }

  async ackEvents(ids: readonly string[]): Promise<void> {
    this.#writes.transaction(() => {
      for (const id of ids) this.#sql.deleteEvent.run(id);
    });
  }

  async usage(): Promise<{ readonly bytes: number; readonly quotaBytes: number | null }> {
    return { bytes: (this.#sql.usage.get() as { bytes: number }).bytes, quotaBytes: this.#limits.quotaBytes };
  }

  async close(): Promise<void> {
    await this.#writes.settled();
    this.#db.close();
  }
}
