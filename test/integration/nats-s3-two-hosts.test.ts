// Two hosts on one 3-node JetStream cluster (R3, as `serve --nats … --nats-replicas 3` sets it),
// each with its own data directory and S3 endpoint, driven by the AWS SDK: what one stores, the
// other serves.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListBucketsCommand,
  ListObjectsV2Command, PutObjectCommand, S3Client, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { startNatsCluster, type NatsCluster } from '../support/nats-server.js';
import { startS3Host, type S3TestHost } from '../support/s3-host.js';

const token = 'two-hosts-s3-token-0123456789';
const MiB = 1024 * 1024;
let nats: NatsCluster;
let a: S3TestHost;
let b: S3TestHost;
let s3a: S3Client;
let s3b: S3Client;

const client = (url: string) => new S3Client({ endpoint: url, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'wasmlet', secretAccessKey: token }, maxAttempts: 3 });
// maxAttempts 3: a keep-alive socket reset on a busy machine is transient to any real client; the one error asserted (404) is never retried.
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

before(async () => {
  nats = await startNatsCluster();
  const shared = { token, nats: { servers: nats.servers.split(','), replicas: 3 } };
  a = await startS3Host(shared);
  b = await startS3Host(shared);
  s3a = client(a.url);
  s3b = client(b.url);
});
after(async () => {
  s3a?.destroy();
  s3b?.destroy();
  await a?.close();
  await b?.close();
  await nats?.stop();
});

test('an object put through host A is read, listed and deleted through host B; a multipart upload started on A is completed on B', async () => {
  await s3a.send(new CreateBucketCommand({ Bucket: 'shared-photos' }));
  assert.ok((await s3b.send(new ListBucketsCommand({}))).Buckets?.some((bucket) => bucket.Name === 'shared-photos'), 'B lists the bucket A created');

  const body = Buffer.from('stored through host A');
  const put = await s3a.send(new PutObjectCommand({ Bucket: 'shared-photos', Key: '2026/a.txt', Body: body, ContentType: 'text/plain', Metadata: { from: 'a' } }));
  assert.equal(put.ETag, `"${md5(body)}"`);
  const got = await s3b.send(new GetObjectCommand({ Bucket: 'shared-photos', Key: '2026/a.txt' }));
  assert.equal(Buffer.from(await got.Body!.transformToByteArray()).toString(), 'stored through host A');
  assert.deepEqual([got.ETag, got.ContentType, got.Metadata], [put.ETag, 'text/plain', { from: 'a' }]);
  const ranged = await s3b.send(new GetObjectCommand({ Bucket: 'shared-photos', Key: '2026/a.txt', Range: 'bytes=7-13' }));
  assert.equal(Buffer.from(await ranged.Body!.transformToByteArray()).toString(), 'through');
  const listed = await s3b.send(new ListObjectsV2Command({ Bucket: 'shared-photos', Prefix: '2026/' }));
  assert.deepEqual(listed.Contents?.map((o) => o.Key), ['2026/a.txt']);

  // 5 MiB + 1 MiB: the first part on A, the second on B, completed on B, read on A.
  const part1 = Buffer.alloc(5 * MiB, 'x');
  const part2 = Buffer.alloc(MiB, 'y');
  const { UploadId } = await s3a.send(new CreateMultipartUploadCommand({ Bucket: 'shared-photos', Key: 'big.bin' }));
  const p1 = await s3a.send(new UploadPartCommand({ Bucket: 'shared-photos', Key: 'big.bin', UploadId, PartNumber: 1, Body: part1 }));
  const p2 = await s3b.send(new UploadPartCommand({ Bucket: 'shared-photos', Key: 'big.bin', UploadId, PartNumber: 2, Body: part2 }));
  await s3b.send(new CompleteMultipartUploadCommand({
    Bucket: 'shared-photos', Key: 'big.bin', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] },
  }));
  const big = await s3a.send(new GetObjectCommand({ Bucket: 'shared-photos', Key: 'big.bin' }));
  const bigBytes = Buffer.from(await big.Body!.transformToByteArray());
  assert.equal(bigBytes.length, 6 * MiB);
  assert.ok(bigBytes.equals(Buffer.concat([part1, part2])));

  await s3b.send(new DeleteObjectCommand({ Bucket: 'shared-photos', Key: '2026/a.txt' }));
  await assert.rejects(s3a.send(new HeadObjectCommand({ Bucket: 'shared-photos', Key: '2026/a.txt' })), (err: { name?: string }) => err.name === 'NotFound');
});
