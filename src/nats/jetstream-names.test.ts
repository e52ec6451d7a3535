import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeName, encodeName, queueOfStream, queueStream, queueSubject } from './jetstream-names.js';

test('queue names map to stream names and subject tokens one to one', () => {
  const names = ['a', 'a.b', 'a_b', 'a__d', 'a_d', 'wasmlet.async.f', 'x-y_z.w'];
  const encoded = names.map(encodeName);
  assert.equal(new Set(encoded).size, names.length);
  for (const [i, name] of names.entries()) {
    assert.doesNotMatch(encoded[i]!, /[.*> ]/);
    assert.equal(decodeName(encoded[i]!), name);
    assert.equal(queueOfStream(queueStream(name)), name);
  }
  assert.equal(queueSubject('a.b'), 'wasmlet.q.a_db');
  assert.equal(queueOfStream('KV_other'), undefined);
});
