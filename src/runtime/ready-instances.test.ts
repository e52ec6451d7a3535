import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sleepOnlyLink } from '../capabilities/host-link.js';
import { InvocationLog } from '../capabilities/invocation-log.js';
import type { MemoryLease } from './memory-pool.js';
import { ReadyInstances, type ReadyInstance } from './ready-instances.js';

const grants = { env: { A: '1' }, config: {}, publish: [], outboundHttp: false };

/** A kept instance whose memories only count their releases. */
function entry(codeKey: string, createdAt: number, entryGrants = grants): ReadyInstance & { released: () => number } {
  let released = 0;
  const memories: MemoryLease = {
    instantiateCore: () => assert.fail('not instantiated'),
    memoryFor: () => assert.fail('not instantiated'),
    recycled: 0,
    created: 0,
    release: () => void released++,
  };
  return {
    instance: { exports: {}, log: new InvocationLog(), outbox: [], memories, link: sleepOnlyLink, instantiateMicros: 0, uses: 0 },
    codeKey,
    grants: entryGrants,
    createdAt,
    released: () => released,
  };
}

test('take hands over the kept instance once', () => {
  const ready = new ReadyInstances({ now: () => 0 });
  const a = entry('code-a', 0);
  ready.keep('a', a);
  assert.equal(ready.take('a', grants), a);
  assert.equal(ready.take('a', grants), undefined);
  assert.equal(a.released(), 0, 'taken, not dropped');
});

test('other grants (a redeploy with another env) drop the instance instead', () => {
  const ready = new ReadyInstances({ now: () => 0 });
  const a = entry('code-a', 0);
  ready.keep('a', a);
  assert.equal(ready.take('a', { ...grants, env: { A: '2' } }), undefined);
  assert.equal(a.released(), 1);
});

test('too old: dropped on take and on sweep', () => {
  let now = 0;
  const ready = new ReadyInstances({ now: () => now, maxAgeMs: 100 });
  const a = entry('code-a', 0);
  const b = entry('code-b', 50);
  ready.keep('a', a);
  ready.keep('b', b);
  now = 120;
  ready.sweep();
  assert.deepEqual([a.released(), b.released(), ready.size], [1, 0, 1]);
  now = 151;
  assert.equal(ready.take('b', grants), undefined);
  assert.equal(b.released(), 1);
});

test('bounded: the least recently kept is dropped; evicting a code drops its instances', () => {
  const ready = new ReadyInstances({ now: () => 0, maxInstances: 2 });
  const [a, b, c] = [entry('code-a', 0), entry('code-b', 0), entry('code-a', 0)];
  ready.keep('a', a);
  ready.keep('b', b);
  ready.keep('a', ready.take('a', grants)!); // a is now the most recent
  ready.keep('c', c);
  assert.deepEqual([a.released(), b.released(), c.released()], [0, 1, 0]);
  ready.dropCode('code-a');
  assert.deepEqual([a.released(), c.released(), ready.size], [1, 1, 0]);
});

test('keeping a new instance under a taken key replaces, and drops, the old one', () => {
  const ready = new ReadyInstances({ now: () => 0 });
  const [old, fresh] = [entry('code-a', 0), entry('code-a', 0)];
  ready.keep('a', old);
  ready.keep('a', fresh);
  assert.deepEqual([old.released(), fresh.released(), ready.size], [1, 0, 1]);
});
