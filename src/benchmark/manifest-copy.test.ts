import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseManifest } from '../manifest/parse-manifest.js';
import { copyManifest, parkedRoutePrefix } from './manifest-copy.js';

const original = `# comment
name = "shop"
component = "shop.wasm"

[[http]]
route = "/api/*"
methods = ["GET"]

[[queue]]
queue = "orders"
dead_letter = "orders-failed"

[[schedule]]
name = "nightly"
cron = "0 3 * * *"

[limits]
timeout_ms = 2000
`;

test('a copy has its own name; live routes as declared, parked ones under the bench prefix; its own queues; no schedule', () => {
  const live = parseManifest(copyManifest(original, { name: 'shop-bench-ab12-0', parked: false }));
  assert.equal(live.name, 'shop-bench-ab12-0');
  assert.deepEqual(live.http.map((r) => r.route), ['/api/*']);
  assert.deepEqual(live.queue.map((q) => [q.queue, q.deadLetter]), [['shop-bench-ab12-0.orders', 'shop-bench-ab12-0.dlq']]);
  assert.equal(live.schedule.length, 0);
  assert.equal(live.limits.timeoutMs, 2000, 'the rest is kept');
  const parked = parseManifest(copyManifest(original, { name: 'shop-bench-ab12-0', parked: true }));
  assert.deepEqual(parked.http.map((r) => r.route), [`${parkedRoutePrefix}/shop-bench-ab12-0/api/*`]);
});

test('a varied setting is written into its table, created when absent', () => {
  const memory = parseManifest(copyManifest(original, { name: 'c', parked: false, setting: { key: 'memory_mb', value: 64 } }));
  assert.equal(memory.limits.memoryMb, 64);
  assert.equal(memory.limits.timeoutMs, 2000);
  const snapshot = parseManifest(copyManifest(original, { name: 'c', parked: false, setting: { key: 'init_snapshot', value: true } }));
  assert.equal(snapshot.runtime.initSnapshot, true);
  const reuse = parseManifest(copyManifest(original, { name: 'c', parked: false, setting: { key: 'instance_reuse', value: 100 } }));
  assert.equal(reuse.runtime.instanceReuse, 100);
});
