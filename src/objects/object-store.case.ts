// The ObjectStore conformance suite: every backend runs these same tests (see sqlite-object-store.test.ts).
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { ManualClock } from '../queue/queue-store.case.js';
import { isObjectError } from './object-error.js';
import type { ObjectChange, ObjectStore } from './object-store.js';
import {
  chunked, code, failing, md5Base64, md5Hex, readAll, sha256Hex, text, untouchable, type ObjectStoreSetup,
} from './object-store-case-support.case.js';
import { objectStoreListingCases } from './object-store-listing.case.js';
import { objectStoreMultipartCases } from './object-store-multipart.case.js';

/** Builds a fresh, empty store; the suite closes it after each test. */
export type ObjectStoreFactory = (setup: ObjectStoreSetup) => Promise<ObjectStore>;

export function runObjectStoreConformance(name: string, factory: ObjectStoreFactory): void {
  describe(`ObjectStore conformance: ${name}`, () => {
    const open: ObjectStore[] = [];
    const make = async (setup: Partial<ObjectStoreSetup> = {}) => {
      const clock = setup.clock ?? new ManualClock();
      const store = await factory({ ...setup, clock });
      open.push(store);
      return { store, clock };
    };
    afterEach(async () => {
      for (const store of open.splice(0)) await store.close();
    });

    test('buckets: create, head, list by name, refuse a duplicate, an invalid name, a non-empty delete', async () => {
      const { store, clock } = await make();
      assert.deepEqual(await store.createBucket('photos'), { name: 'photos', createdAt: clock.now() });
      await store.createBucket('a-bucket.v2');
      assert.deepEqual((await store.listBuckets()).map((b) => b.name), ['a-bucket.v2', 'photos']);
      assert.equal((await store.headBucket('photos'))?.name, 'photos');
      assert.equal(await store.headBucket('missing'), null);
      await assert.rejects(store.createBucket('photos'), code('bucket_exists'));
      for (const bad of ['ab', 'Photos', 'a..b', '-ab', 'ab-', '192.168.1.1', 'under_score', 'x'.repeat(64), 'xn--abc']) {
        await assert.rejects(store.createBucket(bad), code('invalid_bucket_name'), bad);
      }
      await store.putObject('photos', 'k', text('v'));
      await assert.rejects(store.deleteBucket('photos'), code('bucket_not_empty'));
      await assert.rejects(store.deleteBucket('missing'), code('no_such_bucket'));
      await store.deleteObject('photos', 'k');
      await store.deleteBucket('photos');
      assert.equal(await store.headBucket('photos'), null);
      assert.deepEqual((await store.listBuckets()).map((b) => b.name), ['a-bucket.v2']);
    });

    test('put then get and head: bytes, MD5 ETag, content type, lower-cased metadata, time; absent keys are null', async () => {
      const { store, clock } = await make();
      await store.createBucket('bkt');
      const bytes = text('hello, objects');
      const info = await store.putObject('bkt', 'greeting.txt', bytes, { contentType: 'text/plain', metadata: { Author: 'ada' } });
      assert.deepEqual(info, {
        bucket: 'bkt', key: 'greeting.txt', size: bytes.length, etag: md5Hex(bytes), contentType: 'text/plain', metadata: { author: 'ada' }, lastModified: clock.now(),
      });
      assert.deepEqual(await store.headObject('bkt', 'greeting.txt'), info);
      const read = await store.getObject('bkt', 'greeting.txt');
      assert.ok(read);
      assert.deepEqual(read.info, info);
      assert.equal(read.start, 0);
      assert.equal(read.end, bytes.length - 1);
      assert.equal(await readAll(read.body), 'hello, objects');
      assert.equal(await store.getObject('bkt', 'nope'), null);
      assert.equal(await store.headObject('bkt', 'nope'), null);
      assert.equal((await store.putObject('bkt', 'untyped', text('x'))).contentType, 'application/octet-stream');
      await assert.rejects(store.putObject('missing', 'k', untouchable), code('no_such_bucket'));
      await assert.rejects(store.getObject('missing', 'k'), code('no_such_bucket'));
      await assert.rejects(store.headObject('missing', 'k'), code('no_such_bucket'));
    });

    test('a streamed body is stored whole; an empty object is an object; a put replaces', async () => {
      const { store, clock } = await make();
      await store.createBucket('bkt');
      const info = await store.putObject('bkt', 'k', chunked('one ', 'two ', 'three'));
      assert.equal(info.size, 13);
      assert.equal(await readAll((await store.getObject('bkt', 'k'))!.body), 'one two three');
      clock.advance(1000);
      const replaced = await store.putObject('bkt', 'k', text('v2'), { metadata: { v: '2' } });
      assert.equal(replaced.lastModified, clock.now());
      assert.equal(await readAll((await store.getObject('bkt', 'k'))!.body), 'v2');
      assert.deepEqual((await store.headObject('bkt', 'k'))!.metadata, { v: '2' });
      const empty = await store.putObject('bkt', 'empty', new Uint8Array(0));
      assert.equal(empty.etag, 'd41d8cd98f00b204e9800998ecf8427e');
      const read = await store.getObject('bkt', 'empty');
      assert.deepEqual([read!.start, read!.end], [0, -1]);
      assert.equal(await readAll(read!.body), '');
    });

    test('ranges: inclusive, open-ended, suffix, clipped at the end; a start past the end is invalid_range', async () => {
      const { store } = await make();
      await store.createBucket('bkt');
      await store.putObject('bkt', 'k', text('0123456789'));
      const slice = async (range: Parameters<ObjectStore['getObject']>[2]) => {
        const read = (await store.getObject('bkt', 'k', range))!;
        return [read.start, read.end, await readAll(read.body)];
      };
      assert.deepEqual(await slice({ range: { start: 2, end: 4 } }), [2, 4, '234']);
      assert.deepEqual(await slice({ range: { start: 7 } }), [7, 9, '789']);
      assert.deepEqual(await slice({ range: { suffix: 3 } }), [7, 9, '789']);
      assert.deepEqual(await slice({ range: { suffix: 50 } }), [0, 9, '0123456789']);
      assert.deepEqual(await slice({ range: { start: 8, end: 100 } }), [8, 9, '89']);
      await assert.rejects(store.getObject('bkt', 'k', { range: { start: 10 } }), (err) => isObjectError(err, 'invalid_range') && err.details.size === 10);
      await assert.rejects(store.getObject('bkt', 'k', { range: { suffix: 0 } }), code('invalid_range'));
      await store.putObject('bkt', 'empty', new Uint8Array(0));
      await assert.rejects(store.getObject('bkt', 'empty', { range: { start: 0 } }), code('invalid_range'));
    });

    test('a body that fails its checks or its stream stores nothing and leaves the previous object as it was', async () => {
      const { store } = await make();
      await store.createBucket('bkt');
      const v1 = await store.putObject('bkt', 'k', text('version one'));
      const before = await store.usage();
      const body = text('version two');
      await assert.rejects(store.putObject('bkt', 'k', body, { contentMd5: md5Base64(text('something else')) }), code('bad_digest'));
      await assert.rejects(store.putObject('bkt', 'k', body, { sha256Hex: sha256Hex(text('something else')) }), code('bad_digest'));
      await assert.rejects(store.putObject('bkt', 'k', body, { contentLength: body.length + 1 }), code('incomplete_body'));
      await assert.rejects(store.putObject('bkt', 'k', failing()), /client went away/);
      await assert.rejects(store.putObject('bkt', 'new', failing()), /client went away/);
      assert.deepEqual(await store.headObject('bkt', 'k'), v1);
      assert.equal(await readAll((await store.getObject('bkt', 'k'))!.body), 'version one');
      assert.equal(await store.headObject('bkt', 'new'), null);
      assert.deepEqual(await store.usage(), before);
      // The right digests pass.
      const v2 = await store.putObject('bkt', 'k', body, { contentMd5: md5Base64(body), sha256Hex: sha256Hex(body).toUpperCase(), contentLength: body.length });
      assert.equal(v2.etag, md5Hex(body));
    });

    test('limits: a declared length over the limit is refused before the body is read, a streamed one as soon as it passes', async () => {
      const { store } = await make({ limits: { maxPutObjectBytes: 16, maxMetadataBytes: 20 } });
      await store.createBucket('bkt');
      await assert.rejects(store.putObject('bkt', 'k', untouchable, { contentLength: 17 }), (err) => isObjectError(err, 'entity_too_large') && err.details.limit === 16);
      await assert.rejects(store.putObject('bkt', 'k', chunked('0123456789', '0123456789')), code('entity_too_large'));
      await store.putObject('bkt', 'k', text('0123456789012345'));
      await assert.rejects(store.putObject('bkt', 'm', text('x'), { metadata: { name: 'a value that is too long' } }), code('metadata_too_large'));
      await assert.rejects(store.putObject('bkt', 'm', text('x'), { metadata: { 'bad name': 'v' } }), code('invalid_argument'));
      await assert.rejects(store.putObject('bkt', 'm', text('x'), { metadata: { n: 'line\r\nbreak' } }), code('invalid_argument'));
      await assert.rejects(store.putObject('bkt', 'm', text('x'), { contentType: 'text/plain\r\nx: y' }), code('invalid_argument'));
      assert.deepEqual((await store.listObjects('bkt')).objects.map((o) => o.key), ['k']);
    });

    test('keys: any UTF-8 up to 1024 bytes, slashes and dots inside names included; NUL, a lone surrogate, a . or .. segment, 1025 bytes or empty are invalid_key', async () => {
      const { store } = await make();
      await store.createBucket('bkt');
      const keys = ['a..b/c...', '.hidden/x', '/leading/slash', 'spaces and ünïcödé 😀', 'é'.repeat(512), '...', 'tab\there'];
      for (const key of keys) {
        await store.putObject('bkt', key, text(key));
        assert.equal(await readAll((await store.getObject('bkt', key))!.body), key);
      }
      assert.equal(Buffer.byteLength('é'.repeat(512)), 1024);
      for (const bad of ['nul\0byte', '\uD800', 'é'.repeat(512) + 'x', '', '../../etc/passwd', 'a/../b', '..', 'a/./b', 'x/..']) {
        await assert.rejects(store.putObject('bkt', bad, text('x')), code('invalid_key'), JSON.stringify(bad));
      }
      assert.equal((await store.listObjects('bkt')).objects.length, keys.length);
    });

    objectStoreListingCases(make);

    test('delete: true when there was an object, false when not; gone from get and list', async () => {
      const { store } = await make();
      await store.createBucket('bkt');
      await store.putObject('bkt', 'k', text('v'));
      assert.equal(await store.deleteObject('bkt', 'k'), true);
      assert.equal(await store.deleteObject('bkt', 'k'), false);
      assert.equal(await store.getObject('bkt', 'k'), null);
      assert.deepEqual((await store.listObjects('bkt')).objects, []);
      await assert.rejects(store.deleteObject('missing', 'k'), code('no_such_bucket'));
    });

    test('the same bytes under two keys: deleting one leaves the other whole', async () => {
      const { store } = await make();
      await store.createBucket('bkt');
      const bytes = text('shared content '.repeat(100));
      await store.putObject('bkt', 'one', bytes);
      await store.putObject('bkt', 'two', bytes);
      await store.deleteObject('bkt', 'one');
      assert.equal(await readAll((await store.getObject('bkt', 'two'))!.body), 'shared content '.repeat(100));
      await store.putObject('bkt', 'two', bytes); // the same bytes again over themselves
      assert.equal(await readAll((await store.getObject('bkt', 'two'))!.body), 'shared content '.repeat(100));
    });

    test('copy: the source bytes under a new key, metadata kept or replaced; the copy outlives its source', async () => {
      const { store } = await make();
      await store.createBucket('src');
      await store.createBucket('dst');
      const source = await store.putObject('src', 'a', text('copied bytes'), { contentType: 'text/plain', metadata: { m: '1' } });
      const kept = await store.copyObject({ bucket: 'src', key: 'a' }, { bucket: 'dst', key: 'b' });
      assert.deepEqual([kept.etag, kept.size, kept.contentType, kept.metadata], [source.etag, source.size, 'text/plain', { m: '1' }]);
      const replaced = await store.copyObject({ bucket: 'src', key: 'a' }, { bucket: 'dst', key: 'c' }, { replace: { contentType: 'text/x', metadata: { n: '2' } } });
      assert.deepEqual([replaced.contentType, replaced.metadata], ['text/x', { n: '2' }]);
      await store.copyObject({ bucket: 'src', key: 'a' }, { bucket: 'src', key: 'a' }, { replace: { metadata: { self: 'yes' } } });
      assert.deepEqual((await store.headObject('src', 'a'))!.metadata, { self: 'yes' });
      await assert.rejects(store.copyObject({ bucket: 'src', key: 'a' }, { bucket: 'src', key: 'a' }), code('invalid_argument'));
      await assert.rejects(store.copyObject({ bucket: 'src', key: 'zz' }, { bucket: 'dst', key: 'b' }), code('no_such_key'));
      await assert.rejects(store.copyObject({ bucket: 'src', key: 'a' }, { bucket: 'nope', key: 'b' }), code('no_such_bucket'));
      await store.deleteObject('src', 'a');
      assert.equal(await readAll((await store.getObject('dst', 'b'))!.body), 'copied bytes');
    });

    objectStoreMultipartCases(make);

    test('the outbox: each recorded change is written with its commit, failed writes record nothing, acked events are gone', async () => {
      const seen: ObjectChange[] = [];
      const { store, clock } = await make({ limits: { minPartBytes: 1 }, recordEvent: (change) => (seen.push(change), change.bucket === 'watched') });
      await store.createBucket('watched');
      await store.createBucket('quiet');
      await store.putObject('watched', 'a.jpg', text('jpeg'));
      await store.putObject('quiet', 'b', text('x'));
      await assert.rejects(store.putObject('watched', 'bad', text('x'), { contentMd5: md5Base64(text('y')) }), code('bad_digest'));
      await store.copyObject({ bucket: 'watched', key: 'a.jpg' }, { bucket: 'watched', key: 'copy.jpg' });
      const id = await store.createMultipartUpload('watched', 'multi');
      const part = await store.uploadPart('watched', 'multi', id, 1, text('parts'));
      await store.completeMultipartUpload('watched', 'multi', id, [{ partNumber: 1, etag: part.etag }]);
      await store.deleteObject('watched', 'a.jpg');
      await store.deleteObject('watched', 'never-there');
      assert.equal(seen.length, 5, 'asked once per committed change, never for a failed one');
      const events = await store.pendingEvents(10);
      assert.deepEqual(events.map((e) => [e.kind, e.cause, e.key]), [['created', 'put', 'a.jpg'], ['created', 'copy', 'copy.jpg'], ['created', 'multipart', 'multi'], ['deleted', 'delete', 'a.jpg']]);
      assert.deepEqual(events[0], { id: events[0]!.id, kind: 'created', cause: 'put', bucket: 'watched', key: 'a.jpg', size: 4, etag: md5Hex(text('jpeg')), time: clock.now() });
      assert.equal(new Set(events.map((e) => e.id)).size, 4);
      assert.deepEqual((await store.pendingEvents(2)).map((e) => e.id), events.slice(0, 2).map((e) => e.id));
      await store.ackEvents([events[0]!.id, events[1]!.id, 'unknown']);
      assert.deepEqual((await store.pendingEvents(10)).map((e) => e.id), events.slice(2).map((e) => e.id));
    });

    test('quota: a write that would pass it is refused whole; replacing and deleting give bytes back', async () => {
      const { store } = await make({ limits: { quotaBytes: 100, minPartBytes: 1 } });
      await store.createBucket('bkt');
      await store.putObject('bkt', 'a', new Uint8Array(60));
      await assert.rejects(store.putObject('bkt', 'b', new Uint8Array(41)), code('quota_exceeded'));
      assert.equal(await store.headObject('bkt', 'b'), null);
      await store.putObject('bkt', 'a', new Uint8Array(100)); // replacing: net +40
      assert.deepEqual(await store.usage(), { bytes: 100, quotaBytes: 100 });
      const id = await store.createMultipartUpload('bkt', 'm');
      await assert.rejects(store.uploadPart('bkt', 'm', id, 1, new Uint8Array(1)), code('quota_exceeded'));
      await assert.rejects(store.copyObject({ bucket: 'bkt', key: 'a' }, { bucket: 'bkt', key: 'c' }), code('quota_exceeded'));
      await store.deleteObject('bkt', 'a');
      assert.equal((await store.usage()).bytes, 0);
      await store.putObject('bkt', 'b', new Uint8Array(41));
    });

    test('a reader keeps reading what it opened while the object is replaced or deleted', async () => {
      const { store } = await make();
      await store.createBucket('bkt');
      const old = Buffer.alloc(3 * 1024 * 1024, 'o');
      await store.putObject('bkt', 'k', old);
      const read = (await store.getObject('bkt', 'k'))!;
      await store.putObject('bkt', 'k', text('new'));
      await store.deleteObject('bkt', 'k');
      const got = await readAll(read.body);
      assert.equal(got.length, old.length);
      assert.ok(got === old.toString('utf8'));
    });

    test('concurrent writes of one key: the last commit wins and every read is a whole object', async () => {
      const { store } = await make();
      await store.createBucket('bkt');
      const bodies = ['a', 'b', 'c', 'd'].map((c) => Buffer.alloc(256 * 1024, c));
      const infos = await Promise.all(bodies.map((body) => store.putObject('bkt', 'k', chunked(...Array.from({ length: 4 }, (_, i) => body.subarray(i * 65536, (i + 1) * 65536).toString('utf8'))))));
      const final = (await store.headObject('bkt', 'k'))!;
      assert.ok(infos.some((info) => info.etag === final.etag));
      const got = await readAll((await store.getObject('bkt', 'k'))!.body);
      assert.equal(got.length, 256 * 1024);
      assert.equal(new Set(got).size, 1, 'one body, not a mix');
      assert.equal((await store.usage()).bytes, 256 * 1024);
    });
  });
}
