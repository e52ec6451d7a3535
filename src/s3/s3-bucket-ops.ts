// Bucket-level operations: ListBuckets, CreateBucket, DeleteBucket, HeadBucket, GetBucketLocation, ListObjectsV2 and (v1) ListObjects.
import type { ObjectListing, ObjectStore } from '../objects/object-store.js';
import { maxListKeys } from '../objects/object-limits.js';
import { S3Error } from './s3-errors.js';
import type { S3Request } from './s3-request.js';
import { sendEmpty, sendXml } from './s3-response.js';
import { element, textElement, xmlDocument, xmlTime } from './s3-xml.js';
import { uriEncode } from './sigv4.js';

/** The one owner every bucket has: the host. */
const owner = element('Owner', textElement('ID', 'wasmlet'), textElement('DisplayName', 'wasmlet'));

export async function listBuckets(store: ObjectStore, r: S3Request): Promise<void> {
  const buckets = await store.listBuckets();
  const list = buckets.map((b) => element('Bucket', textElement('Name', b.name), textElement('CreationDate', xmlTime(b.createdAt)))).join('');
  sendXml(r.res, r.requestId, 200, xmlDocument('ListAllMyBucketsResult', owner, element('Buckets', list)));
}

export async function createBucket(store: ObjectStore, r: S3Request, bucket: string): Promise<void> {
  await r.discardBody(); // a CreateBucketConfiguration (location constraint): one host, one location
  await store.createBucket(bucket);
  sendEmpty(r.res, r.requestId, 200, { location: `/${bucket}` });
}

export async function deleteBucket(store: ObjectStore, r: S3Request, bucket: string): Promise<void> {
  await store.deleteBucket(bucket);
  sendEmpty(r.res, r.requestId, 204);
}

export async function headBucket(store: ObjectStore, r: S3Request, bucket: string): Promise<void> {
  if (!(await store.headBucket(bucket))) throw new S3Error('NoSuchBucket', undefined, { BucketName: bucket });
  sendEmpty(r.res, r.requestId, 200, { 'x-amz-bucket-region': 'us-east-1' });
}

export async function getBucketLocation(store: ObjectStore, r: S3Request, bucket: string): Promise<void> {
  if (!(await store.headBucket(bucket))) throw new S3Error('NoSuchBucket', undefined, { BucketName: bucket });
  // An empty LocationConstraint is us-east-1, the region clients default to.
  sendXml(r.res, r.requestId, 200, xmlDocument('LocationConstraint'));
}

function maxKeysOf(r: S3Request): number {
  const raw = r.param('max-keys');
  if (raw === undefined) return maxListKeys;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n)) throw new S3Error('InvalidArgument', `max-keys "${raw}" is not a non-negative integer`);
  return Math.min(n, maxListKeys); // S3 caps larger values silently
}

/** With `encoding-type=url`, keys and prefixes are percent-encoded in the listing (so any key survives XML). */
function encoder(r: S3Request): (value: string) => string {
  const type = r.param('encoding-type');
  if (type !== undefined && type !== 'url') throw new S3Error('InvalidArgument', `encoding-type "${type}" is not url`);
  return type === 'url' ? (value) => uriEncode(value, true) : (value) => value;
}

function contentsOf(listing: ObjectListing, encode: (value: string) => string): string {
  const objects = listing.objects.map((o) =>
    element('Contents', textElement('Key', encode(o.key)), textElement('LastModified', xmlTime(o.lastModified)), textElement('ETag', `"${o.etag}"`), textElement('Size', o.size), textElement('StorageClass', 'STANDARD')),
  );
  const prefixes = listing.commonPrefixes.map((p) => element('CommonPrefixes', textElement('Prefix', encode(p))));
  return objects.join('') + prefixes.join('');
}

export async function listObjectsV2(store: ObjectStore, r: S3Request, bucket: string): Promise<void> {
  const encode = encoder(r);
  const prefix = r.param('prefix') ?? '';
  const delimiter = r.param('delimiter') || undefined;
  const maxKeys = maxKeysOf(r);
  const continuationToken = r.param('continuation-token');
  const startAfter = r.param('start-after') || undefined;
  const listing = await store.listObjects(bucket, { prefix, delimiter, maxKeys, continuationToken, startAfter });
  sendXml(r.res, r.requestId, 200, xmlDocument(
    'ListBucketResult',
    textElement('Name', bucket),
    textElement('Prefix', encode(prefix)),
    delimiter === undefined ? '' : textElement('Delimiter', encode(delimiter)),
    textElement('MaxKeys', maxKeys),
    textElement('KeyCount', listing.objects.length + listing.commonPrefixes.length),
    textElement('IsTruncated', listing.isTruncated),
    textElement('ContinuationToken', continuationToken),
    textElement('NextContinuationToken', listing.nextContinuationToken),
    startAfter === undefined ? '' : textElement('StartAfter', encode(startAfter)),
    r.param('encoding-type') === undefined ? '' : textElement('EncodingType', 'url'),
    contentsOf(listing, encode),
  ));
}

/**
 * The first ListObjects: `marker` is the key to start after. Its NextMarker (sent only with a
 * delimiter, as S3 does) is the last key or common prefix; a common prefix not after the marker is
 * not listed again (the store's start-after rule).
 */
export async function listObjectsV1(store: ObjectStore, r: S3Request, bucket: string): Promise<void> {
  const encode = encoder(r);
  const prefix = r.param('prefix') ?? '';
  const delimiter = r.param('delimiter') || undefined;
  const maxKeys = maxKeysOf(r);
  const marker = r.param('marker') || undefined;
  const listing = await store.listObjects(bucket, { prefix, delimiter, maxKeys, startAfter: marker });
  const lastKey = listing.objects.at(-1)?.key;
  const lastPrefix = listing.commonPrefixes.at(-1);
  const nextMarker = [lastKey, lastPrefix].filter((v): v is string => v !== undefined).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))).at(-1);
  sendXml(r.res, r.requestId, 200, xmlDocument(
    'ListBucketResult',
    textElement('Name', bucket),
    textElement('Prefix', encode(prefix)),
    textElement('Marker', encode(marker ?? '')),
    listing.isTruncated && delimiter !== undefined && nextMarker !== undefined ? textElement('NextMarker', encode(nextMarker)) : '',
    textElement('MaxKeys', maxKeys),
    delimiter === undefined ? '' : textElement('Delimiter', encode(delimiter)),
    textElement('IsTruncated', listing.isTruncated),
    r.param('encoding-type') === undefined ? '' : textElement('EncodingType', 'url'),
    contentsOf(listing, encode),
  ));
}
