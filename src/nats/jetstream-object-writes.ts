// The JetStream object store's write path (jetstream-object-store.ts): a body written as a new blob
// and checked, a record committed by compare-and-swap on its key's revision (a lost race reads again
// and retries), the blobs of the record it replaced retired, and the change's event published; with
// the checks a write makes first (bucket, upload, declared length, quota).
import { ObjectError } from '../objects/object-error.js';
import type { ObjectLimits } from '../objects/object-limits.js';
import type { BodyChecks, ObjectBody, ObjectChange, ObjectInfo } from '../objects/object-store.js';
import { natsError } from './jetstream-errors.js';
import type { BlobRef, JetStreamBlobs, WrittenBlob } from './jetstream-object-blobs.js';
import type { JetStreamObjectEvents } from './jetstream-object-events.js';
import { natsCall, type JetStreamObjectMeta } from './jetstream-object-meta.js';
import { recordKeys, type BucketRecord, type ObjectRecord, type PartRecord, type RetiredRecord, type UploadRecord } from './jetstream-object-records.js';
import { isKvConflict } from './kv-conflict.js';

const uploadIdPattern = /^[0-9a-f]{48}$/;
const eventPublishAttempts = 3;

export interface JetStreamObjectWritesOptions {
  readonly meta: JetStreamObjectMeta;
  readonly blobs: JetStreamBlobs;
  readonly events: JetStreamObjectEvents;
  readonly limits: ObjectLimits;
  /** The store's options (JetStreamObjectStoreOptions), of which the event publishing reads these. */
  readonly options: ObjectEventHooks;
}

export interface ObjectEventHooks {
  readonly recordEvent?: (change: ObjectChange) => boolean;
  readonly onEvents?: () => void;
  readonly log?: (line: string) => void;
}

export class JetStreamObjectWrites {
  readonly #meta: JetStreamObjectMeta;
  readonly #blobs: JetStreamBlobs;
  readonly #events: JetStreamObjectEvents;
  readonly #limits: ObjectLimits;
  readonly #options: ObjectEventHooks;

  constructor({ meta, blobs, events, limits, options }: JetStreamObjectWritesOptions) {
    this.#meta = meta;
    this.#blobs = blobs;
    this.#events = events;
    this.#limits = limits;
    this.#options = options;
  }

  /** The body as a new blob, checked against what the client declared; nothing is kept when a check fails. */
  async writeChecked(body: ObjectBody, maxBytes: number, checks: BodyChecks): Promise<WrittenBlob> {
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
  async commitObject(bucket: string, key: string, record: ObjectRecord, cause: 'put' | 'copy' | 'multipart', alreadyCounted = 0): Promise<ObjectInfo> {
    const objectKey = recordKeys.object(bucket, key);
    for (;;) {
      await this.requireBucket(bucket); // it may have been deleted while the body arrived
      const old = await this.#meta.read<ObjectRecord>(objectKey);
      await this.checkQuota(record.size - alreadyCounted - (old.value?.size ?? 0));
      let revision: number;
      try {
        revision = await this.#meta.write(objectKey, record, old.revision);
      } catch (err) {
        if (isKvConflict(err)) continue; // another write of this key committed first: ours replaces it
        throw err;
      }
      if (old.value) await this.retire(old.value.blobs);
      await this.record({ kind: 'created', cause, bucket, key, size: record.size, etag: record.etag, time: record.lastModified }, revision);
      return infoOf(bucket, key, record);
    }
  }

  /** Deletes an upload's record and its parts, and the parts' blobs except `kept` (now an object's). */
  async dropUpload(bucket: string, uploadId: string, kept: readonly string[]): Promise<void> {
    await natsCall('discard the upload', async () => {
      await this.#meta.kv.delete(recordKeys.upload(bucket, uploadId));
      const partKeys = await this.#meta.keys(recordKeys.partsOf(bucket, uploadId));
      const parts = await this.#meta.readMany<PartRecord>(partKeys);
      for (const partKey of partKeys) await this.#meta.kv.delete(partKey);
      this.#blobs.remove(parts.flatMap((p) => (p && !kept.includes(p.blob) ? [p.blob] : [])));
    });
  }

  /**
   * The blobs of an object just replaced or deleted: a reader on another host may be streaming them
   * (this host's readers pin them), so they are only marked here, and deleted by
   * `collectRetiredBlobs` once the grace period has passed. A failed mark leaves an orphan, which
   * `collectOrphanBlobs` takes later.
   */
  async retire(blobs: readonly BlobRef[]): Promise<void> {
    const mark = JSON.stringify({ at: Date.now() } satisfies RetiredRecord);
    await Promise.all(blobs.map((blob) => this.#meta.kv.put(recordKeys.retired(blob.name), mark).catch(() => undefined)));
  }

  async record(change: ObjectChange, revision: number): Promise<void> {
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

  async checkQuota(growth: number): Promise<void> {
    const quota = this.#limits.quotaBytes;
    if (quota === null || growth <= 0) return;
    const bytes = (await this.usedBytes()) + growth;
    if (bytes > quota) throw new ObjectError('quota_exceeded', `storing this would use ${bytes} bytes; the quota is ${quota}`, { limit: quota });
  }

  /** Bytes of every object and every part of an unfinished upload. */
  async usedBytes(): Promise<number> {
    const keys = [...(await this.#meta.keys(recordKeys.allObjects)), ...(await this.#meta.keys(recordKeys.allParts))];
    const records = await this.#meta.readMany<{ size: number }>(keys);
    return records.reduce((sum, r) => sum + (r?.size ?? 0), 0);
  }

  async requireBucket(bucket: string): Promise<void> {
    if (!(await this.#meta.read<BucketRecord>(recordKeys.bucket(bucket))).value) throw new ObjectError('no_such_bucket', `no bucket "${bucket}"`, { bucket });
  }

  async requireUpload(bucket: string, key: string, uploadId: string): Promise<{ value: UploadRecord; revision: number }> {
    await this.requireBucket(bucket);
    const upload = typeof uploadId === 'string' && uploadIdPattern.test(uploadId) ? await this.#meta.read<UploadRecord>(recordKeys.upload(bucket, uploadId)) : undefined;
    if (!upload?.value || upload.value.key !== key) throw noSuchUpload(bucket, key, uploadId);
    return { value: upload.value, revision: upload.revision };
  }
}

export function infoOf(bucket: string, key: string, record: ObjectRecord): ObjectInfo {
  return { bucket, key, size: record.size, etag: record.etag, contentType: record.contentType, metadata: record.metadata, lastModified: record.lastModified };
}

export function checkDeclaredLength(contentLength: number | undefined, limit: number): void {
  if (contentLength === undefined) return;
  if (!Number.isSafeInteger(contentLength) || contentLength < 0) throw new ObjectError('invalid_argument', `content length must be a non-negative integer, got ${contentLength}`);
  if (contentLength > limit) throw new ObjectError('entity_too_large', `the body is ${contentLength} bytes; at most ${limit}`, { limit });
}

export function noSuchUpload(bucket: string, key: string, uploadId: string): ObjectError {
  return new ObjectError('no_such_upload', `no multipart upload "${uploadId}" of "${key}" in bucket "${bucket}"`, { uploadId: String(uploadId) });
}

/** An error from the NATS client (it names its errors), as opposed to one a caller's body threw. */
function isNatsFailure(err: unknown): boolean {
  const name = (err as Error)?.name ?? '';
  return /^(Nats|JetStream|Timeout|Request|Connection|Closed)/.test(name) || name.endsWith('ApiError');
}
