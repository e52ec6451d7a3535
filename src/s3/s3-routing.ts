// Which S3 operation a request is: method, path-style bucket/key, sub-resource query parameters and the copy-source header.
import type { ObjectStore } from '../objects/object-store.js';
import * as buckets from './s3-bucket-ops.js';
import { S3Error } from './s3-errors.js';
import * as multipart from './s3-multipart-ops.js';
import * as objects from './s3-object-ops.js';
import type { S3Request } from './s3-request.js';

export interface S3Operation {
  /** S3's name for it (ListObjectsV2, PutObject, ...): logs and tests. */
  readonly name: string;
  run(store: ObjectStore, r: S3Request): Promise<void>;
}

/** Sub-resources of S3 this endpoint does not keep (ACLs, policies, versioning, tagging, ...): NotImplemented, never a silent success. */
const unsupported = [
  'accelerate', 'acl', 'analytics', 'attributes', 'cors', 'encryption', 'intelligent-tiering', 'inventory', 'legal-hold', 'lifecycle', 'logging', 'metrics',
  'notification', 'object-lock', 'ownershipControls', 'policy', 'policyStatus', 'publicAccessBlock', 'replication', 'requestPayment', 'restore', 'retention',
  'select', 'tagging', 'torrent', 'uploads', 'versioning', 'versions', 'website',
];

const op = (name: string, run: (store: ObjectStore, r: S3Request) => Promise<void>): S3Operation => ({ name, run });

export function routeRequest(r: S3Request): S3Operation {
  const method = r.req.method ?? 'GET';
  const { bucket, key } = r.target;
  if (bucket === undefined) {
    if (method === 'GET') return op('ListBuckets', (s) => buckets.listBuckets(s, r));
    throw new S3Error('MethodNotAllowed');
  }
  const sub = unsupported.find((name) => r.hasParam(name) && !(name === 'uploads' && method === 'POST' && key));
  const notImplemented = () => new S3Error('NotImplemented', `${method} ?${sub} is not implemented by this endpoint`);

  if (key === undefined || key === '') {
    switch (method) {
      case 'GET':
        if (r.hasParam('location')) return op('GetBucketLocation', (s) => buckets.getBucketLocation(s, r, bucket));
        if (sub) throw notImplemented();
        return r.param('list-type') === '2' ? op('ListObjectsV2', (s) => buckets.listObjectsV2(s, r, bucket)) : op('ListObjects', (s) => buckets.listObjectsV1(s, r, bucket));
      case 'PUT':
        if (sub) throw notImplemented();
        return op('CreateBucket', (s) => buckets.createBucket(s, r, bucket));
      case 'DELETE':
        if (sub) throw notImplemented();
        return op('DeleteBucket', (s) => buckets.deleteBucket(s, r, bucket));
      case 'HEAD':
        return op('HeadBucket', (s) => buckets.headBucket(s, r, bucket));
      case 'POST':
        if (r.hasParam('delete')) return op('DeleteObjects', (s) => objects.deleteObjects(s, r, bucket));
        throw new S3Error('NotImplemented', 'POST on a bucket is only DeleteObjects (?delete)');
      default:
        throw new S3Error('MethodNotAllowed');
    }
  }

  const uploadId = r.param('uploadId');
  const copySource = r.header('x-amz-copy-source');
  switch (method) {
    case 'PUT':
      if (uploadId !== undefined) {
        if (copySource !== undefined) throw new S3Error('NotImplemented', 'UploadPartCopy is not implemented');
        return op('UploadPart', (s) => multipart.uploadPart(s, r, bucket, key, uploadId));
      }
      if (sub) throw notImplemented();
      if (copySource !== undefined) return op('CopyObject', (s) => objects.copyObject(s, r, bucket, key));
      return op('PutObject', (s) => objects.putObject(s, r, bucket, key));
    case 'GET':
      if (uploadId !== undefined) return op('ListParts', (s) => multipart.listParts(s, r, bucket, key, uploadId));
      if (sub) throw notImplemented();
      return op('GetObject', (s) => objects.getObject(s, r, bucket, key));
    case 'HEAD':
      return op('HeadObject', (s) => objects.headObject(s, r, bucket, key));
    case 'DELETE':
      if (uploadId !== undefined) return op('AbortMultipartUpload', (s) => multipart.abortMultipartUpload(s, r, bucket, key, uploadId));
      if (sub) throw notImplemented();
      return op('DeleteObject', (s) => objects.deleteObject(s, r, bucket, key));
    case 'POST':
      if (r.hasParam('uploads')) return op('CreateMultipartUpload', (s) => multipart.createMultipartUpload(s, r, bucket, key));
      if (uploadId !== undefined) return op('CompleteMultipartUpload', (s) => multipart.completeMultipartUpload(s, r, bucket, key, uploadId));
      throw new S3Error('NotImplemented', 'POST on an object is CreateMultipartUpload (?uploads) or CompleteMultipartUpload (?uploadId=)');
    default:
      throw new S3Error('MethodNotAllowed');
  }
}
