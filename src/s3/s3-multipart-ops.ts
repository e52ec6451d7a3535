// Multipart upload: CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload, ListParts.
import type { CompletedPart, ObjectStore } from '../objects/object-store.js';
import { S3Error } from './s3-errors.js';
import type { S3Request } from './s3-request.js';
import { sendEmpty, sendXml } from './s3-response.js';
import { childrenNamed, childText, element, textElement, xmlDocument, xmlTime } from './s3-xml.js';

export async function createMultipartUpload(store: ObjectStore, r: S3Request, bucket: string, key: string): Promise<void> {
  await r.discardBody();
  const uploadId = await store.createMultipartUpload(bucket, key, { contentType: r.header('content-type'), metadata: r.metadata() });
  sendXml(r.res, r.requestId, 200, xmlDocument('InitiateMultipartUploadResult', textElement('Bucket', bucket), textElement('Key', key), textElement('UploadId', uploadId)));
}

function partNumberOf(r: S3Request): number {
  const raw = r.param('partNumber') ?? '';
  if (!/^\d{1,5}$/.test(raw)) throw new S3Error('InvalidArgument', `partNumber "${raw}" is not an integer from 1 to 10000`, { ArgumentName: 'partNumber', ArgumentValue: raw });
  return Number(raw);
}

export async function uploadPart(store: ObjectStore, r: S3Request, bucket: string, key: string, uploadId: string): Promise<void> {
  const partNumber = partNumberOf(r);
  const checks = r.bodyChecks();
  const part = await store.uploadPart(bucket, key, uploadId, partNumber, r.body(), checks);
  sendEmpty(r.res, r.requestId, 200, { etag: `"${part.etag}"` });
}

export async function completeMultipartUpload(store: ObjectStore, r: S3Request, bucket: string, key: string, uploadId: string): Promise<void> {
  const doc = await r.xmlBody();
  if (doc.name !== 'CompleteMultipartUpload') throw new S3Error('MalformedXML', 'the body must be a <CompleteMultipartUpload> document');
  const parts: CompletedPart[] = childrenNamed(doc, 'Part').map((part) => {
    const number = childText(part, 'PartNumber')?.trim() ?? '';
    const etag = childText(part, 'ETag');
    if (!/^\d{1,5}$/.test(number) || etag === undefined) throw new S3Error('MalformedXML', 'each <Part> needs a <PartNumber> and an <ETag>');
    return { partNumber: Number(number), etag };
  });
  if (parts.length === 0) throw new S3Error('MalformedXML', 'a CompleteMultipartUpload lists at least one <Part>');
  const info = await store.completeMultipartUpload(bucket, key, uploadId, parts);
  sendXml(r.res, r.requestId, 200, xmlDocument(
    'CompleteMultipartUploadResult',
    textElement('Location', `/${bucket}/${key}`),
    textElement('Bucket', bucket),
    textElement('Key', key),
    textElement('ETag', `"${info.etag}"`),
  ));
}

export async function abortMultipartUpload(store: ObjectStore, r: S3Request, bucket: string, key: string, uploadId: string): Promise<void> {
  await store.abortMultipartUpload(bucket, key, uploadId);
  sendEmpty(r.res, r.requestId, 204);
}

export async function listParts(store: ObjectStore, r: S3Request, bucket: string, key: string, uploadId: string): Promise<void> {
  const number = (name: string) => {
    const raw = r.param(name);
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw)) throw new S3Error('InvalidArgument', `${name} "${raw}" is not a non-negative integer`);
    return Math.min(Number(raw), 1000);
  };
  const maxParts = number('max-parts') ?? 1000;
  const partNumberMarker = number('part-number-marker');
  const listing = await store.listParts(bucket, key, uploadId, { maxParts, partNumberMarker });
  sendXml(r.res, r.requestId, 200, xmlDocument(
    'ListPartsResult',
    textElement('Bucket', bucket),
    textElement('Key', key),
    textElement('UploadId', uploadId),
    textElement('PartNumberMarker', partNumberMarker ?? 0),
    textElement('NextPartNumberMarker', listing.nextPartNumberMarker),
    textElement('MaxParts', maxParts),
    textElement('IsTruncated', listing.isTruncated),
    textElement('StorageClass', 'STANDARD'),
    ...listing.parts.map((p) => element('Part', textElement('PartNumber', p.partNumber), textElement('LastModified', xmlTime(p.lastModified)), textElement('ETag', `"${p.etag}"`), textElement('Size', p.size))),
  ));
}
