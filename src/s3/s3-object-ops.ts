// Object operations: PutObject, GetObject (Range → 206, conditional headers), HeadObject, DeleteObject, DeleteObjects, CopyObject.
import { pipeline } from 'node:stream/promises';
import type { ByteRange, ObjectInfo, ObjectStore } from '../objects/object-store.js';
import { S3Error, toS3Error } from './s3-errors.js';
import type { S3Request } from './s3-request.js';
import { baseHeaders, sendEmpty, sendXml } from './s3-response.js';
import { childrenNamed, childText, element, textElement, xmlDocument, xmlTime } from './s3-xml.js';

/** S3 takes at most this many keys in one DeleteObjects. */
export const maxDeleteKeys = 1000;

export async function putObject(store: ObjectStore, r: S3Request, bucket: string, key: string): Promise<void> {
  const checks = r.bodyChecks();
  const info = await store.putObject(bucket, key, r.body(), { contentType: r.header('content-type'), metadata: r.metadata(), ...checks });
  sendEmpty(r.res, r.requestId, 200, { etag: `"${info.etag}"` });
}

/** The headers that describe an object, as GetObject and HeadObject send them (`response-*` query overrides applied). */
function objectHeaders(r: S3Request, info: ObjectInfo): Record<string, string> {
  const headers: Record<string, string> = {
    ...baseHeaders(r.requestId),
    etag: `"${info.etag}"`,
    'last-modified': new Date(info.lastModified).toUTCString(),
    'content-type': info.contentType,
    'accept-ranges': 'bytes',
  };
  for (const [name, value] of Object.entries(info.metadata)) headers[`x-amz-meta-${name}`] = value;
  const overrides = { 'response-content-type': 'content-type', 'response-content-disposition': 'content-disposition', 'response-content-encoding': 'content-encoding', 'response-content-language': 'content-language', 'response-cache-control': 'cache-control', 'response-expires': 'expires' };
  for (const [param, header] of Object.entries(overrides)) {
    const value = r.param(param);
    if (value !== undefined && /^[\t\x20-\x7e]*$/.test(value)) headers[header] = value;
  }
  return headers;
}

/** HTTP preconditions against the ETag and time: 412 PreconditionFailed, or true for 304 Not Modified. */
function notModified(r: S3Request, info: ObjectInfo): boolean {
  const etagMatches = (header: string) => header.split(',').some((t) => t.trim() === '*' || t.trim().replace(/^W\//, '').replace(/"/g, '') === info.etag);
  const ifMatch = r.header('if-match');
  if (ifMatch !== undefined && !etagMatches(ifMatch)) throw new S3Error('PreconditionFailed', undefined, { Condition: 'If-Match' });
  const seconds = Math.floor(info.lastModified / 1000) * 1000;
  const ifUnmodifiedSince = Date.parse(r.header('if-unmodified-since') ?? '');
  if (ifMatch === undefined && !Number.isNaN(ifUnmodifiedSince) && seconds > ifUnmodifiedSince) throw new S3Error('PreconditionFailed', undefined, { Condition: 'If-Unmodified-Since' });
  const ifNoneMatch = r.header('if-none-match');
  if (ifNoneMatch !== undefined) return etagMatches(ifNoneMatch);
  const ifModifiedSince = Date.parse(r.header('if-modified-since') ?? '');
  return !Number.isNaN(ifModifiedSince) && seconds <= ifModifiedSince;
}

/** One range of `bytes=a-b`, `bytes=a-` or `bytes=-n`; anything else (several ranges, bad syntax) is ignored, as HTTP allows. */
export function parseRangeHeader(value: string | undefined): ByteRange | undefined {
  const m = value === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') return { suffix: Number(m[2]) };
  const start = Number(m[1]);
  const end = m[2] === '' ? undefined : Number(m[2]);
  if (end !== undefined && end < start) return undefined;
  return { start, end };
}

export async function getObject(store: ObjectStore, r: S3Request, bucket: string, key: string): Promise<void> {
  const info = await store.headObject(bucket, key);
  if (!info) throw new S3Error('NoSuchKey', undefined, { Key: key, BucketName: bucket });
  if (notModified(r, info)) {
    sendEmpty(r.res, r.requestId, 304, { etag: `"${info.etag}"` });
    return;
  }
  const range = parseRangeHeader(r.header('range'));
  const read = await store.getObject(bucket, key, { range });
  if (!read) throw new S3Error('NoSuchKey', undefined, { Key: key, BucketName: bucket });
  const headers = objectHeaders(r, read.info);
  headers['content-length'] = String(read.end - read.start + 1);
  if (range !== undefined) headers['content-range'] = `bytes ${read.start}-${read.end}/${read.info.size}`;
  r.res.writeHead(range !== undefined ? 206 : 200, headers);
  try {
    await pipeline(read.body, r.res);
  } catch {
    // The client went away, or the content could not be read: the response is cut short (pipeline destroyed both sides).
  }
}

export async function headObject(store: ObjectStore, r: S3Request, bucket: string, key: string): Promise<void> {
  const info = await store.headObject(bucket, key);
  if (!info) throw new S3Error('NoSuchKey', undefined, { Key: key, BucketName: bucket });
  if (notModified(r, info)) {
    sendEmpty(r.res, r.requestId, 304, { etag: `"${info.etag}"` });
    return;
  }
  r.res.writeHead(200, { ...objectHeaders(r, info), 'content-length': String(info.size) });
  r.res.end();
}

export async function deleteObject(store: ObjectStore, r: S3Request, bucket: string, key: string): Promise<void> {
  await store.deleteObject(bucket, key);
  sendEmpty(r.res, r.requestId, 204);
}

/** DeleteObjects: each key deleted on its own; failures are listed per key, and `Quiet` lists only those. */
export async function deleteObjects(store: ObjectStore, r: S3Request, bucket: string): Promise<void> {
  const doc = await r.xmlBody();
  if (doc.name !== 'Delete') throw new S3Error('MalformedXML', 'the body must be a <Delete> document');
  const objects = childrenNamed(doc, 'Object');
  if (objects.length === 0 || objects.length > maxDeleteKeys) throw new S3Error('MalformedXML', `a Delete names 1 to ${maxDeleteKeys} objects`);
  const quiet = childText(doc, 'Quiet')?.trim() === 'true';
  if (!(await store.headBucket(bucket))) throw new S3Error('NoSuchBucket', undefined, { BucketName: bucket });
  const results: string[] = [];
  for (const object of objects) {
    const key = childText(object, 'Key');
    if (key === undefined) throw new S3Error('MalformedXML', 'an <Object> has no <Key>');
    try {
      await store.deleteObject(bucket, key);
      if (!quiet) results.push(element('Deleted', textElement('Key', key)));
    } catch (err) {
      const s3 = toS3Error(err);
      results.push(element('Error', textElement('Key', key), textElement('Code', s3.code), textElement('Message', s3.message)));
    }
  }
  sendXml(r.res, r.requestId, 200, xmlDocument('DeleteResult', ...results));
}

/** `x-amz-copy-source: [/]bucket/key[?versionId=…]`, URL-encoded. */
export function parseCopySource(value: string): { bucket: string; key: string } {
  const path = value.split('?')[0]!.replace(/^\//, '');
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw new S3Error('InvalidArgument', `x-amz-copy-source "${value}" is not URL-encoded UTF-8`);
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) throw new S3Error('InvalidArgument', `x-amz-copy-source "${value}" is not <bucket>/<key>`);
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1) };
}

export async function copyObject(store: ObjectStore, r: S3Request, bucket: string, key: string): Promise<void> {
  const source = parseCopySource(r.header('x-amz-copy-source')!);
  const directive = (r.header('x-amz-metadata-directive') ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE') throw new S3Error('InvalidArgument', `x-amz-metadata-directive "${directive}" is not COPY or REPLACE`);
  await r.discardBody();
  let info: ObjectInfo;
  try {
    info = await store.copyObject(source, { bucket, key }, directive === 'REPLACE' ? { replace: { contentType: r.header('content-type'), metadata: r.metadata() } } : {});
  } catch (err) {
    // A missing source is named as S3 names it: the source's bucket and key.
    throw toS3Error(err, { bucket: source.bucket, key: source.key });
  }
  sendXml(r.res, r.requestId, 200, xmlDocument('CopyObjectResult', textElement('LastModified', xmlTime(info.lastModified)), textElement('ETag', `"${info.etag}"`)));
}
