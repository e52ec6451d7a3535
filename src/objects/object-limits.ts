// The object store's limits: S3's own where a client depends on them, each overridable per store (tests use small ones).

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export interface ObjectLimits {
  /** Largest body of one PutObject (S3: 5 GiB). Larger objects go in parts. */
  readonly maxPutObjectBytes: number;
  /** Smallest part of a multipart upload other than its last (S3: 5 MiB; the AWS CLI sends 8 MiB parts). */
  readonly minPartBytes: number;
  /** Largest part (S3: 5 GiB). */
  readonly maxPartBytes: number;
  /** Part numbers run 1..maxParts (S3: 10 000). */
  readonly maxParts: number;
  /** User metadata, names and values in UTF-8 bytes together (S3: 2 KiB). */
  readonly maxMetadataBytes: number;
  /** Bytes of objects and unfinished uploads together; null = only the disk limits them. */
  readonly quotaBytes: number | null;
}

/**
 * S3's numbers. A body is streamed to disk, never held in memory, so the host has no reason of its
 * own to refuse S3's 5 GiB PutObject: what bounds it is the disk, which `quotaBytes` guards.
 */
export const defaultObjectLimits: ObjectLimits = Object.freeze({
  maxPutObjectBytes: 5 * GiB,
  minPartBytes: 5 * MiB,
  maxPartBytes: 5 * GiB,
  maxParts: 10_000,
  maxMetadataBytes: 2048,
  quotaBytes: null,
});

/** S3's key limit: 1024 bytes of UTF-8. */
export const maxKeyBytes = 1024;
/** S3 returns at most 1000 keys (or parts) per listing. */
export const maxListKeys = 1000;

/** The defaults with `overrides` applied, each checked once with its own message. */
export function resolveObjectLimits(overrides: Partial<ObjectLimits> = {}): ObjectLimits {
  const limits = { ...defaultObjectLimits, ...overrides };
  for (const name of ['maxPutObjectBytes', 'minPartBytes', 'maxPartBytes', 'maxParts', 'maxMetadataBytes'] as const) {
    const value = limits[name];
    if (!Number.isSafeInteger(value) || value < 1) throw new TypeError(`object limits: ${name} must be a positive integer, got ${value}`);
  }
  if (limits.quotaBytes !== null && (!Number.isSafeInteger(limits.quotaBytes) || limits.quotaBytes < 0)) {
    throw new TypeError(`object limits: quotaBytes must be null or a non-negative integer, got ${limits.quotaBytes}`);
  }
  if (limits.minPartBytes > limits.maxPartBytes) throw new TypeError(`object limits: minPartBytes ${limits.minPartBytes} exceeds maxPartBytes ${limits.maxPartBytes}`);
  return Object.freeze(limits);
}
