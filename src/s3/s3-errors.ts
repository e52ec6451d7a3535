// S3's error codes, as its clients know them (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html), and the object store's translated.
import { isObjectError, type ObjectErrorCode } from '../objects/object-error.js';

export const s3ErrorCatalog = {
  AccessDenied: { status: 403, message: 'Access Denied' },
  AuthorizationHeaderMalformed: { status: 400, message: 'The authorization header is malformed.' },
  AuthorizationQueryParametersError: { status: 400, message: 'The query-string authorization parameters are malformed.' },
  BadDigest: { status: 400, message: 'The Content-MD5 you specified did not match what we received.' },
  BucketAlreadyOwnedByYou: { status: 409, message: 'The bucket you tried to create already exists, and you own it.' },
  BucketNotEmpty: { status: 409, message: 'The bucket you tried to delete is not empty.' },
  EntityTooLarge: { status: 400, message: 'Your proposed upload exceeds the maximum allowed object size.' },
  EntityTooSmall: { status: 400, message: 'Your proposed upload is smaller than the minimum allowed object size.' },
  IncompleteBody: { status: 400, message: 'You did not provide the number of bytes specified by the Content-Length HTTP header.' },
  InternalError: { status: 500, message: 'We encountered an internal error. Please try again.' },
  InvalidAccessKeyId: { status: 403, message: 'The AWS access key Id you provided does not exist in our records.' },
  InvalidArgument: { status: 400, message: 'Invalid Argument' },
  InvalidBucketName: { status: 400, message: 'The specified bucket is not valid.' },
  InvalidDigest: { status: 400, message: 'The Content-MD5 you specified is not valid.' },
  InvalidPart: { status: 400, message: 'One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part\'s entity tag.' },
  InvalidPartOrder: { status: 400, message: 'The list of parts was not in ascending order. The parts list must be specified in order by part number.' },
  InvalidRange: { status: 416, message: 'The requested range is not satisfiable' },
  InvalidRequest: { status: 400, message: 'Invalid Request' },
  InvalidURI: { status: 400, message: 'Could not parse the specified URI.' },
  KeyTooLongError: { status: 400, message: 'Your key is too long.' },
  MalformedXML: { status: 400, message: 'The XML you provided was not well-formed or did not validate against our published schema.' },
  MetadataTooLarge: { status: 400, message: 'Your metadata headers exceed the maximum allowed metadata size.' },
  MethodNotAllowed: { status: 405, message: 'The specified method is not allowed against this resource.' },
  MissingContentLength: { status: 411, message: 'You must provide the Content-Length HTTP header.' },
  NoSuchBucket: { status: 404, message: 'The specified bucket does not exist.' },
  NoSuchKey: { status: 404, message: 'The specified key does not exist.' },
  NoSuchUpload: { status: 404, message: 'The specified multipart upload does not exist. The upload ID might be invalid, or the multipart upload might have been aborted or completed.' },
  NotImplemented: { status: 501, message: 'A header or query you provided implies functionality that is not implemented.' },
  PreconditionFailed: { status: 412, message: 'At least one of the preconditions you specified did not hold.' },
  /** Not one of S3's (S3 has no quota): MinIO answers a full bucket quota alike, with its own code. */
  QuotaExceeded: { status: 403, message: 'Storing this would exceed the host\'s object storage quota.' },
  /** Not one of S3's: MinIO answers a full drive with 507 too (XMinioStorageFull). */
  StorageFull: { status: 507, message: 'The host\'s disk budget has no room for this upload.' },
  RequestTimeTooSkewed: { status: 403, message: 'The difference between the request time and the server\'s time is too large.' },
  SignatureDoesNotMatch: { status: 403, message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.' },
  XAmzContentChecksumMismatch: { status: 400, message: 'The provided \'x-amz-checksum\' header does not match what was computed.' },
  XAmzContentSHA256Mismatch: { status: 400, message: 'The provided \'x-amz-content-sha256\' header does not match what was computed.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type S3ErrorCode = keyof typeof s3ErrorCatalog;

/**
 * A failure answered as S3's XML error. `fields` become extra elements (BucketName, Key, ...);
 * `headers` go on the response (Content-Range for InvalidRange).
 * @example throw new S3Error('NoSuchBucket', undefined, { BucketName: 'photos' })
 */
export class S3Error extends Error {
  readonly code: S3ErrorCode;
  readonly status: number;
  readonly fields: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: S3ErrorCode, message?: string, fields: Readonly<Record<string, string>> = {}, options: { cause?: unknown; headers?: Record<string, string> } = {}) {
    super(message ?? s3ErrorCatalog[code].message, { cause: options.cause });
    this.name = 'S3Error';
    this.code = code;
    this.status = s3ErrorCatalog[code].status;
    this.fields = fields;
    this.headers = options.headers ?? {};
  }
}

const fromObjectCode: Record<ObjectErrorCode, S3ErrorCode> = {
  invalid_bucket_name: 'InvalidBucketName',
  invalid_key: 'InvalidArgument',
  invalid_argument: 'InvalidArgument',
  no_such_bucket: 'NoSuchBucket',
  no_such_key: 'NoSuchKey',
  bucket_exists: 'BucketAlreadyOwnedByYou',
  bucket_not_empty: 'BucketNotEmpty',
  no_such_upload: 'NoSuchUpload',
  invalid_part: 'InvalidPart',
  invalid_part_order: 'InvalidPartOrder',
  entity_too_small: 'EntityTooSmall',
  entity_too_large: 'EntityTooLarge',
  metadata_too_large: 'MetadataTooLarge',
  incomplete_body: 'IncompleteBody',
  bad_digest: 'BadDigest',
  invalid_range: 'InvalidRange',
  quota_exceeded: 'QuotaExceeded',
  storage_full: 'StorageFull',
};

/** Anything thrown by an operation, as the S3 error to answer; unknown errors are InternalError with no detail. */
export function toS3Error(err: unknown, context: { bucket?: string | undefined; key?: string | undefined } = {}): S3Error {
  if (err instanceof S3Error) return err;
  if (!isObjectError(err)) return new S3Error('InternalError', undefined, {}, { cause: err });
  let code = fromObjectCode[err.code];
  if (err.code === 'invalid_key' && typeof err.details.limit === 'number') code = 'KeyTooLongError';
  if (err.code === 'bad_digest' && err.details.digest === 'sha256') code = 'XAmzContentSHA256Mismatch';
  const fields: Record<string, string> = {};
  if (context.bucket !== undefined) fields.BucketName = context.bucket;
  if (context.key !== undefined && (code === 'NoSuchKey' || code === 'KeyTooLongError')) fields.Key = context.key;
  if (typeof err.details.uploadId === 'string') fields.UploadId = err.details.uploadId;
  if (typeof err.details.limit === 'number' && code === 'EntityTooLarge') fields.MaxSizeAllowed = String(err.details.limit);
  if (typeof err.details.limit === 'number' && code === 'EntityTooSmall') fields.MinSizeAllowed = String(err.details.limit);
  const headers: Record<string, string> = code === 'InvalidRange' && typeof err.details.size === 'number' ? { 'content-range': `bytes */${err.details.size}` } : {};
  return new S3Error(code, err.message, fields, { cause: err, headers });
}
