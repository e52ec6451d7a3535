import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { SyncContextManager } from './trace-context-manager.js';

test('a context is active inside `with` only, nested ones restore the outer, a throw restores too', async () => {
  const manager = new SyncContextManager();
  const key = createContextKey('k');
  const outer = ROOT_CONTEXT.setValue(key, 'outer');
  const inner = ROOT_CONTEXT.setValue(key, 'inner');
  const seen: unknown[] = [];
  const pending = manager.with(outer, async () => {
    seen.push(manager.active().getValue(key));
    manager.with(inner, () => seen.push(manager.active().getValue(key)));
    seen.push(manager.active().getValue(key));
    await Promise.resolve();
    seen.push(manager.active().getValue(key)); // after an await: nothing carried over
  });
  assert.throws(() => manager.with(inner, () => { throw new Error('boom'); }), /boom/);
  await pending;
  assert.deepEqual(seen, ['outer', 'inner', 'outer', undefined]);
  assert.equal(manager.active(), ROOT_CONTEXT);
});
