// The object store's expected failures: one stable code each, translated at the boundaries (S3 in s3/s3-errors.ts).

export const objectErrorCodes = [
  'invalid_bucket_name',
  'invalid_key',
  'invalid_argument',
  'no_such_bucket',
  'no_such_key',
  'bucket_exists',
  'bucket_not_empty',
  'no_such_upload',
  'invalid_part',
  'invalid_part_order',
  'entity_too_small',
  'entity_too_large',
  'metadata_too_large',
  'incomplete_body',
  'bad_digest',
  'invalid_range',
  'quota_exceeded',
  'storage_full',
] as const;

export type ObjectErrorCode = (typeof objectErrorCodes)[number];

/**
 * A caller's mistake the store refuses, with what a boundary needs to answer it (`details`: e.g.
 * the object's size for an unsatisfiable range, the limit that was exceeded).
 * @example throw new ObjectError('no_such_bucket', 'no bucket "photos"', { bucket: 'photos' })
 */
export class ObjectError extends Error {
  readonly code: ObjectErrorCode;
  readonly details: Readonly<Record<string, string | number>>;

  constructor(code: ObjectErrorCode, message: string, details: Readonly<Record<string, string | number>> = {}) {
    super(message);
    this.name = 'ObjectError';
    this.code = code;
    this.details = details;
  }
}

export function isObjectError(err: unknown, code?: ObjectErrorCode): err is ObjectError {
  return err instanceof ObjectError && (code === undefined || err.code === code);
}
