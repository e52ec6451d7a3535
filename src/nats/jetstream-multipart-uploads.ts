// S3 multipart uploads on the JetStream object store (jetstream-object-store.ts): an upload's record
// and one record per part in the KV bucket, each part's body a blob of its own; completing claims the
// upload by compare-and-swap (of two completions at once, one wins) and commits an object whose blobs
// are the parts' (no copy).
import { randomBytes } from 'node:crypto';
import type { Clock } from '../queue/clock.js';
import { multipartEtag, normalizeEtag } from '../objects/etag.js';
import { ObjectError } from '../objects/object-error.js';
import { maxListKeys, type ObjectLimits } from '../objects/object-limits.js';
import { parseBucketName, parseContentType, parseMetadata, parseObjectKey } from '../objects/object-names.js';
import type { BodyChecks, CompletedPart, ListPartsOptions, ObjectBody, ObjectInfo, ObjectWriteOptions, PartInfo, PartListing } from '../objects/object-store.js';
import type { JetStreamBlobs } from './jetstream-object-blobs.js';
import { natsCall, type JetStreamObjectMeta } from './jetstream-object-meta.js';
import { lastToken, recordKeys, type ObjectRecord, type PartRecord, type UploadRecord } from './jetstream-object-records.js';
import { checkDeclaredLength, noSuchUpload, type JetStreamObjectWrites } from './jetstream-object-writes.js';
import { isKvConflict } from './kv-conflict.js';

export interface JetStreamMultipartUploadsOptions {
  readonly meta: JetStreamObjectMeta;
  readonly blobs: JetStreamBlobs;
  readonly writes: JetStreamObjectWrites;
  readonly clock: Clock;
  readonly limits: ObjectLimits;
}

export class JetStreamMultipartUploads {
  readonly #meta: JetStreamObjectMeta;
  readonly #blobs: JetStreamBlobs;
  readonly #writes: JetStreamObjectWrites;
  readonly #clock: Clock;
  readonly #limits: ObjectLimits;

  constructor({ meta, blobs, writes, clock, limits }: JetStreamMultipartUploadsOptions) {
    this.#meta = meta;
    this.#blobs = blobs;
    this.#writes = writes;
    this.#clock = clock;
    this.#limits = limits;
  }

  async createMultipartUpload(bucket: string, key: string, options: ObjectWriteOptions = {}): Promise<string> {
    parseBucketName(bucket);
    parseObjectKey(key);
    const contentType = parseContentType(options.contentType);
    const metadata = parseMetadata(options.metadata, this.#limits.maxMetadataBytes);
    await this.#writes.requireBucket(bucket);
    const uploadId = randomBytes(24).toString('hex');
    await this.#meta.write(recordKeys.upload(bucket, uploadId), { key, contentType, metadata, createdAt: this.#clock.now() } satisfies UploadRecord, 0);
    return uploadId;
  }

  async uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: ObjectBody, options: BodyChecks = {}): Promise<PartInfo> {
    parseBucketName(bucket);
    parseObjectKey(key);
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > this.#limits.maxParts) {
      throw new ObjectError('invalid_argument', `part number must be an integer from 1 to ${this.#limits.maxParts}, got ${partNumber}`);
    }
    checkDeclaredLength(options.contentLength, this.#limits.maxPartBytes);
    await this.#writes.requireUpload(bucket, key, uploadId);
    const blob = await this.#writes.writeChecked(body, this.#limits.maxPartBytes, options);
    const part: PartRecord = { size: blob.size, md5: blob.md5.toString('hex'), lastModified: this.#clock.now(), blob: blob.name };
    const partKey = recordKeys.part(bucket, uploadId, partNumber);
    try {
      for (;;) {
        await this.#writes.requireUpload(bucket, key, uploadId); // aborted or completed while the part arrived?
        const old = await this.#meta.read<PartRecord>(partKey);
        await this.#writes.checkQuota(part.size - (old.value?.size ?? 0));
        try {
          await this.#meta.write(partKey, part, old.revision);
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
    const upload = await this.#writes.requireUpload(bucket, key, uploadId);
    const records = await this.#meta.readMany<PartRecord>(parts.map((p) => recordKeys.part(bucket, uploadId, p.partNumber)));
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
      await natsCall('complete the upload', () => this.#meta.kv.delete(recordKeys.upload(bucket, uploadId), { previousSeq: upload.revision }));
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
      info = await this.#writes.commitObject(bucket, key, record, 'multipart', size);
    } catch (err) {
      await this.#meta.kv.put(recordKeys.upload(bucket, uploadId), JSON.stringify(upload.value)).catch(() => undefined); // usable again
      throw err;
    }
    await this.#writes.dropUpload(bucket, uploadId, chosen.map((p) => p.blob));
    return info;
  }

  async abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    parseBucketName(bucket);
    parseObjectKey(key);
    await this.#writes.requireUpload(bucket, key, uploadId);
    await this.#writes.dropUpload(bucket, uploadId, []);
  }

  async listParts(bucket: string, key: string, uploadId: string, options: ListPartsOptions = {}): Promise<PartListing> {
    parseBucketName(bucket);
    parseObjectKey(key);
    const maxParts = options.maxParts ?? maxListKeys;
    if (!Number.isInteger(maxParts) || maxParts < 0 || maxParts > maxListKeys) throw new ObjectError('invalid_argument', `maxParts must be an integer from 0 to ${maxListKeys}, got ${maxParts}`);
    await this.#writes.requireUpload(bucket, key, uploadId);
    const marker = options.partNumberMarker ?? 0;
    const numbers = (await this.#meta.keys(recordKeys.partsOf(bucket, uploadId))).map((k) => Number(lastToken(k))).filter((n) => n > marker).sort((a, b) => a - b);
    const pageNumbers = numbers.slice(0, maxParts);
    const records = await this.#meta.readMany<PartRecord>(pageNumbers.map((n) => recordKeys.part(bucket, uploadId, n)));
    const page = pageNumbers.flatMap((partNumber, i) => {
      const part = records[i];
      return part ? [{ partNumber, size: part.size, etag: part.md5, lastModified: part.lastModified }] : [];
    });
    const isTruncated = numbers.length > maxParts;
    return { parts: page, isTruncated, ...(isTruncated && page.length > 0 ? { nextPartNumberMarker: page[page.length - 1]!.partNumber } : {}) };
  }
}
