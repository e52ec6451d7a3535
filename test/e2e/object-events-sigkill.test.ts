// The promise of [[object_event]], against real host processes: objects are uploaded through the
// S3 endpoint, eight at a time, while `wasmlet serve` is killed with SIGKILL mid-stream, again and
// again. Every upload the endpoint acknowledged must reach the function's queue handler: at least
// once (duplicates are counted and reported), and no event is invented for an object that was not
// stored. The probe (test/fixtures/objects-probe) records each delivery as seen/<key>/c<attempt>.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { S3Client } from '../../src/client/s3-client.js';
import { SqliteObjectStore } from '../../src/objects/sqlite-object-store.js';
import { bundleWith } from '../support/bundles.js';
import { adminRequest, startServe, type ServingHost } from '../support/cli-process.js';
import { fixtureComponent, fixturesDir } from '../support/paths.js';
import { waitFor } from '../support/queue-helpers.js';

const kills = 6;
/** Uploads each round must see acknowledged before its kill (the kill itself lands on the ones in flight). */
const ackedPerRound = 60;
const inFlight = 8;
const eventQueue = 'wasmlet.objects.fx-objects.uploads';

const manifest = readFileSync(join(fixturesDir, 'objects-probe', 'wasmlet.toml'), 'utf8')
  .replace('component = "objects-probe.wasm"', 'component = "component.wasm"')
  // Retries only: the stream must not lose anything to a dead-letter queue while hosts die.
  .replace('max_attempts = 2', 'max_attempts = 1000');

const admin = adminRequest;

function until(what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<true> {
  return waitFor(what, async () => ((await check()) ? true : undefined), timeoutMs);
}

async function s3Of(host: ServingHost): Promise<S3Client> {
  return new S3Client({ url: host.urls.s3, token: (await host.authorization()).replace(/^Bearer /, '') });
}

/** Keys recorded in `seen` so far (through S3, while the host runs). */
async function deliveries(s3: S3Client): Promise<number> {
  let count = 0;
  for await (const page of s3.listAll('seen')) count += page.objects.length;
  return count;
}

test(`SIGKILL ${kills}× while objects are uploaded: every acknowledged upload's event is delivered`, { timeout: 600_000 }, async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-objects-sigkill-'));
  const acked = new Set<string>();
  const failed = new Set<string>();
  let next = 0;
  try {
    let host = await startServe(['--data-dir', dataDir, '--workers', '2']);
    const deployed = await admin(host, '/v1/functions', { method: 'POST', body: bundleWith(manifest, fixtureComponent('objects-probe')) });
    assert.equal(deployed.status, 201, deployed.text);

    for (let round = 0; round < kills; round++) {
      const s3 = await s3Of(host);
      const ackedBefore = acked.size;
      const deliveredBefore = await deliveries(s3);
      let stop = false;
      // `inFlight` writers, each putting fresh keys one after another until the host dies.
      const writers = Array.from({ length: inFlight }, async () => {
        while (!stop) {
          const key = `r${round}/k${next++}.jpg`;
          try {
            await s3.putObject('uploads', key, randomBytes(64 + (next % 512)), 'image/jpeg');
            acked.add(key);
          } catch {
            failed.add(key); // the kill: stored or not, it was never acknowledged
            return;
          }
        }
      });
      await until('uploads acknowledged and events delivered this round', async () => acked.size - ackedBefore >= ackedPerRound && (await deliveries(s3)) > deliveredBefore);
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 20)));
      await host.kill();
      stop = true;
      await Promise.all(writers);
      await s3.close();
      host = await startServe(['--data-dir', dataDir, '--workers', '2']);
    }

    // The last host drained the outbox before it answered; wait for the handler to catch up.
    const s3 = await s3Of(host);
    await until('every acknowledged upload to be delivered', async () => {
      const seen = new Set<string>();
      for await (const page of s3.listAll('seen')) for (const o of page.objects) seen.add(o.key.slice(0, o.key.lastIndexOf('/')));
      return [...acked].every((key) => seen.has(key));
    }, 300_000);
    await until('the event queue to drain', async () => {
      const stats = JSON.parse((await admin(host, `/v1/queues/${eventQueue}`)).text) as Record<string, number>;
      return stats.visible! + stats.inFlight! + stats.delayed! === 0;
    });
    await s3.close();
    await host.stop();

    const objects = new Database(join(dataDir, 'objects', 'objects.db'), { readonly: true });
    const keysOf = (bucket: string) => (objects.prepare('SELECT key FROM objects WHERE bucket = ?').all(bucket) as Array<{ key: Buffer }>).map((r) => r.key.toString());
    const stored = new Set(keysOf('uploads'));
    const records = keysOf('seen');
    const outbox = (objects.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    objects.close();
    const queues = new Database(join(dataDir, 'queues.db'), { readonly: true });
    const dead = (queues.prepare("SELECT count(*) AS n FROM messages WHERE queue = 'fx-objects-failed'").get() as { n: number }).n;
    queues.close();

    const perKey = new Map<string, number>();
    for (const record of records) {
      const key = record.slice(0, record.lastIndexOf('/'));
      perKey.set(key, (perKey.get(key) ?? 0) + 1);
    }
    const lost = [...acked].filter((key) => !perKey.has(key));
    const invented = [...perKey.keys()].filter((key) => !stored.has(key));
    const duplicates = [...perKey.values()].filter((n) => n > 1).reduce((sum, n) => sum + n - 1, 0);
    const unacknowledgedButStored = [...failed].filter((key) => stored.has(key));
    assert.deepEqual(lost, [], `${lost.length} acknowledged upload(s) without an event`);
    assert.deepEqual(invented, [], 'an event for an object that was never stored');
    assert.ok(unacknowledgedButStored.every((key) => perKey.has(key)), 'an upload stored without its acknowledgement still has its event');
    assert.equal(outbox, 0, 'the outbox is empty');
    assert.equal(dead, 0, 'nothing dead-lettered');
    t.diagnostic(
      `${acked.size} uploads acknowledged across ${kills} kills (${failed.size} cut off by a kill, ${unacknowledgedButStored.length} of them stored anyway); ` +
        `${records.length} deliveries, ${duplicates} duplicate(s) (at least once), ${lost.length} lost`,
    );
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('killed between the write and the relay: the event waiting in the outbox is delivered by the next host', { timeout: 120_000 }, async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-objects-outbox-'));
  try {
    let host = await startServe(['--data-dir', dataDir, '--workers', '2']);
    const deployed = await admin(host, '/v1/functions', { method: 'POST', body: bundleWith(manifest, fixtureComponent('objects-probe')) });
    assert.equal(deployed.status, 201, deployed.text);
    await host.kill();
    // The host's write path up to its commit, and no further: the object and its outbox row are
    // committed together, and nothing relayed them (as when the host dies right after the commit).
    const store = await SqliteObjectStore.open({ dir: join(dataDir, 'objects'), recordEvent: (change) => change.bucket === 'uploads' });
    await store.putObject('uploads', 'crash/cat.jpg', randomBytes(100));
    assert.equal((await store.pendingEvents(10)).length, 1);
    await store.close();

    host = await startServe(['--data-dir', dataDir, '--workers', '2']);
    const s3 = await s3Of(host);
    await until('the event of the write before the crash', async () => {
      const page = await s3.listObjects('seen', { prefix: 'crash/cat.jpg/' });
      return page.objects.length === 1;
    });
    await s3.close();
    await host.stop();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
