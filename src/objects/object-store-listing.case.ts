// The ObjectStore conformance cases about listing (object-store.case.ts runs them in its suite):
// UTF-8 byte order, prefixes, delimiters and common prefixes, start-after, and continuation tokens.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { code, text, type MakeObjectStore } from './object-store-case-support.case.js';

export function objectStoreListingCases(make: MakeObjectStore): void {
  test('listing: UTF-8 byte order, prefix, delimiter with common prefixes, start-after', async () => {
    const { store } = await make();
    await store.createBucket('bkt');
    // UTF-16 order would put U+1F600 (a surrogate pair) before U+FF21; UTF-8 byte order puts it after.
    const keys = ['b', 'a', 'Z', 'é', '\u{1F600}', '\uFF21', 'photos/2026/a.jpg', 'photos/2026/b.jpg', 'photos/2025/c.jpg', 'photos/top.jpg', 'photosx'];
    for (const key of keys) await store.putObject('bkt', key, text(key));
    const all = (await store.listObjects('bkt')).objects.map((o) => o.key);
    assert.deepEqual(all, [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
    assert.deepEqual(all.slice(0, 3), ['Z', 'a', 'b']);
    assert.ok(all.indexOf('\uFF21') < all.indexOf('\u{1F600}'));

    const photos = await store.listObjects('bkt', { prefix: 'photos/', delimiter: '/' });
    assert.deepEqual(photos.objects.map((o) => o.key), ['photos/top.jpg']);
    assert.deepEqual(photos.commonPrefixes, ['photos/2025/', 'photos/2026/']);
    assert.equal(photos.isTruncated, false);
    const top = await store.listObjects('bkt', { delimiter: '/' });
    assert.deepEqual(top.commonPrefixes, ['photos/']);
    assert.ok(!top.objects.some((o) => o.key.startsWith('photos/')));
    assert.ok(top.objects.some((o) => o.key === 'photosx'));
    assert.deepEqual((await store.listObjects('bkt', { prefix: 'photos/2026/' })).objects.map((o) => o.key), ['photos/2026/a.jpg', 'photos/2026/b.jpg']);
    assert.deepEqual((await store.listObjects('bkt', { prefix: 'photos/', startAfter: 'photos/2026/a.jpg' })).objects.map((o) => o.key), ['photos/2026/b.jpg', 'photos/top.jpg']);
    const afterPrefix = await store.listObjects('bkt', { prefix: 'photos/', delimiter: '/', startAfter: 'photos/2025/' });
    assert.deepEqual([afterPrefix.commonPrefixes, afterPrefix.objects.map((o) => o.key)], [['photos/2026/'], ['photos/top.jpg']], 'a common prefix up to start-after is not listed again');
    assert.deepEqual((await store.listObjects('bkt', { prefix: 'photos/', delimiter: '/', startAfter: 'photos/2025/c.jpg' })).commonPrefixes, ['photos/2026/']);
    assert.deepEqual((await store.listObjects('bkt', { prefix: 'nothing' })).objects, []);
    await assert.rejects(store.listObjects('missing'), code('no_such_bucket'));
    await assert.rejects(store.listObjects('bkt', { maxKeys: 1001 }), code('invalid_argument'));
    await assert.rejects(store.listObjects('bkt', { continuationToken: 'not a token' }), code('invalid_argument'));
  });

  test('listing in pages: continuation tokens walk every key and prefix once, with and without a delimiter', async () => {
    const { store } = await make();
    await store.createBucket('bkt');
    const keys: string[] = [];
    for (let i = 0; i < 23; i++) keys.push(`k${String(i).padStart(2, '0')}`);
    for (const dir of ['d1', 'd2', 'd3']) for (let i = 0; i < 3; i++) keys.push(`${dir}/f${i}`);
    for (const key of keys) await store.putObject('bkt', key, text(key));
    const walk = async (options: { delimiter?: string; maxKeys: number }) => {
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await store.listObjects('bkt', { ...options, continuationToken: token });
        assert.ok(page.objects.length + page.commonPrefixes.length <= options.maxKeys);
        seen.push(...page.commonPrefixes, ...page.objects.map((o) => o.key));
        token = page.nextContinuationToken;
        assert.equal(page.isTruncated, token !== undefined);
        pages++;
      } while (token !== undefined);
      return { seen: seen.sort(), pages };
    };
    const flat = await walk({ maxKeys: 5 });
    assert.deepEqual(flat.seen, [...keys].sort());
    assert.equal(flat.pages, 7);
    const rolled = await walk({ delimiter: '/', maxKeys: 4 });
    assert.deepEqual(rolled.seen, ['d1/', 'd2/', 'd3/', ...keys.filter((k) => !k.includes('/'))].sort());
    assert.equal(rolled.pages, 7);
    const exact = await store.listObjects('bkt', { prefix: 'd1/', maxKeys: 3 });
    assert.equal(exact.isTruncated, false, 'a page that ends exactly at the last key is not truncated');
  });
}
