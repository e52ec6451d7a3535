// `buckets` and `[[object_event]]` as parseManifest returns them (the rejections are cases/buckets-*
// and cases/object-event-*).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { objectEventQueueName } from '../queue/queue-names.js';
import { defaultBackoffInitialMs, defaultBatchSize, defaultMaxAttempts, minVisibilityTimeoutMs } from './manifest-bounds.js';
import { parseManifest } from './parse-manifest.js';

const head = 'name = "thumbs"\ncomponent = "thumbs.wasm"\n';

test('buckets: each entry becomes a grant per bucket; read,write in either order', () => {
  const manifest = parseManifest(`${head}buckets = ["uploads:read", "thumbnails:write", "logs:read,write", "audit:write,read"]\n`);
  assert.deepEqual(manifest.buckets, [
    { bucket: 'uploads', read: true, write: false },
    { bucket: 'thumbnails', read: false, write: true },
    { bucket: 'logs', read: true, write: true },
    { bucket: 'audit', read: true, write: true },
  ]);
  assert.deepEqual(parseManifest(head).buckets, []);
});

test('[[object_event]]: its own host queue, the [[queue]] delivery defaults, "<function>-<bucket>-dlq"', () => {
  const manifest = parseManifest(`${head}buckets = ["uploads:read", "thumbnails:write"]

[[object_event]]
bucket = "uploads"
events = ["created"]
`);
  assert.deepEqual(manifest.objectEvent, [
    {
      queue: 'wasmlet.objects.thumbs.uploads',
      batchSize: defaultBatchSize,
      maxBatchWaitMs: 0,
      concurrency: 2,
      maxAttempts: defaultMaxAttempts,
      backoff: { initialMs: defaultBackoffInitialMs, maxMs: 300_000, multiplier: 2 },
      deadLetter: 'thumbs-uploads-dlq',
      visibilityTimeoutMs: 60_000,
      bucket: 'uploads',
      events: ['created'],
      prefix: '',
      suffix: '',
    },
  ]);
  assert.ok(Object.isFrozen(manifest.objectEvent[0]) && Object.isFrozen(manifest.objectEvent[0]!.events));
});

test('[[object_event]]: filters and every delivery option', () => {
  const [spec] = parseManifest(`${head}buckets = ["logs:read,write"]

[limits]
timeout_ms = 1000

[[object_event]]
bucket = "logs"
events = ["deleted", "created"]
prefix = "2026/"
suffix = ".jpg"
batch_size = 1
max_batch_wait_ms = 50
concurrency = 4
max_attempts = 2
backoff = { initial_ms = 10, max_ms = 20, multiplier = 1.5 }
dead_letter = "logs-failed"
`).objectEvent;
  assert.deepEqual(
    { ...spec, backoff: { ...spec!.backoff } },
    {
      queue: 'wasmlet.objects.thumbs.logs',
      batchSize: 1,
      maxBatchWaitMs: 50,
      concurrency: 4,
      maxAttempts: 2,
      backoff: { initialMs: 10, maxMs: 20, multiplier: 1.5 },
      deadLetter: 'logs-failed',
      visibilityTimeoutMs: minVisibilityTimeoutMs,
      bucket: 'logs',
      events: ['deleted', 'created'],
      prefix: '2026/',
      suffix: '.jpg',
    },
  );
});

test('the host queue of the longest function and bucket names still fits a queue name, stays unique and stable', () => {
  const fn = `f${'x'.repeat(62)}`;
  const a = objectEventQueueName(fn, `a${'b'.repeat(62)}`);
  const b = objectEventQueueName(fn, `c${'b'.repeat(62)}`);
  assert.match(a, /^wasmlet\.objects\.fx+\.[0-9a-f]{16}$/);
  assert.ok(a.length <= 128 && a !== b);
  assert.equal(a, objectEventQueueName(fn, `a${'b'.repeat(62)}`));
  assert.equal(objectEventQueueName('thumbs', 'uploads'), 'wasmlet.objects.thumbs.uploads');
});
