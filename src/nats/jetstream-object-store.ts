// The ObjectStore port (S3 buckets) on NATS JetStream, shared by every host started with `--nats`:
// records (buckets, objects, uploads, parts) in the KV bucket `wasmlet_object_meta`, bytes in the
// object store `wasmlet_object_blobs` (jetstream-object-blobs.ts), recorded changes in the stream
// `wasmlet_object_events` (jetstream-object-events.ts).
//
// A write streams its body into a new blob, checks it, then commits the record by compare-and-swap
// on the key's KV revision (a lost race reads again and retries, so concurrent writes of one key
// end as one whole object, the last commit's) and only then deletes the blobs of the record it
// replaced, after a grace period (`collectRetiredBlobs`: a reader on another host may be streaming
// them). A crash before the commit leaves an unnamed blob (space, never a wrong object), which
// `collectOrphanBlobs` takes later. What differs from the embedded store, by
// JetStream's design: the quota, listing and `deleteBucket`'s emptiness check read every key they
// cover (fine for thousands of objects, not millions), and the quota is checked before the commit,
// not in it, so two hosts writing at once can pass it by a little; a copy copies the bytes; a
// ranged read streams the blob from its start and drops the bytes before the range.
import { randomBytes } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import type { KV, KvEntry } from '@nats-io/kv';
import { Objm } from '@nats-io/obj';
import { systemClock, type Clock } from '../queue/clock.js';
import { multipartEtag, normalizeEtag } from '../objects/etag.js';
import { ObjectError } from '../objects/object-error.js';
import { maxListKeys, resolveObjectLimits, type ObjectLimits } from '../objects/object-limits.js';
import { parseBucketName, parseContentType, parseMetadata, parseObjectKey } from '../objects/object-names.js';
import type {
  BodyChecks, BucketInfo, CompletedPart, CopyObjectOptions, GetObjectOptions, ListObjectsOptions, ListPartsOptions, ObjectAddress, ObjectBody,
  ObjectChange, ObjectEvent, ObjectInfo, ObjectListing, ObjectRead, ObjectStore, ObjectWriteOptions, PartInfo, PartListing, PutObjectOptions,
} from '../objects/object-store.js';
import { resolveRange } from '../objects/byte-range.js';
import { apiTimeoutMs, jetstreamClientOf, kvmOf } from './jetstream-clients.js';
import { natsError } from './jetstream-errors.js';
import { JetStreamBlobs, type BlobRef, type WrittenBlob } from './jetstream-object-blobs.js';
import { JetStreamObjectEvents } from './jetstream-object-events.js';
import { cursorOf, pageOfKeys } from './jetstream-object-listing.js';
import {
  lastToken, objectBlobBucket, objectMetaBucket, recordKeys, type BucketRecord, type ObjectRecord, type PartRecord, type RetiredRecord, type UploadRecord,
} from './jetstream-object-records.js';
import { isKvConflict } from './kv-conflict.js';

export interface JetStreamObjectStoreOptions {
  readonly connection: NatsConnection;
  readonly replicas?: number;
  readonly clock?: Clock;
  readonly limits?: Partial<ObjectLimits>;
  /** Called once per committed change, after its commit: true publishes its event (see jetstream-object-events.ts). */
  readonly recordEvent?: (change: ObjectChange) => boolean;
  /** Told that events were published, so a relay can look at once. */
  readonly onEvents?: () => void;
  /** This host's events, as opposed to another's (see jetstream-object-events.ts); stable across restarts. Default `local`. */
  readonly eventSource?: string;
  /** Told when an event could not be published after its change committed (it is lost). */
  readonly log?: (line: string) => void;
}

/** A record read with the revision to compare-and-swap against (0: never written; a deleted key keeps its delete marker's). */
interface Versioned<T> {
  readonly value: T | undefined;
  readonly revision: number;
}

const uploadIdPattern = /^[0-9a-f]{48}$/;
/** Records fetched at once when a listing or the usage reads many. */
const readConcurrency = 64;
const eventPublishAttempts = 3;
const defaultOrphanGraceMs = 60 * 60 * 1000;
const defaultRetiredGraceMs = 15 * 60 * 1000;

export class JetStreamObjectStore implements ObjectStore {
  readonly #kv: KV;
  readonly #blobs: JetStreamBlobs;
  readonly #events: JetStreamObjectEvents;
  readonly #clock: Clock;
  readonly #limits: ObjectLimits;
  readonly #options: JetStreamObjectStoreOptions;

  private constructor(kv: KV, blobs: JetStreamBlobs, events: JetStreamObjectEvents, options: JetStreamObjectStoreOptions) {
    this.#kv = kv;
    this.#blobs = blobs;
    this.#events = events;
    this.#clock = options.clock ?? systemClock;
    this.#limits = resolveObjectLimits(options.limits);
    this.#options = options;
  }

  /** Creates (or opens) the bucket, the object store and the event stream; `nats_unavailable` when NATS does not answer. */
  static async open(options: JetStreamObjectStoreOptions): Promise<JetStreamObjectStore> {
    const replicas = options.replicas ?? 1;
    try {
      const kv = await kvmOf(options.connection).create(objectMetaBucket, { replicas, history: 1, allow_direct: false });
      const blobs = await new Objm(jetstreamClientOf(options.connection)).create(objectBlobBucket, { replicas });
      const events = await JetStreamObjectEvents.open(options.connection, replicas, options.eventSource ?? 'local');
      return new JetStreamObjectStore(kv, new JetStreamBlobs(blobs), events, options);
    } catch (err) {
      throw natsError('cannot open the object store on JetStream', err);
    }
  }

  get limits(): ObjectLimits {
    return this.#limits;
  }

  // ---- buckets ----

  async createBucket(bucket: string): Promise<BucketInfo> {
    parseBucketName(bucket);
    const createdAt = this.#clock.now();
    const current = await this.#read<BucketRecord>(recordKeys.bucket(bucket));
    if (current.value) throw bucketExists(bucket);
    try {
      await this.#write(recordKeys.bucket(bucket), { createdAt } satisfies BucketRecord, current.revision);
    } catch (err) {
      if (isKvConflict(err)) throw bucketExists(bucket);
      throw err;
    }
    return { name: bucket, createdAt };
  }

  async deleteBucket(bucket: string): Promise<void> {
    parseBucketName(bucket);
    await this.#requireBucket(bucket);
    if ((await this.#keys(recordKeys.objectsOf(bucket))).length > 0) throw new ObjectError('bucket_not_empty', `bucket "${bucket}" is not empty`, { bucket });
    for (const uploadKey of await this.#keys(recordKeys.uploadsOf(bucket))) await this.#dropUpload(bucket, lastToken(uploadKey), []);
    await this.#nats('delete the bucket', () => this.#kv.delete(recordKeys.bucket(bucket)));
  }

  async headBucket(bucket: string): Promise<BucketInfo | null> {
    parseBucketName(bucket);
    const record = (await this.#read<BucketRecord>(recordKeys.bucket(bucket))).value;
    return record ? { name: bucket, createdAt: record.createdAt } : null;
  }

  async listBuckets(): Promise<BucketInfo[]> {
    const names = (await this.#keys(recordKeys.allBuckets)).map(recordKeys.bucketOfKey).sort();
    const records = await this.#readMany<BucketRecord>(names.map(recordKeys.bucket));
    return names.flatMap((name, i) => (records[i] ? [{ name, createdAt: records[i]!.createdAt }] : []));
  }

  // ---- objects ----

  async putObject(bucket: string, key: string, body: ObjectBody, options: PutObjectOptions = {}): Promise<ObjectInfo> {
    parseBucketName(bucket);
    parseObjectKey(key);
    const contentType = parseContentType(options.contentType);
    const metadata = parseMetadata(options.metadata, this.#limits.maxMetadataBytes);
    checkDeclaredLength(options.contentLength, this.#limits.maxPutObjectBytes);
    await this.#requireBucket(bucket); // before reading a byte of the body
    const blob = await this.#writeChecked(body, this.#limits.maxPutObjectBytes, options);
    const record: ObjectRecord = {
      size: blob.size, etag: blob.md5.toString('hex'), contentType, metadata, lastModified: this.#clock.now(), blobs: [{ name: blob.name, size: blob.size }],
    };
    try {
      return await this.#commitObject(bucket, key, record, 'put');
    } catch (err) {
      this.#blobs.remove([blob.name]);
      throw err;
    }
  }

  async getObject(bucket: string, key: string, options: GetObjectOptions = {}): Promise<ObjectRead | null> {
    parseBucketName(bucket);
    parseObjectKey(key);
    await this.#requireBucket(bucket);
    const record = (await this.#read<ObjectRecord>(recordKeys.object(bucket, key))).value;
    if (!record) return null;
    const { start, end } = resolveRange(options.range, record.size);
    return { info: infoOf(bucket, key, record), start, end, body: this.#blobs.stream(record.blobs, start, end) };
  }

  async headObject(bucket: string, key: string): Promise<ObjectInfo | null> {
    parseBucketName(bucket);
    parseObjectKey(key);
    await this.#requireBucket(bucket);
    const record = (await this.#read<ObjectRecord>(recordKeys.object(bucket, key))).value;
    return record ? infoOf(bucket, key, record) : null;
  }

  async deleteObject(bucket: string, key: string): Promise<boolean> {
    parseBucketName(bucket);
    parseObjectKey(key);
    await this.#requireBucket(bucket);
    for (;;) {
      const old = await this.#read<ObjectRecord>(recordKeys.object(bucket, key));
      if (!old.value) return false;
      try {
        await this.#nats('delete the object', () => this.#kv.delete(recordKeys.object(bucket, key), { previousSeq: old.revision }));
      } catch (err) {
        if (isKvConflict(err)) continue; // written meanwhile: delete what is there now
        throw err;
      }
      await this.#retire(old.value.blobs);
      await this.#record({ kind: 'deleted', cause: 'delete', bucket, key, size: old.value.size, etag: old.value.etag, time: this.#clock.now() }, old.revision);
      return true;
    }
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
    await this.#requireBucket(source.bucket);
    const from = (await this.#read<ObjectRecord>(recordKeys.object(source.bucket, source.key))).value;
    if (!from) throw new ObjectError('no_such_key', `no object "${source.key}" in bucket "${source.bucket}"`, { bucket: source.bucket, key: source.key });
    await this.#requireBucket(target.bucket);
    await this.#checkQuota(from.size); // before copying bytes that could not be kept
    const blob = await this.#nats('copy the object', () => this.#blobs.copy(from.blobs, Number.MAX_SAFE_INTEGER));
    const record: ObjectRecord = {
      size: blob.size, etag: from.etag, contentType: contentType ?? from.contentType, metadata: metadata ?? from.metadata, lastModified: this.#clock.now(),
      blobs: [{ name: blob.name, size: blob.size }],
    };
    try {
      return await this.#commitObject(target.bucket, target.key, record, 'copy');
    } catch (err) {
      this.#blobs.remove([blob.name]);
      throw err;
    }
  }

  async listObjects(bucket: string, options: ListObjectsOptions = {}): Promise<ObjectListing> {
    parseBucketName(bucket);
    const maxKeys = options.maxKeys ?? maxListKeys;
    if (!Number.isInteger(maxKeys) || maxKeys < 0 || maxKeys > maxListKeys) throw new ObjectError('invalid_argument', `maxKeys must be an integer from 0 to ${maxListKeys}, got ${maxKeys}`);
    cursorOf(options); // a bad token is refused before anything is read
    await this.#requireBucket(bucket);
    const sorted = (await this.#keys(recordKeys.objectsOf(bucket))).map(lastToken).sort().map((hex) => Buffer.from(hex, 'hex'));
    const page = pageOfKeys(sorted, {
      prefix: options.prefix ?? '', delimiter: options.delimiter === '' ? undefined : options.delimiter, maxKeys, startAfter: options.startAfter, continuationToken: options.continuationToken,
    });
    const records = await this.#readMany<ObjectRecord>(page.keys.map((key) => recordKeys.object(bucket, key)));
    // A key deleted between the key listing and its read is left out, as if listed a moment later.
    const objects = page.keys.flatMap((key, i) => (records[i] ? [infoOf(bucket, key, records[i]!)] : []));
    return { objects, commonPrefixes: page.commonPrefixes, isTruncated: page.isTruncated, ...(page.nextContinuationToken ? { nextContinuationToken: page.nextContinuationToken } : {}) };
  }

  // ---- multipart uploads ----

  async createMultipartUpload(bucket: string, key: string, options: ObjectWriteOptions = {}): Promise<string> {
    parseBucketName(bucket);
    parseObjectKey(key);
    const contentType = parseContentType(options.contentType);
    const metadata = parseMetadata(options.metadata, this.#limits.maxMetadataBytes);
    await this.#requireBucket(bucket);
    const uploadId = randomBytes(24).toString('hex');
    await this.#write(recordKeys.upload(bucket, uploadId), { key, contentType, metadata, createdAt: this.#clock.now() } satisfies UploadRecord, 0);
    return uploadId;
  }

  async uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: ObjectBody, options: BodyChecks = {}): Promise<PartInfo> {
    parseBucketName(bucket);
    parseObjectKey(key);
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > this.#limits.maxParts) {
      throw new ObjectError('invalid_argument', `part number must be an integer from 1 to ${this.#limits.maxParts}, got ${partNumber}`);
    }
    checkDeclaredLength(options.contentLength, this.#limits.maxPartBytes);
    await this.#requireUpload(bucket, key, uploadId);
    const blob = await this.#writeChecked(body, this.#limits.maxPartBytes, options);
    const part: PartRecord = { size: blob.size, md5: blob.md5.toString('hex'), lastModified: this.#clock.now(), blob: blob.name };
    const partKey = recordKeys.part(bucket, uploadId, partNumber);
    try {
      for (;;) {
        await this.#requireUpload(bucket, key, uploadId); // aborted or completed while the part arrived?
        const old = await this.#read<PartRecord>(partKey);
        await this.#checkQuota(part.size - (old.value?.size ?? 0));
        try {
          await this.#write(partKey, part, old.revision);
        } catch (err) {
          if (isKvConflict(err)) continue; // the same part number uploaded at once: the last commit wins
          throw err;
        }
        if (old.value) this.#blobs.remove([old.value.blob]);
        return { partNumber, size: part.size, etag: part.md5, lastModified: part.lastModified };
      }
    } catch (err) {
      this.#blobs.remove([blob.name]);
      throw err;
    }
  }

  async completeMultipartUpload(bucket: string, key: string, uploadId: string, parts: readonly CompletedPart[]): Promise<ObjectInfo> {
    parseBucketName(bucket);
    parseObjectKey(key);
    if (parts.length === 0) throw new ObjectError('invalid_argument', 'a multipart upload is completed with at least one part');
    for (let i = 1; i < parts.length; i++) {
      if (parts[i]!.partNumber <= parts[i - 1]!.partNumber) throw new ObjectError('invalid_part_order', 'the parts must be listed in ascending part-number order, each once');
    }
    const upload = await this.#requireUpload(bucket, key, uploadId);
    const records = await this.#readMany<PartRecord>(parts.map((p) => recordKeys.part(bucket, uploadId, p.partNumber)));
    const chosen = parts.map((wanted, i) => {
      const part = records[i];
      if (!part || normalizeEtag(wanted.etag) !== part.md5) {
        throw new ObjectError('invalid_part', `part ${wanted.partNumber} ${part ? 'has another ETag' : 'was not uploaded'}`, { partNumber: wanted.partNumber });
      }
      if (i < parts.length - 1 && part.size < this.#limits.minPartBytes) {
        throw new ObjectError('entity_too_small', `part ${wanted.partNumber} is ${part.size} bytes; every part but the last must be at least ${this.#limits.minPartBytes}`, {
          partNumber: wanted.partNumber,
          limit: this.#limits.minPartBytes,
        });
      }
      return part;
    });
    // Claim the upload first (delete its record by compare-and-swap): of two completions at once, one wins.
    try {
      await this.#nats('complete the upload', () => this.#kv.delete(recordKeys.upload(bucket, uploadId), { previousSeq: upload.revision }));
    } catch (err) {
      if (isKvConflict(err)) throw noSuchUpload(bucket, key, uploadId);
      throw err;
    }
    const size = chosen.reduce((sum, p) => sum + p.size, 0);
    const record: ObjectRecord = {
      size, etag: multipartEtag(chosen.map((p) => p.md5)), contentType: upload.value.contentType, metadata: upload.value.metadata, lastModified: this.#clock.now(),
      blobs: chosen.map((p) => ({ name: p.blob, size: p.size })),
    };
    let info: ObjectInfo;
    try {
      // The parts move to the object: their bytes count once, so the quota sees no growth.
      info = await this.#commitObject(bucket, key, record, 'multipart', size);
    } catch (err) {
      await this.#kv.put(recordKeys.upload(bucket, uploadId), JSON.stringify(upload.value)).catch(() => undefined); // usable again
      throw err;
    }
    await this.#dropUpload(bucket, uploadId, chosen.map((p) => p.blob));
    return info;
  }

  async abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    parseBucketName(bucket);
    parseObjectKey(key);
    await this.#requireUpload(bucket, key, uploadId);
    await this.#dropUpload(bucket, uploadId, []);
  }

  async listParts(bucket: string, key: string, uploadId: string, options: ListPartsOptions = {}): Promise<PartListing> {
    parseBucketName(bucket);
    parseObjectKey(key);
    const maxParts = options.maxParts ?? maxListKeys;
    if (!Number.isInteger(maxParts) || maxParts < 0 || maxParts > maxListKeys) throw new ObjectError('invalid_argument', `maxParts must be an integer from 0 to ${maxListKeys}, got ${maxParts}`);
    await this.#requireUpload(bucket, key, uploadId);
    const marker = options.partNumberMarker ?? 0;
    const numbers = (await this.#keys(recordKeys.partsOf(bucket, uploadId))).map((k) => Number(lastToken(k))).filter((n) => n > marker).sort((a, b) => a - b);
    const pageNumbers = numbers.slice(0, maxParts);
    const records = await this.#readMany<PartRecord>(pageNumbers.map((n) => recordKeys.part(bucket, uploadId, n)));
    const page = pageNumbers.flatMap((partNumber, i) => {
      const part = records[i];
      return part ? [{ partNumber, size: part.size, etag: part.md5, lastModified: part.lastModified }] : [];
    });
    const isTruncated = numbers.length > maxParts;
    return { parts: page, isTruncated, ...(isTruncated && page.length > 0 ? { nextPartNumberMarker: page[page.length - 1]!.partNumber } : {}) };
  }

  // ---- outbox and usage ----

  async pendingEvents(limit: number): Promise<ObjectEvent[]> {
    if (!Number.isInteger(limit) || limit < 1) throw new ObjectError('invalid_argument', `limit must be a positive integer, got ${limit}`);
    return this.#nats('read object events', () => this.#events.pending(limit));
  }

  async ackEvents(ids: readonly string[]): Promise<void> {
    await this.#nats('acknowledge object events', () => this.#events.ack(ids));
  }

  async usage(): Promise<{ readonly bytes: number; readonly quotaBytes: number | null }> {
    return { bytes: await this.#usedBytes(), quotaBytes: this.#limits.quotaBytes };
  }

  async close(): Promise<void> {
    await this.#blobs.settle();
  }

  /**
   * Deletes the blobs of replaced or deleted objects whose replacement is older than `graceMs`
   * (default 15 minutes: a reader on another host that opened the object before has that long to
   * finish). Returns how many went.
   */
  async collectRetiredBlobs(options: { graceMs?: number; now?: number } = {}): Promise<number> {
    const retiredBefore = (options.now ?? Date.now()) - (options.graceMs ?? defaultRetiredGraceMs);
    return this.#nats('collect retired object blobs', async () => {
      const keys = await this.#keys(recordKeys.allRetired);
      const marks = await this.#readMany<RetiredRecord>(keys);
      const due = keys.filter((_, i) => marks[i] !== undefined && marks[i]!.at < retiredBefore);
      this.#blobs.remove(due.map(lastToken));
      await this.#blobs.settle();
      for (const key of due) await this.#kv.delete(key);
      return due.length;
    });
  }

  /**
   * Deletes the blobs no record names and that were written more than `graceMs` ago (default 1 hour,
   * far longer than a body takes to reach its commit on any host): a crash between a body and its
   * commit, or a deletion that failed, leaves such blobs. Returns how many went. Not part of the
   * port: the embedded store sweeps its own at open.
   */
  async collectOrphanBlobs(options: { graceMs?: number; now?: number } = {}): Promise<number> {
    const writtenBefore = (options.now ?? Date.now()) - (options.graceMs ?? defaultOrphanGraceMs);
    return this.#nats('collect orphan object blobs', async () => {
      // Blobs are listed after the records: a blob committed meanwhile is younger than the grace period.
      const named = new Set<string>();
      const objects = await this.#readMany<ObjectRecord>(await this.#keys(recordKeys.allObjects));
      for (const record of objects) for (const blob of record?.blobs ?? []) named.add(blob.name);
      const parts = await this.#readMany<PartRecord>(await this.#keys(recordKeys.allParts));
      for (const part of parts) if (part) named.add(part.blob);
      for (const key of await this.#keys(recordKeys.allRetired)) named.add(lastToken(key)); // collectRetiredBlobs' to take
      return (await this.#blobs.removeOrphans(named, writtenBefore)).length;
    });
  }

  // ---- the write path's parts ----

  /** The body as a new blob, checked against what the client declared; nothing is kept when a check fails. */
  async #writeChecked(body: ObjectBody, maxBytes: number, checks: BodyChecks): Promise<WrittenBlob> {
    let blob: WrittenBlob;
    try {
      blob = await this.#blobs.write(body, maxBytes);
    } catch (err) {
      if (err instanceof ObjectError || !isNatsFailure(err)) throw err; // the body's own failure, as it came
      throw natsError('cannot store the object body', err);
    }
    try {
      if (checks.contentLength !== undefined && blob.size !== checks.contentLength) {
        throw new ObjectError('incomplete_body', `the body is ${blob.size} bytes, not the ${checks.contentLength} announced`);
      }
      if (checks.contentMd5 !== undefined && checks.contentMd5 !== blob.md5.toString('base64')) {
        throw new ObjectError('bad_digest', 'the Content-MD5 you specified did not match what was received', { digest: 'md5' });
      }
      if (checks.sha256Hex !== undefined && checks.sha256Hex.toLowerCase() !== blob.sha256Hex) {
        throw new ObjectError('bad_digest', 'the SHA-256 you specified did not match what was received', { digest: 'sha256' });
      }
    } catch (err) {
      this.#blobs.remove([blob.name]);
      throw err;
    }
    return blob;
  }

  /**
   * Makes `record` the object at (bucket, key) by compare-and-swap, then retires the blobs of the
   * record it replaced and publishes the change's event. `alreadyCounted`: bytes of `record` the
   * usage holds already (a completed upload's parts).
   */
  async #commitObject(bucket: string, key: string, record: ObjectRecord, cause: 'put' | 'copy' | 'multipart', alreadyCounted = 0): Promise<ObjectInfo> {
    const objectKey = recordKeys.object(bucket, key);
    for (;;) {
      await this.#requireBucket(bucket); // it may have been deleted while the body arrived
      const old = await this.#read<ObjectRecord>(objectKey);
      await this.#checkQuota(record.size - alreadyCounted - (old.value?.size ?? 0));
      let revision: number;
      try {
        revision = await this.#write(objectKey, record, old.revision);
      } catch (err) {
        if (isKvConflict(err)) continue; // another write of this key committed first: ours replaces it
        throw err;
      }
      if (old.value) await this.#retire(old.value.blobs);
      await this.#record({ kind: 'created', cause, bucket, key, size: record.size, etag: record.etag, time: record.lastModified }, revision);
      return infoOf(bucket, key, record);
    }
  }

  /** Deletes an upload's record and its parts, and the parts' blobs except `kept` (now an object's). */
  async #dropUpload(bucket: string, uploadId: string, kept: readonly string[]): Promise<void> {
    await this.#nats('discard the upload', async () => {
      await this.#kv.delete(recordKeys.upload(bucket, uploadId));
      const partKeys = await this.#keys(recordKeys.partsOf(bucket, uploadId));
      const parts = await this.#readMany<PartRecord>(partKeys);
      for (const partKey of partKeys) await this.#kv.delete(partKey);
      this.#blobs.remove(parts.flatMap((p) => (p && !kept.includes(p.blob) ? [p.blob] : [])));
    });
  }

  /**
   * The blobs of an object just replaced or deleted: a reader on another host may be streaming them
   * (this host's readers pin them), so they are only marked here, and deleted by
   * `collectRetiredBlobs` once the grace period has passed. A failed mark leaves an orphan, which
   * `collectOrphanBlobs` takes later.
   */
  async #retire(blobs: readonly BlobRef[]): Promise<void> {
    const mark = JSON.stringify({ at: Date.now() } satisfies RetiredRecord);
    await Promise.all(blobs.map((blob) => this.#kv.put(recordKeys.retired(blob.name), mark).catch(() => undefined)));
  }

  async #record(change: ObjectChange, revision: number): Promise<void> {
    if (!this.#options.recordEvent?.(change)) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#events.publish(change, revision);
        this.#options.onEvents?.();
        return;
      } catch (err) {
        // The change is committed: failing the write now would only make the client write again.
        if (attempt >= eventPublishAttempts) {
          this.#options.log?.(`object event lost: ${change.kind} ${change.bucket}/${change.key}: ${(err as Error).message}`);
          return;
        }
      }
    }
  }

  async #checkQuota(growth: number): Promise<void> {
    const quota = this.#limits.quotaBytes;
    if (quota === null || growth <= 0) return;
    const bytes = (await this.#usedBytes()) + growth;
    if (bytes > quota) throw new ObjectError('quota_exceeded', `storing this would use ${bytes} bytes; the quota is ${quota}`, { limit: quota });
  }

  /** Bytes of every object and every part of an unfinished upload. */
  async #usedBytes(): Promise<number> {
    const keys = [...(await this.#keys(recordKeys.allObjects)), ...(await this.#keys(recordKeys.allParts))];
    const records = await this.#readMany<{ size: number }>(keys);
    return records.reduce((sum, r) => sum + (r?.size ?? 0), 0);
  }

  async #requireBucket(bucket: string): Promise<void> {
    if (!(await this.#read<BucketRecord>(recordKeys.bucket(bucket))).value) throw new ObjectError('no_such_bucket', `no bucket "${bucket}"`, { bucket });
  }

  async #requireUpload(bucket: string, key: string, uploadId: string): Promise<{ value: UploadRecord; revision: number }> {
    await this.#requireBucket(bucket);
    const upload = typeof uploadId === 'string' && uploadIdPattern.test(uploadId) ? await this.#read<UploadRecord>(recordKeys.upload(bucket, uploadId)) : undefined;
    if (!upload?.value || upload.value.key !== key) throw noSuchUpload(bucket, key, uploadId);
    return { value: upload.value, revision: upload.revision };
  }

  // ---- KV access ----

  async #read<T>(kvKey: string): Promise<Versioned<T>> {
    const entry = await this.#nats('read the object store', () => this.#kv.get(kvKey));
    return { value: valueOf<T>(entry), revision: entry?.revision ?? 0 };
  }

  async #readMany<T>(kvKeys: readonly string[]): Promise<Array<T | undefined>> {
    const values: Array<T | undefined> = [];
    for (let i = 0; i < kvKeys.length; i += readConcurrency) {
      const batch = await Promise.all(kvKeys.slice(i, i + readConcurrency).map((k) => this.#read<T>(k)));
      values.push(...batch.map((v) => v.value));
    }
    return values;
  }

  /** Writes by compare-and-swap on `revision` (0: the key must never have been written); the new revision. */
  async #write(kvKey: string, value: unknown, revision: number): Promise<number> {
    const data = JSON.stringify(value);
    return this.#nats('write the object store', () => (revision === 0 ? this.#kv.create(kvKey, data) : this.#kv.update(kvKey, data, revision)));
  }

  /** The live keys under `filter`; a listing that stalls (its consumer lost) fails after the API timeout instead of hanging the request. */
  async #keys(filter: string): Promise<string[]> {
    return this.#nats('list the object store', async () => {
      const keys: string[] = [];
      const iterator = await this.#kv.keys(filter);
      let timer: NodeJS.Timeout | undefined;
      const stalled = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          iterator.stop();
          reject(new Error(`listing ${filter} did not finish within ${apiTimeoutMs} ms`));
        }, apiTimeoutMs);
      });
      try {
        await Promise.race([(async () => { for await (const key of iterator) keys.push(key); })(), stalled]);
      } finally {
        clearTimeout(timer);
      }
      return keys;
    });
  }

  /** Runs a JetStream call; a compare-and-swap conflict and the store's own errors pass as they are, anything else is `nats_unavailable`. */
  async #nats<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof ObjectError || isKvConflict(err)) throw err;
      throw natsError(`cannot ${what}`, err);
    }
  }
}

function valueOf<T>(entry: KvEntry | null): T | undefined {
  if (!entry || entry.operation !== 'PUT') return undefined;
  return entry.json<T>();
}

function infoOf(bucket: string, key: string, record: ObjectRecord): ObjectInfo {
  return { bucket, key, size: record.size, etag: record.etag, contentType: record.contentType, metadata: record.metadata, lastModified: record.lastModified };
}

function checkDeclaredLength(contentLength: number | undefined, limit: number): void {
  if (contentLength === undefined) return;
  if (!Number.isSafeInteger(contentLength) || contentLength < 0) throw new ObjectError('invalid_argument', `content length must be a non-negative integer, got ${contentLength}`);
  if (contentLength > limit) throw new ObjectError('entity_too_large', `the body is ${contentLength} bytes; at most ${limit}`, { limit });
}

function bucketExists(bucket: string): ObjectError {
  return new ObjectError('bucket_exists', `bucket "${bucket}" already exists`, { bucket });
}

function noSuchUpload(bucket: string, key: string, uploadId: string): ObjectError {
  return new ObjectError('no_such_upload', `no multipart upload "${uploadId}" of "${key}" in bucket "${bucket}"`, { uploadId: String(uploadId) });
}

/** An error from the NATS client (it names its errors), as opposed to one a caller's body threw. */
function isNatsFailure(err: unknown): boolean {
  const name = (err as Error)?.name ?? '';
  return /^(Nats|JetStream|Timeout|Request|Connection|Closed)/.test(name) || name.endsWith('ApiError');
}

