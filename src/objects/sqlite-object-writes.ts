// The embedded object store's write path (sqlite-object-store.ts), one object at a time: (1) the
// body streams into a temporary file, hashed (SHA-256 for its name, MD5 for the ETag) and checked
// against the client's digests and length; the file is synced. (2) Under the digest's lock
// (BlobFiles) it is renamed to its content path (or dropped when that content is already stored)
// and its folder synced. (3) One SQLite transaction replaces the object's row, counts the
// references, updates the usage and, when `recordEvent` says so, writes the event: the object and
// its event commit together or not at all. (4) Content nothing references any more is unlinked
// after the commit. A crash before (3) leaves a file no row references, removed at the next start
// (`open` sweeps); a crash after (3) leaves the object whole.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Clock } from '../queue/clock.js';
import type { BlobFiles, StagedBlob } from './blob-files.js';
import { ObjectError } from './object-error.js';
import type { ObjectLimits } from './object-limits.js';
import type { BodyChecks, ObjectBody, ObjectChange, ObjectInfo } from './object-store.js';
import type { ChunkRow, ObjectRow, PartRow, Statements, UploadRow } from './sqlite-object-schema.js';

export interface SqliteObjectWritesOptions {
  readonly db: Database.Database;
  readonly sql: Statements;
  readonly blobs: BlobFiles;
  readonly clock: Clock;
  readonly limits: ObjectLimits;
  /** SqliteObjectStoreOptions.admitBytes: the disk budget, asked before a body's bytes are kept. */
  readonly admitBytes: ((bytes: number) => void) | undefined;
  /** SqliteObjectStoreOptions.recordEvent: asked inside each commit whether to write its change to the outbox. */
  readonly recordEvent: ((change: ObjectChange) => boolean) | undefined;
  /** SqliteObjectStoreOptions.onEvents: told after a commit that wrote events. */
  readonly onEvents: (() => void) | undefined;
}

export class SqliteObjectWrites {
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

  constructor(options: SqliteObjectWritesOptions) {
    this.#db = options.db;
    this.#sql = options.sql;
    this.#blobs = options.blobs;
    this.#clock = options.clock;
    this.#limits = options.limits;
    this.#admitBytes = options.admitBytes;
    this.#recordEvent = options.recordEvent;
    this.#onEvents = options.onEvents;
  }

  /** Resolves once the unlinking of freed content under way is done (the store's close waits for it). */
  async settled(): Promise<void> {
    await Promise.all([...this.#removals]);
  }

  checkDeclaredLength(contentLength: number | undefined, limit: number): void {
    if (contentLength === undefined) return;
    if (!Number.isSafeInteger(contentLength) || contentLength < 0) throw new ObjectError('invalid_argument', `content length must be a non-negative integer, got ${contentLength}`);
    if (contentLength > limit) throw new ObjectError('entity_too_large', `the body is ${contentLength} bytes; at most ${limit}`, { limit });
  }

  admitDeclared(contentLength: number | undefined): void {
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
  async stage(body: ObjectBody, maxBytes: number, checks: BodyChecks): Promise<StagedBlob> {
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
  async commitWithBlob<T>(staged: StagedBlob, commit: () => T): Promise<T> {
    return this.#blobs.withLock(staged.sha256, async () => {
      const present = this.referenced(staged.sha256);
      await this.#blobs.install(staged, present);
      try {
        return this.transaction(commit);
      } catch (err) {
        // Rolled back: if nothing else references the content, the file just put in place is garbage.
        if (!present) await this.#blobs.removeHeld(staged.sha256, () => this.referenced(staged.sha256)).catch(() => undefined);
        throw err;
      }
    });
  }

  /** One IMMEDIATE transaction; afterwards, content it freed is unlinked and an outbox relay woken. */
  transaction<T>(body: () => T): T {
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
      const removal = this.#blobs.remove(digest, () => this.referenced(digest)).finally(() => this.#removals.delete(removal));
      this.#removals.add(removal);
    }
    this.#freed = [];
    if (this.#eventsWritten) this.#onEvents?.();
    return result;
  }

  writeObject(
    object: { bucket: string; key: string; etag: string; contentType: string; metadata: Record<string, string>; chunks: readonly ChunkRow[] },
    cause: 'put' | 'copy' | 'multipart',
  ): ObjectInfo {
    const keyBytes = Buffer.from(object.key);
    const size = object.chunks.reduce((sum, c) => sum + c.size, 0);
    const lastModified = this.#clock.now();
    // References first, then the old object's release: content shared by both never drops to zero.
    for (const chunk of object.chunks) this.ref(chunk.digest, chunk.size);
    const old = this.#sql.object.get(object.bucket, keyBytes) as ObjectRow | undefined;
    if (old) this.dropObject(old);
    this.addUsage(size);
    const metadataJson = JSON.stringify(object.metadata);
    const id = Number(this.#sql.insertObject.run(object.bucket, keyBytes, size, object.etag, object.contentType, metadataJson, lastModified).lastInsertRowid);
    object.chunks.forEach((chunk, seq) => this.#sql.insertChunk.run(id, seq, chunk.digest, chunk.size));
    this.record({ kind: 'created', cause, bucket: object.bucket, key: object.key, size, etag: object.etag, time: lastModified });
    return { bucket: object.bucket, key: object.key, size, etag: object.etag, contentType: object.contentType, metadata: object.metadata, lastModified };
  }

  dropObject(row: ObjectRow): void {
    for (const chunk of this.#sql.chunks.all(row.id) as ChunkRow[]) this.deref(chunk.digest);
    this.#sql.deleteChunks.run(row.id);
    this.#sql.deleteObject.run(row.id);
    this.addUsage(-row.size);
  }

  dropUpload(uploadId: string): void {
    for (const part of this.#sql.parts.all(uploadId) as PartRow[]) {
      this.deref(part.digest);
      this.addUsage(-part.size);
    }
    this.#sql.deleteParts.run(uploadId);
    this.#sql.deleteUpload.run(uploadId);
  }

  ref(digest: string, size: number): void {
    this.#sql.ref.run(digest, size);
  }

  deref(digest: string): void {
    if (this.#sql.deref.run(digest).changes > 0) return;
    if (this.#sql.dropBlob.run(digest).changes > 0) this.#freed.push(digest);
  }

  referenced(digest: string): boolean {
    return this.#sql.blob.get(digest) !== undefined;
  }

  addUsage(delta: number): void {
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

  record(change: ObjectChange): void {
    if (!this.#recordEvent?.(change)) return;
    this.#sql.insertEvent.run(randomUUID(), change.kind, change.cause, change.bucket, change.key, change.size, change.etag, change.time);
    this.#eventsWritten = true;
  }

  requireBucket(bucket: string): void {
    if (!this.#sql.bucket.get(bucket)) throw new ObjectError('no_such_bucket', `no bucket "${bucket}"`, { bucket });
  }

  requireUpload(bucket: string, key: string, uploadId: string): UploadRow {
    this.requireBucket(bucket);
    const upload = typeof uploadId === 'string' ? (this.#sql.upload.get(uploadId) as UploadRow | undefined) : undefined;
    if (!upload || upload.bucket !== bucket || upload.key.toString('utf8') !== key) {
      throw new ObjectError('no_such_upload', `no multipart upload "${uploadId}" of "${key}" in bucket "${bucket}"`, { uploadId: String(uploadId) });
    }
    return upload;
  }
}
