// Two hosts on one 3-node JetStream cluster (R3, as `serve --nats … --nats-replicas 3` sets it),
// each with its own data directory and S3 endpoint, driven by the AWS SDK: what one stores, the
// other serves; and `[[object_event]]` on shared buckets: each write's event is handled (that each
// host relays only its own events is tested in nats-objects.test.ts: the probe's record of a
// delivery could not tell two first deliveries apart).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListBucketsCommand,
  ListObjectsV2Command, PutObjectCommand, S3Client, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { listen } from '../../src/host/listen.js';
import { bundleWith } from '../support/bundles.js';
import { startNatsCluster, type NatsCluster } from '../support/nats-server.js';
import { fixtureComponent, fixturesDir } from '../support/paths.js';
import { waitFor } from '../support/queue-helpers.js';
import { startTestHost, type TestHost } from '../support/test-host.js';

const MiB = 1024 * 1024;
let nats: NatsCluster;
let a: TestHost;
let b: TestHost;
let s3a: S3Client;
let s3b: S3Client;
const closers: Array<() => Promise<void>> = [];

/** maxAttempts 3: a keep-alive socket reset on a busy machine is transient to any real client; the one error asserted (404) is never retried. */
async function s3Of(host: TestHost): Promise<S3Client> {
  const endpoint = await listen(host.host.s3Listener, '127.0.0.1', 0, { checkContinue: true });
  closers.push(endpoint.close);
  return new S3Client({ endpoint: endpoint.url, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'wasmlet', secretAccessKey: host.host.adminToken }, maxAttempts: 3 });
}
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

before(async () => {
  nats = await startNatsCluster();
  const shared = { nats: { servers: nats.servers.split(','), replicas: 3 } };
  a = await startTestHost(shared);
  b = await startTestHost(shared);
  s3a = await s3Of(a);
  s3b = await s3Of(b);
});
after(async () => {
  s3a?.destroy();
  s3b?.destroy();
  for (const close of closers) await close();
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

test('[[object_event]] on shared buckets: an upload through either host is handled, and every outbox is drained', async () => {
  // test/fixtures/objects-probe records each delivery of an `uploads` event as seen/<key>/<c|d><attempt>.
  const manifest = readFileSync(join(fixturesDir, 'objects-probe', 'wasmlet.toml'), 'utf8').replace('component = "objects-probe.wasm"', 'component = "component.wasm"');
  const deployed = await a.deploy(bundleWith(manifest, fixtureComponent('objects-probe')));
  assert.equal(deployed.status, 201, await deployed.clone().text());
  await waitFor('B to know the function deployed on A', async () => ((await b.admin('/v1/functions/fx-objects')).status === 200 ? true : undefined), 60_000);
  // The deploy creates the buckets its manifest names, just after it answers.
  await waitFor('the buckets of fx-objects', async () => ((await b.host.objects.headBucket('uploads')) && (await b.host.objects.headBucket('seen')) ? true : undefined), 60_000);

  await s3a.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'from-a.jpg', Body: 'jpeg via A' }));
  await s3b.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'from-b.jpg', Body: 'jpeg via B' }));
  const seen = async (key: string) => (await a.host.objects.listObjects('seen', { prefix: `${key}/` })).objects.map((o) => o.key);
  const handled = async (key: string) => waitFor(`the event of ${key}`, async () => ((await seen(key)).length > 0 ? seen(key) : undefined), 60_000);
  assert.deepEqual(await handled('from-a.jpg'), ['from-a.jpg/c1']);
  assert.deepEqual(await handled('from-b.jpg'), ['from-b.jpg/c1']);
  // Each host relayed its own events and acknowledged them: nothing is left for another relay to take twice.
  await waitFor('both outboxes drained', async () => ((await a.host.objects.pendingEvents(10)).length + (await b.host.objects.pendingEvents(10)).length === 0 ? true : undefined));
  assert.deepEqual(await seen('from-a.jpg'), ['from-a.jpg/c1']);
  assert.deepEqual(await seen('from-b.jpg'), ['from-b.jpg/c1']);
});
