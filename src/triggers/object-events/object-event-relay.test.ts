// The outbox relay against the real stores (objects.db and queues.db on disk): which changes are
// recorded, what reaches which queue, and that a crash between the enqueue and the outbox
// acknowledgement never enqueues an event twice, even after the first copy was consumed.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import type { Manifest } from '../../manifest/manifest.js';
import { parseManifest } from '../../manifest/parse-manifest.js';
import type { ObjectStore } from '../../objects/object-store.js';
import { SqliteObjectStore } from '../../objects/sqlite-object-store.js';
import { ManualClock } from '../../queue/queue-store.case.js';
import { SqliteQueueStore } from '../../queue/sqlite-queue-store.js';
import type { ActiveFunction } from '../../registry/registry.js';
import { ObjectEventRelay } from './object-event-relay.js';

const dirs: string[] = [];
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const text = (s: string) => new TextEncoder().encode(s);

function fn(name: string, manifestTail: string): ActiveFunction {
  const manifest: Manifest = parseManifest(`name = "${name}"\ncomponent = "f.wasm"\n${manifestTail}`);
  return { name, manifest, previousVersion: null } as unknown as ActiveFunction;
}

const thumbs = fn('thumbs', 'buckets = ["uploads:read"]\n\n[[object_event]]\nbucket = "uploads"\nevents = ["created"]\nsuffix = ".jpg"\n');
const audit = fn('audit', 'buckets = ["uploads:read"]\n\n[[object_event]]\nbucket = "uploads"\nevents = ["created", "deleted"]\nprefix = "2026/"\n');

interface Host {
  readonly objects: SqliteObjectStore;
  readonly queues: SqliteQueueStore;
  readonly relay: ObjectEventRelay;
  readonly log: string[];
}

/** The host's wiring (start-host.ts) on `dir`; `ackFails` makes the outbox acknowledgement fail, as a crash right before it would. */
async function start(dir: string, functions: readonly ActiveFunction[], options: { ackFails?: boolean } = {}): Promise<Host> {
  const clock = new ManualClock();
  const queues = new SqliteQueueStore({ path: join(dir, 'queues.db'), clock });
  let relay: ObjectEventRelay | undefined;
  const objects = await SqliteObjectStore.open({ dir: join(dir, 'objects'), clock, recordEvent: (c) => relay?.wants(c) ?? false });
  const log: string[] = [];
  const store: ObjectStore = options.ackFails
    ? new Proxy(objects, {
        get: (target, prop) => {
          if (prop === 'ackEvents') return () => Promise.reject(new Error('killed before the outbox was acknowledged'));
          const value: unknown = Reflect.get(target, prop, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      })
    : objects;
  relay = new ObjectEventRelay(store, queues, (line) => log.push(line));
  relay.sync(functions);
  open.push(queues, objects, { close: () => relay.stop() });
  return { objects, queues, relay, log };
}

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wasmlet-relay-'));
  dirs.push(dir);
  return dir;
}

test('a matching change reaches each subscriber\'s queue as an S3 event, with the outbox event id as message id; the outbox is emptied', async () => {
  const host = await start(scratch(), [thumbs, audit]);
  await host.objects.createBucket('uploads');
  const put = await host.objects.putObject('uploads', '2026/my cat.jpg', text('jpeg'), { contentType: 'image/jpeg' });
  const [event] = await host.objects.pendingEvents(10);
  assert.ok(event);
  await host.relay.drain();

  const [toThumbs] = await host.queues.list('wasmlet.objects.thumbs.uploads', { limit: 10 });
  const [toAudit] = await host.queues.list('wasmlet.objects.audit.uploads', { limit: 10 });
  assert.equal(toThumbs?.id, event.id);
  assert.equal(toAudit?.id, event.id);
  assert.deepEqual(JSON.parse(Buffer.from(toThumbs!.body).toString()), {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'wasmlet:s3',
        awsRegion: 'us-east-1',
        eventTime: new Date(put.lastModified).toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'wasmlet' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'thumbs/uploads',
          bucket: { name: 'uploads', ownerIdentity: { principalId: 'wasmlet' }, arn: 'arn:aws:s3:::uploads' },
          object: { key: '2026/my+cat.jpg', size: 4, eTag: put.etag },
        },
      },
    ],
  });
  assert.deepEqual(toThumbs!.attributes, {
    'content-type': 'application/json',
    'object-event': 'ObjectCreated:Put',
    'object-bucket': 'uploads',
    'object-key': '2026/my cat.jpg',
    'object-size': '4',
    'object-etag': put.etag,
  });
  assert.deepEqual(await host.objects.pendingEvents(10), []);
});

test('filters: a change nobody subscribes to is not even recorded; events, prefix and suffix pick the subscribers', async () => {
  const host = await start(scratch(), [thumbs, audit]);
  await host.objects.createBucket('uploads');
  await host.objects.createBucket('other');
  await host.objects.putObject('other', '2026/a.jpg', text('x'));
  await host.objects.putObject('uploads', 'notes/a.txt', text('x')); // neither: no .jpg, not under 2026/
  assert.deepEqual(await host.objects.pendingEvents(10), []);

  await host.objects.putObject('uploads', 'b.jpg', text('x')); // thumbs only
  await host.objects.putObject('uploads', '2026/c.txt', text('x')); // audit only
  await host.objects.deleteObject('uploads', 'b.jpg'); // nobody: thumbs wants created only, audit 2026/ only
  await host.objects.deleteObject('uploads', '2026/c.txt'); // audit
  await host.relay.drain();
  const keys = async (queue: string) => (await host.queues.list(queue, { limit: 10 })).map((m) => `${m.attributes['object-event']} ${m.attributes['object-key']}`);
  assert.deepEqual(await keys('wasmlet.objects.thumbs.uploads'), ['ObjectCreated:Put b.jpg']);
  assert.deepEqual(await keys('wasmlet.objects.audit.uploads'), ['ObjectCreated:Put 2026/c.txt', 'ObjectRemoved:Delete 2026/c.txt']);
  const deleted = (await host.queues.list('wasmlet.objects.audit.uploads', { limit: 10 }))[1]!;
  // As S3 sends a deletion: the key, no size or eTag.
  assert.deepEqual(JSON.parse(Buffer.from(deleted.body).toString()).Records[0].s3.object, { key: '2026/c.txt' });
});

test('a crash between the enqueue and the outbox acknowledgement: the next start relays nothing twice, even once the first copy was consumed', async () => {
  const dir = scratch();
  const first = await start(dir, [thumbs], { ackFails: true });
  await first.objects.createBucket('uploads');
  await first.objects.putObject('uploads', 'a.jpg', text('x'));
  await first.objects.putObject('uploads', 'b.jpg', text('y'));
  await first.relay.drain();
  assert.match(first.log.join('\n'), /relaying failed.*killed before the outbox was acknowledged/);
  // Enqueued (and committed), but still in the outbox.
  assert.equal((await first.objects.pendingEvents(10)).length, 2);
  const queue = 'wasmlet.objects.thumbs.uploads';
  const leased = await first.queues.receive(queue, { max: 10, visibilityTimeoutMs: 60_000 });
  assert.equal(leased.length, 2);
  await first.queues.ack(queue, leased.map((m) => m.receiptHandle)); // handled and gone: the queue's own de-duplication cannot help now
  for (const thing of open.splice(0).reverse()) await thing.close();

  const second = await start(dir, [thumbs]);
  await second.relay.drain();
  assert.deepEqual(await second.queues.list(queue, { limit: 10 }), []);
  assert.deepEqual(await second.objects.pendingEvents(10), []);
  // What the crash left of the bookkeeping is swept once the outbox is empty.
  assert.equal((second.queues.database.prepare('SELECT count(*) AS n FROM object_events_relayed').get() as { n: number }).n, 0);
});

test('a change recorded for a function deleted before the relay ran is acknowledged and dropped', async () => {
  const host = await start(scratch(), [thumbs]);
  await host.objects.createBucket('uploads');
  await host.objects.putObject('uploads', 'a.jpg', text('x'));
  host.relay.syncFunction('thumbs', undefined);
  await host.relay.drain();
  assert.deepEqual(await host.queues.queues(), []);
  assert.deepEqual(await host.objects.pendingEvents(10), []);
  await host.objects.putObject('uploads', 'b.jpg', text('x'));
  assert.deepEqual(await host.objects.pendingEvents(10), []); // and nothing is recorded any more
});
