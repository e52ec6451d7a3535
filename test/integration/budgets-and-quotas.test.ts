// Budgets and quotas against real hosts (issue 12, scope 2): the memory budget bounds `memory_mb` ×
// running instances, deploy refuses a `memory_mb` the host could never run, queues refuse sends past
// their depth and byte quotas (429), and the data directory's disk budget refuses queue sends and
// deploys (507) — while everything already accepted stays. Counts and statuses only, no timings.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bundleWith, manifestFor } from '../support/bundles.js';
import { fixtureComponent } from '../support/paths.js';
import { peek, sendTexts } from '../support/queue-helpers.js';
import { errorCodeOf, startTestHost, type TestHost } from '../support/test-host.js';
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startS3Host } from '../support/s3-host.js';

const mib = 1024 * 1024;

async function fixtureBundle(fixture: string, name: string, route: string, extraToml = ''): Promise<Uint8Array> {
  return bundleWith(manifestFor(name, route, extraToml), fixtureComponent(fixture));
}

async function deployOk(host: TestHost, zip: Uint8Array): Promise<void> {
  const response = await host.deploy(zip);
  assert.equal(response.status, 201, await response.text());
}

describe('memory budget', () => {
  let host: TestHost;
  before(async () => {
    host = await startTestHost({ memoryBudgetMb: 100 });
  });
  after(() => host.close());

  test('calls whose memory_mb does not fit wait: 6 calls of a 64 MiB function never run two at once under a 100 MiB budget', async () => {
    await deployOk(host, await fixtureBundle('slow', 'budget-slow', '/budget-slow', '[limits]\nmemory_mb = 64\ntimeout_ms = 30000\n'));
    const responses = await Promise.all(Array.from({ length: 6 }, () => host.get('/budget-slow?ms=100')));
    assert.deepEqual(responses.map((r) => r.status), [200, 200, 200, 200, 200, 200]);
    const { budgetMb, peakMb, reservedMb } = host.host.pool.memory;
    assert.equal(budgetMb, 100);
    assert.equal(peakMb, 64, 'one call at a time: 64 MiB reserved at most');
    assert.equal(reservedMb, 0, 'every reservation is given back');
  });

  test('deploy refuses a memory_mb above the per-instance maximum (never above the budget)', async () => {
    const response = await host.deploy(await fixtureBundle('echo', 'budget-huge', '/budget-huge', '[limits]\nmemory_mb = 256\n'));
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'memory_over_host_limit');
    assert.match(body.error.message, /memory_mb = 256.*100 MiB/);
  });

  test('a memory bomb at its cap holds one budget share: RSS stays far below memory_mb × callers', async () => {
    // 4 compute slots: without the budget all four bombs would run at once.
    const big = await startTestHost({ memoryBudgetMb: 300, workers: 4 });
    try {
      await deployOk(big, await fixtureBundle('memory-bomb', 'budget-bomb', '/budget-bomb', '[limits]\nmemory_mb = 256\ntimeout_ms = 60000\n'));
      await deployOk(big, await fixtureBundle('echo', 'budget-echo', '/budget-echo'));
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
      const calls = await Promise.all(Array.from({ length: 4 }, () => big.get('/budget-bomb')));
      clearInterval(sampler);
      // Each call touches its whole 512 MiB and traps (malloc fails at the cap).
      assert.deepEqual(calls.map((r) => r.status), [502, 502, 502, 502]);
      assert.equal(big.host.pool.memory.peakMb, 256);
      // Unbounded, the four bombs would hold ~1 GiB at once; one at a time (with a finished one's
      // memory perhaps not yet collected) stays under 768 MiB.
      assert.ok(peak - baseline < 768 * mib, `RSS grew by ${Math.round((peak - baseline) / mib)} MiB`);
      const ok = await big.get('/budget-echo');
      assert.equal(ok.status, 200, 'the host still serves after the bombs');
    } finally {
      await big.close();
    }
  });
});

describe('queue quotas', () => {
  let host: TestHost;
  before(async () => {
    host = await startTestHost({ queueQuota: { maxMessages: 5, maxBodyBytes: 1000 } });
  });
  after(() => host.close());

  test('a queue refuses the send past its depth quota with 429 queue_full; the accepted ones stay', async () => {
    const ids = await sendTexts(host, 'quota-depth', ['1', '2', '3', '4', '5']);
    assert.equal(ids.length, 5);
    const refused = await host.admin('/v1/queues/quota-depth/messages', { method: 'POST', body: '6', headers: { 'content-type': 'text/plain' } });
    assert.equal(refused.status, 429);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'queue_full');
    assert.match(body.error.message, /quota-depth.*5 messages/);
    const kept = await peek(host, 'quota-depth');
    assert.deepEqual(kept.map((m) => m.id), ids);
  });

  test('a queue refuses the send past its byte quota; a batch is refused whole', async () => {
    await sendTexts(host, 'quota-bytes', ['x'.repeat(900)]);
    const batch = await host.admin('/v1/queues/quota-bytes/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.wasmlet.batch+json' },
      body: JSON.stringify({ messages: [{ body: 'y'.repeat(50) }, { body: 'z'.repeat(100) }] }),
    });
    assert.equal(batch.status, 429);
    assert.equal(await errorCodeOf(batch), 'queue_full');
    assert.equal((await peek(host, 'quota-bytes')).length, 1, 'nothing of the refused batch was written');
    const fits = await host.admin('/v1/queues/quota-bytes/messages', { method: 'POST', body: 'w'.repeat(100), headers: { 'content-type': 'text/plain' } });
    assert.equal(fits.status, 202);
  });

  test('a guest publishing into a full queue gets back-pressure (503 + Retry-After), not a lost message', async () => {
    await deployOk(host, bundleWith('name = "quota-probe"\ncomponent = "component.wasm"\npublish = ["quota-out"]\n\n[[http]]\nroute = "/quota-probe"\n', fixtureComponent('queue-probe')));
    await sendTexts(host, 'quota-out', ['a', 'b', 'c', 'd', 'e']);
    const response = await host.get('/quota-probe?send=quota-out', { method: 'POST', body: 'f' });
    assert.equal(response.status, 503);
    assert.ok(response.headers.get('retry-after'));
    assert.equal((await peek(host, 'quota-out')).length, 5);
  });

  test('an async invocation past its queue quota is refused with 429', async () => {
    await deployOk(host, await fixtureBundle('echo', 'quota-async', '/quota-async'));
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const response = await host.admin('/v1/functions/quota-async/invoke', { method: 'POST', body: `e${i}`, headers: { 'x-wasmlet-invocation-type': 'Event', 'content-type': 'text/plain' } });
      statuses.push(response.status);
      if (response.status === 429) assert.equal(await errorCodeOf(response), 'queue_full');
      else await response.arrayBuffer();
    }
    // The consumer may take some off the queue meanwhile; at most 5 wait at once, so some of 8 sent back to back may pass.
    assert.ok(statuses.every((s) => s === 202 || s === 429), statuses.join(','));
    assert.ok(statuses.filter((s) => s === 202).length >= 5, statuses.join(','));
  });
});

describe('disk budget', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-disk-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  test('past the data directory budget, queue sends and deploys get 507 storage_full; what was stored stays', async () => {
    // A first start measures what an empty data directory holds.
    const first = await startTestHost({}, dataDir);
    const empty = first.host.disk.usedBytes;
    await first.close(false);
    const host = await startTestHost({ diskBudgetBytes: empty + 3 * mib }, dataDir);
    try {
      const accepted: string[] = [];
      let refusal: Response | undefined;
      for (let i = 0; i < 10 && !refusal; i++) {
        const response = await host.admin('/v1/queues/disk-fill/messages', { method: 'POST', body: new Uint8Array(mib - 1024), headers: { 'content-type': 'application/octet-stream' } });
        if (response.status === 202) accepted.push(...((await response.json()) as { ids: string[] }).ids);
        else refusal = response;
      }
      assert.ok(refusal, 'a send was refused');
      assert.equal(refusal.status, 507);
      assert.equal(await errorCodeOf(refusal), 'storage_full');
      assert.ok(accepted.length >= 1 && accepted.length <= 3, `accepted ${accepted.length}`);
      assert.deepEqual((await peek(host, 'disk-fill')).map((m) => m.id), accepted);

      // Incompressible padding: the bundle alone is larger than what is left of the budget.
      const deploy = await host.deploy(bundleWith(manifestFor('disk-fn', '/disk-fn'), fixtureComponent('echo'), { 'padding.bin': new Uint8Array(randomBytes(2 * mib)) }));
      assert.equal(deploy.status, 507);
      assert.equal(await errorCodeOf(deploy), 'storage_full');
    } finally {
      await host.close(false);
    }
  });

  test('an S3 upload past the budget gets 507 StorageFull before its body is kept (the AWS SDK, a real client)', async () => {
    const probe = await startS3Host();
    const empty = probe.host.disk.usedBytes;
    await probe.close();
    const h = await startS3Host({ token: 'disk-budget-token-0123456789', diskBudgetBytes: empty + 2 * mib });
    const s3 = new S3Client({ endpoint: h.url, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'wasmlet', secretAccessKey: 'disk-budget-token-0123456789' }, maxAttempts: 1 });
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'full' }));
      await s3.send(new PutObjectCommand({ Bucket: 'full', Key: 'fits', Body: new Uint8Array(randomBytes(mib / 2)) }));
      await assert.rejects(s3.send(new PutObjectCommand({ Bucket: 'full', Key: 'too-big', Body: new Uint8Array(randomBytes(3 * mib)) })), (err: { name?: string; $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(err.name, 'StorageFull');
        assert.equal(err.$metadata?.httpStatusCode, 507);
        return true;
      });
      await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: 'full', Key: 'too-big' })), { name: 'NotFound' });
      assert.equal((await s3.send(new HeadObjectCommand({ Bucket: 'full', Key: 'fits' }))).ContentLength, mib / 2);
    } finally {
      s3.destroy();
      await h.close();
    }
  });
});
