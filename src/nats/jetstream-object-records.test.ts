// The KV keys of the JetStream object store: one to one with what they name, valid KV keys, and in the bytes' order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyOfToken, keyToken, recordKeys } from './jetstream-object-records.js';

const kvKeyPattern = /^[-/_=.a-zA-Z0-9]+$/;

test('bucket names map one to one onto KV tokens (S3 names have dots, never underscores)', () => {
  assert.equal(recordKeys.bucket('a.b-c'), 'b.a_b-c');
  assert.equal(recordKeys.bucketOfKey(recordKeys.bucket('a.b-c')), 'a.b-c');
  assert.notEqual(recordKeys.object('a.b', 'c'), recordKeys.object('a', 'b.c'), 'a bucket with a dot is not a shorter bucket and a longer key');
});

test('object keys become hex tokens: any UTF-8 key is a valid KV key, decodes back, and sorts as its bytes', () => {
  const keys = ['Z', 'a', 'é', '\uFF21', '\u{1F600}', 'photos/2026/a b.jpg', '..hidden', 'tab\tkey', 'é'.repeat(512)];
  for (const key of keys) {
    assert.match(recordKeys.object('bkt', key), kvKeyPattern);
    assert.equal(keyOfToken(keyToken(key)), key);
  }
  const byBytes = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  assert.deepEqual([...keys].map(keyToken).sort().map(keyOfToken), byBytes);
});
