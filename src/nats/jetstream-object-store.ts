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
// The write path is jetstream-object-writes.ts, multipart uploads jetstream-multipart-uploads.ts, the
// records' reads and compare-and-swap writes jetstream-object-meta.ts.
import type { NatsConnection } from '@nats-io/transport-node';
import type { KV } from '@nats-io/kv';
import { Objm } from '@nats-io/obj';
import { systemClock, type Clock } from '../queue/clock.js';
import { ObjectError } from '../objects/object-error.js';
import { maxListKeys, resolveObjectLimits, type ObjectLimits } from '../objects/object-limits.js';
import { parseBucketName, parseContentType, parseMetadata, parseObjectKey } from '../objects/object-names.js';
import type {
  BodyChecks, BucketInfo, CompletedPart, CopyObjectOptions, GetObjectOptions, ListObjectsOptions, ListPartsOptions, ObjectAddress, ObjectBody,
  ObjectChange, ObjectEvent, ObjectInfo, ObjectListing, ObjectRead, ObjectStore, ObjectWriteOptions, PartInfo, PartListing, PutObjectOptions,
} from '../objects/object-store.js';
import { resolveRange } from '../objects/byte-range.js';
import { jetstreamClientOf, kvmOf } from './jetstream-clients.js';
import { natsError } from './jetstream-errors.js';
import { JetStreamBlobs } from './jetstream-object-blobs.js';
import { JetStreamObjectEvents } from './jetstream-object-events.js';
import { cursorOf, pageOfKeys } from './jetstream-object-listing.js';
import { JetStreamObjectMeta, natsCall } from './jetstream-object-meta.js';
import { lastToken, objectBlobBucket, objectMetaBucket, recordKeys, type BucketRecord, type ObjectRecord, type PartRecord, type RetiredRecord } from './jetstream-object-records.js';
import { checkDeclaredLength, infoOf, JetStreamObjectWrites } from './jetstream-object-writes.js';
import { JetStreamMultipartUploads } from './jetstream-multipart-uploads.js';
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

const defaultOrphanGraceMs = 60 * 60 * 1000;
const defaultRetiredGraceMs = 15 * 60 * 1000;

export class JetStreamObjectStore implements ObjectStore {
  readonly #meta: JetStreamObjectMeta;
  readonly #blobs: JetStreamBlobs;
  readonly #events: JetStreamObjectEvents;
  readonly #clock: Clock;
  readonly #limits: ObjectLimits;
  readonly #writes: JetStreamObjectWrites;
  readonly #uploads: JetStreamMultipartUploads;

  private constructor(kv: KV, blobs: JetStreamBlobs, events: JetStreamObjectEvents, options: JetStreamObjectStoreOptions) {
    this.#meta = new JetStreamObjectMeta(kv);
    this.#blobs = blobs;
    this.#events = events;
    this.#clock = options.clock ?? systemClock;
    this.#limits = resolveObjectLimits(options.limits);
    this.#writes = new JetStreamObjectWrites({ meta: this.#meta, blobs, events, limits: this.#limits, options });
    this.#uploads = new JetStreamMultipartUploads({ meta: this.#meta, blobs, writes: this.#writes, clock: this.#clock, limits: this.#limits });
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
    const current = await this.#meta.read<BucketRecord>(recordKeys.bucket(bucket));
    if (current.value) throw bucketExists(bucket);
    try {
      await this.#meta.write(recordKeys.bucket(bucket), { createdAt } satisfies BucketRecord, current.revision);
    } catch (err) {
      if (isKvConflict(err)) throw bucketExists(bucket);
      throw err;
    }
    return { name: bucket, createdAt };
  }

  async deleteBucket(bucket: string): Promise<void> {
    parseBucketName(bucket);
    await this.#writes.requireBucket(bucket);
    if ((await this.#meta.keys(recordKeys.objectsOf(bucket))).length > 0) throw new ObjectError('bucket_not_empty', `bucket "${bucket}" is not empty`, { bucket });
    for (const uploadKey of await this.#meta.keys(recordKeys.uploadsOf(bucket))) await this.#writes.dropUpload(bucket, lastToken(uploadKey), []);
    await natsCall('delete the bucket', () => this.#meta.kv.delete(recordKeys.bucket(bucket)));
  }

  async headBucket(bucket: string): Promise<BucketInfo | null> {
    parseBucketName(bucket);
    const record = (await this.#meta.read<BucketRecord>(recordKeys.bucket(bucket))).value;
    return record ? { name: bucket, createdAt: record.createdAt } : null;
  }

  async listBuckets(): Promise<BucketInfo[]> {
    const names = (await this.#meta.keys(recordKeys.allBuckets)).map(recordKeys.bucketOfKey).sort();
    const records = await this.#meta.readMany<BucketRecord>(names.map(recordKeys.bucket));
    return names.flatMap((name, i) => (records[i] ? [{ name, createdAt: records[i]!.createdAt }] : []));
  }

  // ---- objects ----

  async putObject(bucket: string, key: string, body: ObjectBody, options: PutObjectOptions = {}): Promise<ObjectInfo> {
    parseBucketName(bucket);
    parseObjectKey(key);
    const contentType = parseContentType(options.contentType);
    const metadata = parseMetadata(options.metadata, this.#limits.maxMetadataBytes);
    checkDeclaredLength(options.contentLength, this.#limits.maxPutObjectBytes);
    await this.#writes.requireBucket(bucket); // before reading a byte of the body
    const blob = await this.#writes.writeChecked(body, this.#limits.maxPutObjectBytes, options);
    const record: ObjectRecord = {
      size: blob.size, etag: blob.md5.toString('hex'), contentType, metadata, lastModified: this.#clock.now(), blobs: [{ name: blob.name, size: blob.size }],
    };
    try {
      return await this.#writes.commitObject(bucket, key, record, 'put');
    } catch (err) {
      this.#blobs.remove([blob.name]);
      throw err;
    }
  }

  async getObject(bucket: string, key: string, options: GetObjectOptions = {}): Promise<ObjectRead | null> {
    parseBucketName(bucket);
    parseObjectKey(key);
    await this.#writes.requireBucket(bucket);
    const record = (await this.#meta.read<ObjectRecord>(recordKeys.object(bucket, key))).value;
    if (!record) return null;
    const { start, end } = resolveRange(options.range, record.size);
    return { info: infoOf(bucket, key, record), start, end, body: this.#blobs.stream(record.blobs, start, end) };
  }

  async headObject(bucket: string, key: string): Promise<ObjectInfo | null> {
    parseBucketName(bucket);
    parseObjectKey(key);
    await this.#writes.requireBucket(bucket);
    const record = (await this.#meta.read<ObjectRecord>(recordKeys.object(bucket, key))).value;
    return record ? infoOf(bucket, key, record) : null;
  }

  async deleteObject(bucket: string, key: string): Promise<boolean> {
    parseBucketName(bucket);
    parseObjectKey(key);
    await this.#writes.requireBucket(bucket);
    for (;;) {
      const old = await this.#meta.read<ObjectRecord>(recordKeys.object(bucket, key));
      if (!old.value) return false;
      try {
        await natsCall('delete the object', () => this.#meta.kv.delete(recordKeys.object(bucket, key), { previousSeq: old.revision }));
      } catch (err) {
        if (isKvConflict(err)) continue; // written meanwhile: delete what is there now
        throw err;
      }
      await this.#writes.retire(old.value.blobs);
      await this.#writes.record({ kind: 'deleted', cause: 'delete', bucket, key, size: old.value.size, etag: old.value.etag, time: this.#clock.now() }, old.revision);
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
    await this.#writes.requireBucket(source.bucket);
    const from = (await this.#meta.read<ObjectRecord>(recordKeys.object(source.bucket, source.key))).value;
    if (!from) throw new ObjectError('no_such_key', `no object "${source.key}" in bucket "${source.bucket}"`, { bucket: source.bucket, key: source.key });
    await this.#writes.requireBucket(target.bucket);
    await this.#writes.checkQuota(from.size); // before copying bytes that could not be kept
    const blob = await natsCall('copy the object', () => this.#blobs.copy(from.blobs, Number.MAX_SAFE_INTEGER));
    const record: ObjectRecord = {
      size: blob.size, etag: from.etag, contentType: contentType ?? from.contentType, metadata: metadata ?? from.metadata, lastModified: this.#clock.now(),
      blobs: [{ name: blob.name, size: blob.size }],
    };
    try {
      return await this.#writes.commitObject(target.bucket, target.key, record, 'copy');
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
    await this.#writes.requireBucket(bucket);
    const sorted = (await this.#meta.keys(recordKeys.objectsOf(bucket))).map(lastToken).sort().map((hex) => Buffer.from(hex, 'hex'));
    const page = pageOfKeys(sorted, {
      prefix: options.prefix ?? '', delimiter: options.delimiter === '' ? undefined : options.delimiter, maxKeys, startAfter: options.startAfter, continuationToken: options.continuationToken,
    });
    const records = await this.#meta.readMany<ObjectRecord>(page.keys.map((key) => recordKeys.object(bucket, key)));
    // A key deleted between the key listing and its read is left out, as if listed a moment later.
    const objects = page.keys.flatMap((key, i) => (records[i] ? [infoOf(bucket, key, records[i]!)] : []));
    return { objects, commonPrefixes: page.commonPrefixes, isTruncated: page.isTruncated, ...(page.nextContinuationToken ? { nextContinuationToken: page.nextContinuationToken } : {}) };
  }

  // ---- multipart uploads ----

  async createMultipartUpload(bucket: string, key: string, options: ObjectWriteOptions = {}): Promise<string> {
    return this.#uploads.createMultipartUpload(bucket, key, options);
  }

  async uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: ObjectBody, options: BodyChecks = {}): Promise<PartInfo> {
    return this.#uploads.uploadPart(bucket, key, uploadId, partNumber, body, options);
  }

  async completeMultipartUpload(bucket: string, key: string, uploadId: string, parts: readonly CompletedPart[]): Promise<ObjectInfo> {
    return this.#uploads.completeMultipartUpload(bucket, key, uploadId, parts);
  }

  async abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    return this.#uploads.abortMultipartUpload(bucket, key, uploadId);
  }

  async listParts(bucket: string, key: string, uploadId: string, options: ListPartsOptions = {}): Promise<PartListing> {
    return this.#uploads.listParts(bucket, key, uploadId, options);
  }

  // ---- outbox and usage ----

  async pendingEvents(limit: number): Promise<ObjectEvent[]> {
    if (!Number.isInteger(limit) || limit < 1) throw new ObjectError('invalid_argument', `limit must be a positive integer, got ${limit}`);
    return natsCall('read object events', () => this.#events.pending(limit));
  }

  async ackEvents(ids: readonly string[]): Promise<void> {
    await natsCall('acknowledge object events', () => this.#events.ack(ids));
  }

  async usage(): Promise<{ readonly bytes: number; readonly quotaBytes: number | null }> {
    return { bytes: await this.#writes.usedBytes(), quotaBytes: this.#limits.quotaBytes };
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
    return natsCall('collect retired object blobs', async () => {
      const keys = await this.#meta.keys(recordKeys.allRetired);
      const marks = await this.#meta.readMany<RetiredRecord>(keys);
      const due = keys.filter((_, i) => marks[i] !== undefined && marks[i]!.at < retiredBefore);
      this.#blobs.remove(due.map(lastToken));
      await this.#blobs.settle();
      for (const key of due) await this.#meta.kv.delete(key);
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
    return natsCall('collect orphan object blobs', async () => {
      // Blobs are listed after the records: a blob committed meanwhile is younger than the grace period.
      const named = new Set<string>();
      const objects = await this.#meta.readMany<ObjectRecord>(await this.#meta.keys(recordKeys.allObjects));
      for (const record of objects) for (const blob of record?.blobs ?? []) named.add(blob.name);
      const parts = await this.#meta.readMany<PartRecord>(await this.#meta.keys(recordKeys.allParts));
      for (const part of parts) if (part) named.add(part.blob);
      for (const key of await this.#meta.keys(recordKeys.allRetired)) named.add(lastToken(key)); // collectRetiredBlobs' to take
      return (await this.#blobs.removeOrphans(named, writtenBefore)).length;
    });
  }
}

function bucketExists(bucket: string): ObjectError {
  return new ObjectError('bucket_exists', `bucket "${bucket}" already exists`, { bucket });
}
