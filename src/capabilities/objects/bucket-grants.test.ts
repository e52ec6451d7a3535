// The grammar of a `buckets` entry and the per-call check the main thread makes with it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accessOf, allows, parseBucketGrant } from './bucket-grants.js';

test('entries parse to a bucket and its access', () => {
  assert.deepEqual(parseBucketGrant('uploads:read'), { ok: true, grant: { bucket: 'uploads', read: true, write: false } });
  assert.deepEqual(parseBucketGrant('my.bucket-1:write'), { ok: true, grant: { bucket: 'my.bucket-1', read: false, write: true } });
  assert.deepEqual(parseBucketGrant('logs:write,read'), { ok: true, grant: { bucket: 'logs', read: true, write: true } });
});

test('an entry without an access, with another word, or with one twice is refused with what to write', () => {
  for (const [entry, hint] of [
    ['uploads', '"uploads:read"'],
    ['logs:rw', '"logs:read,write"'],
    ['logs:RW', '"logs:read,write"'],
    ['logs:ro', '"logs:read"'],
    ['logs:w', '"logs:write"'],
    ['logs:read,read', undefined],
    ['logs:', undefined],
    ['logs:read,', undefined],
    ['Logs:read', undefined],
    ['ab:read', undefined],
    ['192.168.1.1:read', undefined],
  ] as const) {
    const parsed = parseBucketGrant(entry);
    assert.equal(parsed.ok, false, entry);
    if (hint && !parsed.ok) assert.ok(parsed.reason.includes(hint), `${entry}: ${parsed.reason}`);
  }
});

test('allows: only the bucket named, only with the access granted', () => {
  const grants = [parseBucketGrant('uploads:read'), parseBucketGrant('thumbnails:write'), parseBucketGrant('logs:read,write')].map((p) => (p.ok ? p.grant : assert.fail()));
  assert.equal(allows(grants, 'uploads', 'read'), true);
  assert.equal(allows(grants, 'uploads', 'write'), false);
  assert.equal(allows(grants, 'thumbnails', 'read'), false);
  assert.equal(allows(grants, 'thumbnails', 'write'), true);
  assert.equal(allows(grants, 'logs', 'write'), true);
  assert.equal(allows(grants, 'other', 'read'), false);
  assert.equal(allows(undefined, 'uploads', 'read'), false);
  assert.deepEqual(grants.map(accessOf), ['read', 'write', 'read,write']);
});
