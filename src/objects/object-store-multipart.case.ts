// The ObjectStore conformance cases about multipart uploads (object-store.case.ts runs them in its
// suite): parts in any order, replaced and listed; completion and its ETag; refusals; abort.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { chunked, code, md5Base64, md5Hex, readAll, text, type MakeObjectStore } from './object-store-case-support.case.js';

export function objectStoreMultipartCases(make: MakeObjectStore): void {
  test('multipart: parts in any order, listed, replaced; complete joins them with the md5-of-md5s-N ETag; ranges cross parts', async () => {
    const { store } = await make({ limits: { minPartBytes: 4 } });
    await store.createBucket('bkt');
    const id = await store.createMultipartUpload('bkt', 'big', { contentType: 'text/plain', metadata: { x: 'y' } });
    const p2 = await store.uploadPart('bkt', 'big', id, 2, text('BBBB'));
    const p1 = await store.uploadPart('bkt', 'big', id, 1, text('wrong'));
    const p1again = await store.uploadPart('bkt', 'big', id, 1, chunked('AA', 'AA'), { contentLength: 4, contentMd5: md5Base64(text('AAAA')) });
    assert.notEqual(p1.etag, p1again.etag);
    const p3 = await store.uploadPart('bkt', 'big', id, 3, text('CC'));
    assert.deepEqual((await store.listParts('bkt', 'big', id)).parts.map((p) => [p.partNumber, p.size, p.etag]), [[1, 4, md5Hex(text('AAAA'))], [2, 4, p2.etag], [3, 2, p3.etag]]);
    const page = await store.listParts('bkt', 'big', id, { maxParts: 2 });
    assert.deepEqual([page.parts.length, page.isTruncated, page.nextPartNumberMarker], [2, true, 2]);
    assert.deepEqual((await store.listParts('bkt', 'big', id, { partNumberMarker: 2 })).parts.map((p) => p.partNumber), [3]);
    assert.equal(await store.headObject('bkt', 'big'), null, 'invisible until completed');

    const info = await store.completeMultipartUpload('bkt', 'big', id, [
      { partNumber: 1, etag: `"${p1again.etag}"` },
      { partNumber: 2, etag: p2.etag },
      { partNumber: 3, etag: p3.etag },
    ]);
    const expected = createHash('md5').update(Buffer.concat([p1again.etag, p2.etag, p3.etag].map((h) => Buffer.from(h, 'hex')))).digest('hex');
    assert.deepEqual([info.etag, info.size, info.contentType, info.metadata], [`${expected}-3`, 10, 'text/plain', { x: 'y' }]);
    assert.equal(await readAll((await store.getObject('bkt', 'big'))!.body), 'AAAABBBBCC');
    assert.equal(await readAll((await store.getObject('bkt', 'big', { range: { start: 3, end: 8 } }))!.body), 'ABBBBC');
    await assert.rejects(store.listParts('bkt', 'big', id), code('no_such_upload'), 'the upload is gone once completed');
    await assert.rejects(store.uploadPart('bkt', 'big', id, 4, text('late')), code('no_such_upload'));
  });

  test('multipart: a missing part, a wrong ETag, a bad order or a small middle part are refused and the upload stays usable', async () => {
    const { store } = await make({ limits: { minPartBytes: 4, maxParts: 100 } });
    await store.createBucket('bkt');
    const id = await store.createMultipartUpload('bkt', 'k');
    const p1 = await store.uploadPart('bkt', 'k', id, 1, text('AAAA'));
    const small = await store.uploadPart('bkt', 'k', id, 2, text('B'));
    const p3 = await store.uploadPart('bkt', 'k', id, 3, text('CCCC'));
    await assert.rejects(store.completeMultipartUpload('bkt', 'k', id, [{ partNumber: 1, etag: p1.etag }, { partNumber: 4, etag: p3.etag }]), code('invalid_part'));
    await assert.rejects(store.completeMultipartUpload('bkt', 'k', id, [{ partNumber: 1, etag: p3.etag }]), code('invalid_part'));
    await assert.rejects(store.completeMultipartUpload('bkt', 'k', id, [{ partNumber: 3, etag: p3.etag }, { partNumber: 1, etag: p1.etag }]), code('invalid_part_order'));
    await assert.rejects(store.completeMultipartUpload('bkt', 'k', id, [{ partNumber: 1, etag: p1.etag }, { partNumber: 1, etag: p1.etag }]), code('invalid_part_order'));
    await assert.rejects(store.completeMultipartUpload('bkt', 'k', id, [{ partNumber: 2, etag: small.etag }, { partNumber: 3, etag: p3.etag }]), code('entity_too_small'));
    await assert.rejects(store.completeMultipartUpload('bkt', 'k', id, []), code('invalid_argument'));
    await assert.rejects(store.uploadPart('bkt', 'k', id, 0, text('x')), code('invalid_argument'));
    await assert.rejects(store.uploadPart('bkt', 'k', id, 101, text('x')), code('invalid_argument'));
    await assert.rejects(store.uploadPart('bkt', 'other-key', id, 1, text('x')), code('no_such_upload'));
    await assert.rejects(store.uploadPart('bkt', 'k', 'no-such-id', 1, text('x')), code('no_such_upload'));
    assert.equal(await store.headObject('bkt', 'k'), null);
    // A small last part is fine, and parts left out are dropped.
    const info = await store.completeMultipartUpload('bkt', 'k', id, [{ partNumber: 1, etag: p1.etag }, { partNumber: 2, etag: small.etag }]);
    assert.equal(info.size, 5);
    assert.equal(await readAll((await store.getObject('bkt', 'k'))!.body), 'AAAAB');
    assert.equal((await store.usage()).bytes, 5, 'the part left out no longer counts');
  });

  test('multipart: abort discards the parts; a deleted bucket takes its uploads with it', async () => {
    const { store } = await make({ limits: { minPartBytes: 1 } });
    await store.createBucket('bkt');
    const id = await store.createMultipartUpload('bkt', 'k');
    await store.uploadPart('bkt', 'k', id, 1, text('AAAA'));
    assert.equal((await store.usage()).bytes, 4);
    await store.abortMultipartUpload('bkt', 'k', id);
    await assert.rejects(store.abortMultipartUpload('bkt', 'k', id), code('no_such_upload'));
    await assert.rejects(store.completeMultipartUpload('bkt', 'k', id, [{ partNumber: 1, etag: md5Hex(text('AAAA')) }]), code('no_such_upload'));
    assert.equal(await store.headObject('bkt', 'k'), null);
    assert.equal((await store.usage()).bytes, 0);
    const pending = await store.createMultipartUpload('bkt', 'k2');
    await store.uploadPart('bkt', 'k2', pending, 1, text('x'));
    await store.deleteBucket('bkt');
    assert.equal((await store.usage()).bytes, 0);
    await assert.rejects(store.createMultipartUpload('bkt', 'k'), code('no_such_bucket'));
  });
}
