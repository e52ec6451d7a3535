// The S3 endpoint driven by the AWS SDK for JavaScript v3 (@aws-sdk/client-s3), as an application would use it.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteBucketCommand,
  DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListBucketsCommand, ListObjectsV2Command, ListPartsCommand, PutObjectCommand,
  S3Client, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { startS3Host, type S3TestHost } from '../support/s3-host.js';

const MiB = 1024 * 1024;
const token = 'sdk-test-token-0123456789';
/** Lowered so that a 17 MiB PutObject is over it while the 8 MiB parts of a 20 MiB upload are not. */
const maxPutObjectBytes = 16 * MiB;
let h: S3TestHost;
let s3: S3Client;

// The SDK's default of 3 attempts, as applications run it: it tries again only what it classes as
// transient (a socket reset, e.g. a keep-alive connection the server closed just as it was reused;
// CI saw one on a busy machine, and 500/502/503/504). Every error asserted below is a 4xx, never retried.
const client = (url: string, secretAccessKey: string, accessKeyId = 'wasmlet') =>
  new S3Client({ endpoint: url, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey }, maxAttempts: 3 });
const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
/** Deterministic, incompressible-looking bytes. */
function bytes(size: number, seed: string): Buffer {
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update(seed).digest();
  for (let at = 0; at < size; at += block.length) {
    block.copy(out, at);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}
async function rejectsWith(promise: Promise<unknown>, name: string, status?: number): Promise<void> {
  await assert.rejects(promise, (err: { name?: string; $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(err.name, name);
    if (status !== undefined) assert.equal(err.$metadata?.httpStatusCode, status);
    return true;
  });
}

before(async () => {
  h = await startS3Host({ token, objectLimits: { maxPutObjectBytes } });
  s3 = client(h.url, token);
});
after(async () => {
  s3?.destroy();
  await h?.close();
});

test('@aws-sdk/client-s3: buckets, small and 20 MiB objects (multipart), ranges across parts, head, list, copy, delete', async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'photos' }));
  await rejectsWith(s3.send(new CreateBucketCommand({ Bucket: 'photos' })), 'BucketAlreadyOwnedByYou', 409);
  assert.ok((await s3.send(new ListBucketsCommand({}))).Buckets?.some((b) => b.Name === 'photos'));

  const small = Buffer.from('a small object');
  const put = await s3.send(new PutObjectCommand({ Bucket: 'photos', Key: '2026/notes.txt', Body: small, ContentType: 'text/plain', Metadata: { author: 'ada' } }));
  assert.equal(put.ETag, `"${md5(small)}"`);

  const big = bytes(20 * MiB, 'big');
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'photos', Key: '2026/big.bin', ContentType: 'application/x-big' }));
  const parts = [];
  for (let i = 0; i * 8 * MiB < big.length; i++) {
    const body = big.subarray(i * 8 * MiB, (i + 1) * 8 * MiB);
    const part = await s3.send(new UploadPartCommand({ Bucket: 'photos', Key: '2026/big.bin', UploadId, PartNumber: i + 1, Body: body }));
    assert.equal(part.ETag, `"${md5(body)}"`);
    parts.push({ PartNumber: i + 1, ETag: part.ETag });
  }
  assert.deepEqual((await s3.send(new ListPartsCommand({ Bucket: 'photos', Key: '2026/big.bin', UploadId }))).Parts?.map((p) => p.Size), [8 * MiB, 8 * MiB, 4 * MiB]);
  const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'photos', Key: '2026/big.bin', UploadId, MultipartUpload: { Parts: parts } }));
  assert.match(done.ETag ?? '', /^"[0-9a-f]{32}-3"$/);

  const whole = await s3.send(new GetObjectCommand({ Bucket: 'photos', Key: '2026/big.bin' }));
  assert.equal(md5(await whole.Body!.transformToByteArray()), md5(big));
  const across = await s3.send(new GetObjectCommand({ Bucket: 'photos', Key: '2026/big.bin', Range: `bytes=${8 * MiB - 8}-${8 * MiB + 7}` }));
  assert.equal(across.$metadata.httpStatusCode, 206);
  assert.equal(across.ContentRange, `bytes ${8 * MiB - 8}-${8 * MiB + 7}/${20 * MiB}`);
  assert.deepEqual(Buffer.from(await across.Body!.transformToByteArray()), big.subarray(8 * MiB - 8, 8 * MiB + 8));

  const head = await s3.send(new HeadObjectCommand({ Bucket: 'photos', Key: '2026/notes.txt' }));
  assert.deepEqual([head.ContentLength, head.ContentType, head.Metadata], [small.length, 'text/plain', { author: 'ada' }]);
  await rejectsWith(s3.send(new HeadObjectCommand({ Bucket: 'photos', Key: 'nope' })), 'NotFound', 404);
  await rejectsWith(s3.send(new GetObjectCommand({ Bucket: 'photos', Key: 'nope' })), 'NoSuchKey', 404);

  await s3.send(new CopyObjectCommand({ Bucket: 'photos', Key: 'copies/notes.txt', CopySource: 'photos/2026/notes.txt' }));
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'photos', Delimiter: '/' }));
  assert.deepEqual(listed.CommonPrefixes?.map((p) => p.Prefix), ['2026/', 'copies/']);
  const page1 = await s3.send(new ListObjectsV2Command({ Bucket: 'photos', MaxKeys: 2 }));
  assert.deepEqual([page1.KeyCount, page1.IsTruncated], [2, true]);
  const page2 = await s3.send(new ListObjectsV2Command({ Bucket: 'photos', MaxKeys: 2, ContinuationToken: page1.NextContinuationToken }));
  assert.deepEqual(page2.Contents?.map((c) => c.Key), ['copies/notes.txt']);
  assert.equal(page2.IsTruncated, false);

  for (const key of ['tmp/a', 'tmp/b', 'tmp/c']) await s3.send(new PutObjectCommand({ Bucket: 'photos', Key: key, Body: key }));
  const deleted = await s3.send(new DeleteObjectsCommand({ Bucket: 'photos', Delete: { Objects: ['tmp/a', 'tmp/b', 'tmp/c'].map((Key) => ({ Key })) } }));
  assert.deepEqual(deleted.Deleted?.map((d) => d.Key).sort(), ['tmp/a', 'tmp/b', 'tmp/c']);
  await s3.send(new DeleteObjectCommand({ Bucket: 'photos', Key: 'copies/notes.txt' }));
  await rejectsWith(s3.send(new DeleteBucketCommand({ Bucket: 'photos' })), 'BucketNotEmpty', 409);
  assert.deepEqual((await s3.send(new ListObjectsV2Command({ Bucket: 'photos' }))).Contents?.map((c) => c.Key), ['2026/big.bin', '2026/notes.txt']);
});

test('@aws-sdk/client-s3: bad requests get S3 error codes and lose or half-write nothing', async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'safe' }));
  const original = Buffer.from('the original');
  await s3.send(new PutObjectCommand({ Bucket: 'safe', Key: 'k', Body: original }));
  const before = await h.host.objects.usage();

  await rejectsWith(client(h.url, 'not-the-token-at-all').send(new PutObjectCommand({ Bucket: 'safe', Key: 'k', Body: 'evil' })), 'SignatureDoesNotMatch', 403);
  await rejectsWith(client(h.url, token, 'AKIAIOSFODNN7EXAMPLE').send(new ListObjectsV2Command({ Bucket: 'safe' })), 'InvalidAccessKeyId', 403);
  const replacement = Buffer.from('a replacement');
  await rejectsWith(s3.send(new PutObjectCommand({ Bucket: 'safe', Key: 'k', Body: replacement, ContentMD5: createHash('md5').update('other').digest('base64') })), 'BadDigest', 400);
  await rejectsWith(s3.send(new PutObjectCommand({ Bucket: 'safe', Key: 'too-big', Body: Buffer.alloc(maxPutObjectBytes + MiB) })), 'EntityTooLarge', 400);
  await rejectsWith(s3.send(new PutObjectCommand({ Bucket: 'safe', Key: 'nul\u0000key', Body: 'x' })), 'InvalidArgument', 400);
  await rejectsWith(s3.send(new PutObjectCommand({ Bucket: 'safe', Key: 'photos/../../etc/passwd', Body: 'x' })), 'InvalidArgument', 400);
  await rejectsWith(s3.send(new PutObjectCommand({ Bucket: 'missing-bucket', Key: 'k', Body: 'x' })), 'NoSuchBucket', 404);

  // A truncated multipart upload: completing with a part that never arrived fails; aborting leaves nothing.
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'safe', Key: 'k' }));
  const p1 = await s3.send(new UploadPartCommand({ Bucket: 'safe', Key: 'k', UploadId, PartNumber: 1, Body: bytes(5 * MiB, 'p1') }));
  await rejectsWith(
    s3.send(new CompleteMultipartUploadCommand({ Bucket: 'safe', Key: 'k', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: `"${md5(Buffer.from('never sent'))}"` }] } })),
    'InvalidPart',
    400,
  );
  await s3.send(new AbortMultipartUploadCommand({ Bucket: 'safe', Key: 'k', UploadId }));
  await rejectsWith(s3.send(new ListPartsCommand({ Bucket: 'safe', Key: 'k', UploadId })), 'NoSuchUpload', 404);

  const read = await s3.send(new GetObjectCommand({ Bucket: 'safe', Key: 'k' }));
  assert.deepEqual(Buffer.from(await read.Body!.transformToByteArray()), original);
  assert.deepEqual((await s3.send(new ListObjectsV2Command({ Bucket: 'safe' }))).Contents?.map((c) => c.Key), ['k']);
  assert.deepEqual(await h.host.objects.usage(), before);
});
