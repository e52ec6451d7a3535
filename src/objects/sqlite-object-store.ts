// The embedded ObjectStore: metadata in one SQLite file (WAL), content on disk by SHA-256, both under <data-dir>/objects/.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type Database from 'better-sqlite3';
import { systemClock, type Clock } from '../queue/clock.js';
import { migrate, openSqlite, type SqliteSynchronous } from '../embedded/sqlite-database.js';
import { BlobFiles, type StagedBlob } from './blob-files.js';
import { multipartEtag, normalizeEtag } from './etag.js';
import { ObjectError } from './object-error.js';
import { maxListKeys, resolveObjectLimits, type ObjectLimits } from './object-limits.js';
import { decodeContinuationToken, encodeContinuationToken, prefixUpperBound, type ListCursor } from './object-listing.js';
import { parseBucketName, parseContentType, parseMetadata, parseObjectKey } from './object-names.js';
import type {
  BodyChecks, BucketInfo, ByteRange, CompletedPart, CopyObjectOptions, GetObjectOptions, ListObjectsOptions, ListPartsOptions, ObjectAddress, ObjectBody,
  ObjectChange, ObjectEvent, ObjectInfo, ObjectListing, ObjectRead, ObjectStore, ObjectWriteOptions, PartInfo, PartListing, PutObjectOptions,
} from './object-store.js';
import { objectDatabaseMigrations, prepare, type ChunkRow, type EventRow, type ObjectRow, type PartRow, type Statements, type UploadRow } from './sqlite-object-schema.js';

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
 * The write path, one object at a time: (1) the body streams into a temporary file, hashed
 * (SHA-256 for its name, MD5 for the ETag) and checked against the client's digests and length;
 * the file is synced. (2) Under the digest's lock (BlobFiles) it is renamed to its content path
 * (or dropped when that content is already stored) and its folder synced. (3) One SQLite
 * transaction replaces the object's row, counts the references, updates the usage and, when
 * `recordEvent` says so, writes the event: the object and its event commit together or not at
 * all. (4) Content nothing references any more is unlinked after the commit. A crash before (3)
 * leaves a file no row references, removed at the next start (`open` sweeps); a crash after (3)
 * leaves the object whole.
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
  readonly #recordEvent: ((change: ObjectChange) => boolean) | undefined;
  readonly #onEvents: (() => void) | undefined;
  /** Digests whose last reference the running transaction dropped; unlinked once it commits. */
  #freed: string[] = [];
  #eventsWritten = false;
  /** Net bytes the running transaction adds: checked against the quota before it commits. */
  #usageDelta = 0;
  readonly #removals = new Set<Promise<void>>();

  readonly #admitBytes: ((bytes: number) => void) | undefined;

  private constructor(options: SqliteObjectStoreOptions) {
    this.#limits = resolveObjectLimits(options.limits);
    this.#admitBytes = options.admitBytes;
    this.#clock = options.clock ?? systemClock;
    this.#recordEvent = options.recordEvent;
    this.#onEvents = options.onEvents;
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
  }

  /** Opens (or creates) the store and removes what a crash left half-done, before anything is served. */
  static async open(options: SqliteObjectStoreOptions): Promise<SqliteObjectStore> {
    const store = new SqliteObjectStore(options);
    try {
      await store.#blobs.init();
      await store.#blobs.sweep((digest) => store.#referenced(digest));
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
    this.#transaction(() => {
      if (this.#sql.bucket.get(bucket)) throw new ObjectError('bucket_exists', `bucket "${bucket}" already exists`, { bucket });
      this.#sql.insertBucket.run(bucket, createdAt);
    });
    return { name: bucket, createdAt };
  }

  async deleteBucket(bucket: string): Promise<void> {
    parseBucketName(bucket);
    this.#transaction(() => {
      this.#requireBucket(bucket);
      if (this.#sql.anyObject.get(bucket)) throw new ObjectError('bucket_not_empty', `bucket "${bucket}" is not empty`, { bucket });
      for (const { id } of this.#sql.uploadsOf.all(bucket) as Array<{ id: string }>) this.#dropUpload(id);
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
    this.#checkDeclaredLength(options.contentLength, this.#limits.maxPutObjectBytes);
    this.#requireBucket(bucket); // before reading a byte of the body
    this.#admitDeclared(options.contentLength);
    const staged = await this.#stage(body, this.#limits.maxPutObjectBytes, options);
    const md5 = staged.md5.toString('hex');
    return this.#commitWithBlob(staged, () => {
      this.#requireBucket(bucket); // it may have been deleted while the body arrived
      return this.#writeObject({ bucket, key, etag: md5, contentType, metadata, chunks: [{ digest: staged.sha256, size: staged.size }] }, 'put');
    });
  }

  async getObject(bucket: string, key: string, options: GetObjectOptions = {}): Promise<ObjectRead | null> {
    parseBucketName(bucket);
    parseObjectKey(key);
    // One synchronous read: the row, its chunks and the pins belong to the same committed state.
    this.#requireBucket(bucket);
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
    this.#requireBucket(bucket);
    const row = this.#sql.object.get(bucket, Buffer.from(key)) as ObjectRow | undefined;
    return row ? objectInfoOf(row) : null;
  }

  async deleteObject(bucket: string, key: string): Promise<boolean> {
    parseBucketName(bucket);
    parseObjectKey(key);
    return this.#transaction(() => {
      this.#requireBucket(bucket);
      const old = this.#sql.object.get(bucket, Buffer.from(key)) as ObjectRow | undefined;
      if (!old) return false;
      this.#dropObject(old);
      this.#record({ kind: 'deleted', cause: 'delete', bucket, key, size: old.size, etag: old.etag, time: this.#clock.now() });
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
    return this.#transaction(() => {
      this.#requireBucket(source.bucket);
      const from = this.#sql.object.get(source.bucket, Buffer.from(source.key)) as ObjectRow | undefined;
      if (!from) throw new ObjectError('no_such_key', `no object "${source.key}" in bucket "${source.bucket}"`, { bucket: source.bucket, key: source.key });
      this.#requireBucket(target.bucket);
      const chunks = this.#sql.chunks.all(from.id) as ChunkRow[];
      return this.#writeObject({
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
    const prefix = options.prefix ?? '';
    const delimiter = options.delimiter === '' ? undefined : options.delimiter;
    const maxKeys = options.maxKeys ?? maxListKeys;
    if (!Number.isInteger(maxKeys) || maxKeys < 0 || maxKeys > maxListKeys) throw new ObjectError('invalid_argument', `maxKeys must be an integer from 0 to ${maxListKeys}, got ${maxKeys}`);
    const cursor: ListCursor | undefined = options.continuationToken !== undefined
      ? decodeContinuationToken(options.continuationToken)
      : options.startAfter ? { after: 'key', key: Buffer.from(options.startAfter) } : undefined;
    this.#requireBucket(bucket);

    const prefixBytes = Buffer.from(prefix);
    const upper = prefixUpperBound(prefixBytes);
    // The next row to look at: key >= from (inclusive) or key > from (exclusive).
    let from: Buffer = prefixBytes;
    let inclusive = true;
    if (cursor?.after === 'key' && Buffer.compare(cursor.key, prefixBytes) >= 0) [from, inclusive] = [cursor.key, false];
    if (cursor?.after === 'prefix') {
      const past = prefixUpperBound(cursor.prefix);
      if (!past) return { objects: [], commonPrefixes: [], isTruncated: false };
      if (Buffer.compare(past, prefixBytes) > 0) [from, inclusive] = [past, true];
    }

    const objects: ObjectInfo[] = [];
    const commonPrefixes: string[] = [];
    let last: ListCursor | undefined;
    const next = (limit: number) => ((inclusive ? this.#sql.listFrom : this.#sql.listAfter).all(bucket, from, limit) as ObjectRow[])
      .filter((row) => upper === null || Buffer.compare(row.key, upper) < 0);
    scan: while (objects.length + commonPrefixes.length < maxKeys) {
      const rows = next(maxKeys - objects.length - commonPrefixes.length);
      if (rows.length === 0) break;
      for (const row of rows) {
        const key = row.key.toString('utf8');
        const at = delimiter === undefined ? -1 : key.indexOf(delimiter, prefix.length);
        if (at === -1) {
          objects.push(objectInfoOf(row));
          last = { after: 'key', key: row.key };
          [from, inclusive] = [row.key, false];
          if (objects.length + commonPrefixes.length >= maxKeys) break scan;
          continue;
        }
        // Roll every key under this prefix into one entry, and continue past all of them. A prefix
        // that does not sort after start-after was listed before it (S3's rule, which makes a
        // ListObjects v1 marker that is a common prefix work).
        const common = Buffer.from(key.slice(0, at + delimiter!.length));
        const past = prefixUpperBound(common);
        if (cursor?.after !== 'key' || Buffer.compare(common, cursor.key) > 0) {
          commonPrefixes.push(common.toString('utf8'));
          last = { after: 'prefix', prefix: common };
        }
        if (!past) break scan;
        [from, inclusive] = [past, true];
        continue scan;
      }
    }
    const isTruncated = last !== undefined && objects.length + commonPrefixes.length >= maxKeys && next(1).length > 0;
    return { objects, commonPrefixes, isTruncated, ...(isTruncated ? { nextContinuationToken: encodeContinuationToken(last!) } : {}) };
  }

  // ---- multipart uploads ----

  async createMultipartUpload(bucket: string, key: string, options: ObjectWriteOptions = {}): Promise<string> {
    parseBucketName(bucket);
    parseObjectKey(key);
    const contentType = parseContentType(options.contentType);
    const metadata = parseMetadata(options.metadata, this.#limits.maxMetadataBytes);
    const uploadId = randomBytes(uploadIdBytes).toString('base64url');
    this.#transaction(() => {
      this.#requireBucket(bucket);
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
    this.#checkDeclaredLength(options.contentLength, this.#limits.maxPartBytes);
    this.#requireUpload(bucket, key, uploadId);
    this.#admitDeclared(options.contentLength);
    const staged = await this.#stage(body, this.#limits.maxPartBytes, options);
    const md5 = staged.md5.toString('hex');
    const lastModified = this.#clock.now();
    return this.#commitWithBlob(staged, () => {
      this.#requireUpload(bucket, key, uploadId); // aborted or completed while the part arrived?
      const old = this.#sql.part.get(uploadId, partNumber) as PartRow | undefined;
      this.#ref(staged.sha256, staged.size);
      if (old) this.#deref(old.digest);
      this.#addUsage(staged.size - (old?.size ?? 0));
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
    return this.#transaction(() => {
      const upload = this.#requireUpload(bucket, key, uploadId);
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
      const info = this.#writeObject({
        bucket,
        key,
        etag: multipartEtag(chosen.map((p) => p.md5)),
        contentType: upload.content_type,
        metadata: JSON.parse(upload.metadata) as Record<string, string>,
        chunks: chosen.map((p) => ({ digest: p.digest, size: p.size })),
      }, 'multipart');
      this.#dropUpload(uploadId); // after the object took its references: used parts keep their files
      return info;
    });
  }

  async abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    parseBucketName(bucket);
    parseObjectKey(key);
    this.#transaction(() => {
      this.#requireUpload(bucket, key, uploadId);
      this.#dropUpload(uploadId);
    });
  }

  async listParts(bucket: string, key: string, uploadId: string, options: ListPartsOptions = {}): Promise<PartListing> {
    parseBucketName(bucket);
    parseObjectKey(key);
    const maxParts = options.maxParts ?? maxListKeys;
    if (!Number.isInteger(maxParts) || maxParts < 0 || maxParts > maxListKeys) throw new ObjectError('invalid_argument', `maxParts must be an integer from 0 to ${maxListKeys}, got ${maxParts}`);
    this.#requireUpload(bucket, key, uploadId);
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
    this.#transaction(() => {
      for (const id of ids) this.#sql.deleteEvent.run(id);
    });
  }

  async usage(): Promise<{ readonly bytes: number; readonly quotaBytes: number | null }> {
    return { bytes: (this.#sql.usage.get() as { bytes: number }).bytes, quotaBytes: this.#limits.quotaBytes };
  }

  async close(): Promise<void> {
    await Promise.all([...this.#removals]);
    this.#db.close();
  }

  // ---- the write path's parts ----

  #checkDeclaredLength(contentLength: number | undefined, limit: number): void {
    if (contentLength === undefined) return;
    if (!Number.isSafeInteger(contentLength) || contentLength < 0) throw new ObjectError('invalid_argument', `content length must be a non-negative integer, got ${contentLength}`);
    if (contentLength > limit) throw new ObjectError('entity_too_large', `the body is ${contentLength} bytes; at most ${limit}`, { limit });
  }

  #admitDeclared(contentLength: number | undefined): void {
    if (contentLength !== undefined) this.#admit(contentLength);
  }

  #admit(bytes: number): void {
    if (!this.#admitBytes) return;
    try {
      this.#admitBytes(bytes);
    } catch (err) {
      throw new ObjectError('storage_full', (err as Error).message, { bytes });
    }
  }

  /** The body, in a synced temporary file, checked against what the client declared; nothing is kept when a check fails. */
  async #stage(body: ObjectBody, maxBytes: number, checks: BodyChecks): Promise<StagedBlob> {
    const staged = await this.#blobs.stage(body, maxBytes);
    try {
      if (checks.contentLength !== undefined && staged.size !== checks.contentLength) {
        throw new ObjectError('incomplete_body', `the body is ${staged.size} bytes, not the ${checks.contentLength} announced`);
      }
      if (checks.contentMd5 !== undefined && checks.contentMd5 !== staged.md5.toString('base64')) {
        throw new ObjectError('bad_digest', 'the Content-MD5 you specified did not match what was received', { digest: 'md5' });
      }
      if (checks.sha256Hex !== undefined && checks.sha256Hex.toLowerCase() !== staged.sha256) {
        throw new ObjectError('bad_digest', 'the SHA-256 you specified did not match what was received', { digest: 'sha256' });
      }
      // A body of undeclared length is only known once staged (the staging file is removed if refused).
      if (checks.contentLength === undefined) this.#admit(staged.size);
    } catch (err) {
      await this.#blobs.discard(staged);
      throw err;
    }
    return staged;
  }

  /** Steps (2) and (3): the file in place and the transaction that references it, under the digest's lock. */
  async #commitWithBlob<T>(staged: StagedBlob, commit: () => T): Promise<T> {
    return this.#blobs.withLock(staged.sha256, async () => {
      const present = this.#referenced(staged.sha256);
      await this.#blobs.install(staged, present);
      try {
        return this.#transaction(commit);
      } catch (err) {
        // Rolled back: if nothing else references the content, the file just put in place is garbage.
        if (!present) await this.#blobs.removeHeld(staged.sha256, () => this.#referenced(staged.sha256)).catch(() => undefined);
        throw err;
      }
    });
  }

  /** One IMMEDIATE transaction; afterwards, content it freed is unlinked and an outbox relay woken. */
  #transaction<T>(body: () => T): T {
    this.#freed = [];
    this.#eventsWritten = false;
    this.#usageDelta = 0;
    const result = this.#db.transaction(() => {
      const value = body();
      this.#enforceQuota();
      return value;
    }).immediate();
    for (const digest of this.#freed) {
      // Not awaited: a reader or a new write of the same content may still hold it (BlobFiles decides).
      const removal = this.#blobs.remove(digest, () => this.#referenced(digest)).finally(() => this.#removals.delete(removal));
      this.#removals.add(removal);
    }
    this.#freed = [];
    if (this.#eventsWritten) this.#onEvents?.();
    return result;
  }

  #writeObject(
    object: { bucket: string; key: string; etag: string; contentType: string; metadata: Record<string, string>; chunks: readonly ChunkRow[] },
    cause: 'put' | 'copy' | 'multipart',
  ): ObjectInfo {
    const keyBytes = Buffer.from(object.key);
    const size = object.chunks.reduce((sum, c) => sum + c.size, 0);
    const lastModified = this.#clock.now();
    // References first, then the old object's release: content shared by both never drops to zero.
    for (const chunk of object.chunks) this.#ref(chunk.digest, chunk.size);
    const old = this.#sql.object.get(object.bucket, keyBytes) as ObjectRow | undefined;
    if (old) this.#dropObject(old);
    this.#addUsage(size);
    const metadataJson = JSON.stringify(object.metadata);
    const id = Number(this.#sql.insertObject.run(object.bucket, keyBytes, size, object.etag, object.contentType, metadataJson, lastModified).lastInsertRowid);
    object.chunks.forEach((chunk, seq) => this.#sql.insertChunk.run(id, seq, chunk.digest, chunk.size));
    this.#record({ kind: 'created', cause, bucket: object.bucket, key: object.key, size, etag: object.etag, time: lastModified });
    return { bucket: object.bucket, key: object.key, size, etag: object.etag, contentType: object.contentType, metadata: object.metadata, lastModified };
  }

  #dropObject(row: ObjectRow): void {
    for (const chunk of this.#sql.chunks.all(row.id) as ChunkRow[]) this.#deref(chunk.digest);
    this.#sql.deleteChunks.run(row.id);
    this.#sql.deleteObject.run(row.id);
    this.#addUsage(-row.size);
  }

  #dropUpload(uploadId: string): void {
    for (const part of this.#sql.parts.all(uploadId) as PartRow[]) {
      this.#deref(part.digest);
      this.#addUsage(-part.size);
    }
    this.#sql.deleteParts.run(uploadId);
    this.#sql.deleteUpload.run(uploadId);
  }

  #ref(digest: string, size: number): void {
    this.#sql.ref.run(digest, size);
  }

  #deref(digest: string): void {
    if (this.#sql.deref.run(digest).changes > 0) return;
    if (this.#sql.dropBlob.run(digest).changes > 0) this.#freed.push(digest);
  }

  #referenced(digest: string): boolean {
    return this.#sql.blob.get(digest) !== undefined;
  }

  #addUsage(delta: number): void {
    if (delta === 0) return;
    this.#sql.addUsage.run(delta);
    this.#usageDelta += delta;
  }

  /** A transaction that grows the usage past the quota fails whole; one that shrinks it always passes. */
  #enforceQuota(): void {
    const quota = this.#limits.quotaBytes;
    if (quota === null || this.#usageDelta <= 0) return;
    const { bytes } = this.#sql.usage.get() as { bytes: number };
    if (bytes > quota) throw new ObjectError('quota_exceeded', `storing this would use ${bytes} bytes; the quota is ${quota}`, { limit: quota });
  }

  #record(change: ObjectChange): void {
    if (!this.#recordEvent?.(change)) return;
    this.#sql.insertEvent.run(randomUUID(), change.kind, change.cause, change.bucket, change.key, change.size, change.etag, change.time);
    this.#eventsWritten = true;
  }

  #requireBucket(bucket: string): void {
    if (!this.#sql.bucket.get(bucket)) throw new ObjectError('no_such_bucket', `no bucket "${bucket}"`, { bucket });
  }

  #requireUpload(bucket: string, key: string, uploadId: string): UploadRow {
    this.#requireBucket(bucket);
    const upload = typeof uploadId === 'string' ? (this.#sql.upload.get(uploadId) as UploadRow | undefined) : undefined;
    if (!upload || upload.bucket !== bucket || upload.key.toString('utf8') !== key) {
      throw new ObjectError('no_such_upload', `no multipart upload "${uploadId}" of "${key}" in bucket "${bucket}"`, { uploadId: String(uploadId) });
    }
    return upload;
  }
}

function objectInfoOf(row: ObjectRow): ObjectInfo {
  return {
    bucket: row.bucket,
    key: row.key.toString('utf8'),
    size: row.size,
    etag: row.etag,
    contentType: row.content_type,
    metadata: JSON.parse(row.metadata) as Record<string, string>,
    lastModified: row.last_modified,
  };
}

function partInfoOf(row: PartRow): PartInfo {
  return { partNumber: row.part_number, size: row.size, etag: row.md5, lastModified: row.last_modified };
}

/** HTTP's rules (RFC 9110 §14.1.2): an end past the object is clipped; a start past it is unsatisfiable. */
export function resolveRange(range: ByteRange | undefined, size: number): { start: number; end: number } {
  if (range === undefined) return { start: 0, end: size - 1 };
  if ('suffix' in range) {
    if (!Number.isSafeInteger(range.suffix) || range.suffix < 0) throw new ObjectError('invalid_argument', `a suffix range needs a non-negative length, got ${range.suffix}`);
    if (range.suffix === 0 || size === 0) throw new ObjectError('invalid_range', 'the requested range is not satisfiable', { size });
    return { start: Math.max(0, size - range.suffix), end: size - 1 };
  }
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0 || (end !== undefined && (!Number.isSafeInteger(end) || end < start))) {
    throw new ObjectError('invalid_argument', `not a byte range: ${start}-${end ?? ''}`);
  }
  if (start >= size) throw new ObjectError('invalid_range', 'the requested range is not satisfiable', { size });
  return { start, end: Math.min(end ?? size - 1, size - 1) };
}
