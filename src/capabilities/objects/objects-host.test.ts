// The main-thread side of wasmlet:function/objects against a real SQLite object store: the grant is
// checked on every call (not only in the worker), and the store's answers reach the guest in the
// WIT's shape and words.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SqliteObjectStore } from '../../objects/sqlite-object-store.js';
import type { HostEvent, HostGrants, InvocationScope } from '../host-link.js';
import { defaultOutboundLimits } from '../outbound-http/outbound-limits.js';
import { parseBucketGrant, type BucketGrant } from './bucket-grants.js';
import { ObjectsHost } from './objects-host.js';
import type { ObjectsOperation } from './objects-request.js';

const dir = mkdtempSync(join(tmpdir(), 'wasmlet-objects-host-'));
let store: SqliteObjectStore;
let host: ObjectsHost;
before(async () => {
  store = await SqliteObjectStore.open({ dir });
  host = new ObjectsHost(store, 16);
  await host.provision(['uploads', 'thumbnails', 'logs']);
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const text = (s: string) => new TextEncoder().encode(s);

function scope(...entries: string[]): InvocationScope {
  const buckets: BucketGrant[] = entries.map((e) => {
    const parsed = parseBucketGrant(e);
    return parsed.ok ? parsed.grant : assert.fail(e);
  });
  const grants: HostGrants = { outbound: { allowedHosts: [], limits: defaultOutboundLimits }, objects: { buckets } };
  return { functionName: 'thumbs', versionKey: 'v1', grants, deadlineAt: performance.now() + 10_000, state: new Map() };
}

function ask(scopeOf: InvocationScope, bucket: string, operation: ObjectsOperation): Promise<HostEvent> {
  return new Promise((resolve) => host.start(scopeOf, { kind: 'objects', bucket, operation }, resolve));
}

const granted = scope('uploads:read', 'thumbnails:write', 'logs:read,write');

test('a bucket outside the grant, or an access it does not give, is denied on the main thread, and nothing changes', async () => {
  assert.deepEqual(await ask(granted, 'secrets', { op: 'get', key: 'k', range: undefined }), {
    kind: 'error',
    code: 'denied',
    message: 'thumbs may not read bucket "secrets": buckets does not name it (add "secrets:read")',
  });
  assert.deepEqual(await ask(granted, 'uploads', { op: 'put', key: 'k', body: text('x'), contentType: '' }), {
    kind: 'error',
    code: 'denied',
    message: 'thumbs may not write bucket "uploads": buckets grants "uploads:read" (write "uploads:read,write")',
  });
  assert.equal((await ask(granted, 'uploads', { op: 'delete', key: 'k' })).kind, 'error');
  assert.equal((await ask(granted, 'thumbnails', { op: 'head', key: 'k' })).kind, 'error');
  assert.equal((await ask(granted, 'thumbnails', { op: 'list', prefix: '', continuation: undefined, maxKeys: 10 })).kind, 'error');
  assert.equal((await ask(scope(), 'logs', { op: 'get', key: 'k', range: undefined })).kind, 'error');
  assert.equal(await store.headObject('uploads', 'k'), null);
  assert.deepEqual((await store.listBuckets()).map((b) => b.name), ['logs', 'thumbnails', 'uploads']);
});

test('put, head, get (whole and ranges), list with prefix and continuation, delete', async () => {
  const put = await ask(granted, 'logs', { op: 'put', key: '2026/a.txt', body: text('hello world'), contentType: 'text/plain' });
  assert.equal(put.kind, 'value');
  const info = (put as { value: { key: string; size: bigint; etag: string; contentType: string; lastModified: bigint } }).value;
  assert.deepEqual({ ...info, lastModified: typeof info.lastModified }, { key: '2026/a.txt', size: 11n, etag: '5eb63bbbe01eeed093cb22bb8f5acdc3', contentType: 'text/plain', lastModified: 'bigint' });
  await ask(granted, 'logs', { op: 'put', key: '2026/b.txt', body: text(''), contentType: '' });
  await ask(granted, 'logs', { op: 'put', key: '2027/c.txt', body: text('c'), contentType: '' });

  const stored = (await store.headObject('logs', '2026/b.txt'))!;
  assert.deepEqual(await ask(granted, 'logs', { op: 'head', key: '2026/b.txt' }), {
    kind: 'value',
    value: { key: '2026/b.txt', size: 0n, etag: 'd41d8cd98f00b204e9800998ecf8427e', contentType: 'application/octet-stream', lastModified: BigInt(stored.lastModified) },
  });
  assert.deepEqual(await ask(granted, 'logs', { op: 'head', key: 'absent' }), { kind: 'value', value: undefined });
  assert.deepEqual(await ask(granted, 'logs', { op: 'get', key: 'absent', range: undefined }), { kind: 'value', value: undefined });

  const whole = (await ask(granted, 'logs', { op: 'get', key: '2026/a.txt', range: undefined })) as { value: { body: Uint8Array; info: unknown } };
  assert.equal(Buffer.from(whole.value.body).toString(), 'hello world');
  assert.equal(whole.value.body.buffer.byteLength, 11); // its own buffer: only these bytes cross to the worker
  const range = (await ask(granted, 'logs', { op: 'get', key: '2026/a.txt', range: { first: 6n, last: 1n << 63n } })) as { value: { body: Uint8Array } };
  assert.equal(Buffer.from(range.value.body).toString(), 'world'); // a last past the end is clipped
  const middle = (await ask(granted, 'logs', { op: 'get', key: '2026/a.txt', range: { first: 0n, last: 4n } })) as { value: { body: Uint8Array } };
  assert.equal(Buffer.from(middle.value.body).toString(), 'hello');
  assert.deepEqual(await ask(granted, 'logs', { op: 'get', key: '2026/a.txt', range: { first: 11n, last: 20n } }), {
    kind: 'error',
    code: 'invalid-range',
    message: 'the requested range is not satisfiable',
  });
  assert.equal(((await ask(granted, 'logs', { op: 'get', key: '2026/a.txt', range: { first: 1n << 60n, last: 1n << 61n } })) as { code: string }).code, 'invalid-range');

  const first = (await ask(granted, 'logs', { op: 'list', prefix: '2026/', continuation: undefined, maxKeys: 1 })) as { value: { objects: Array<{ key: string }>; continuation?: string } };
  assert.deepEqual(first.value.objects.map((o) => o.key), ['2026/a.txt']);
  assert.ok(first.value.continuation);
  const second = (await ask(granted, 'logs', { op: 'list', prefix: '2026/', continuation: first.value.continuation, maxKeys: 1 })) as { value: { objects: Array<{ key: string }>; continuation?: string } };
  assert.deepEqual(second.value.objects.map((o) => o.key), ['2026/b.txt']);
  assert.equal(second.value.continuation, undefined);
  assert.equal(((await ask(granted, 'logs', { op: 'list', prefix: '', continuation: undefined, maxKeys: 0 })) as { code: string }).code, 'other');

  assert.deepEqual(await ask(granted, 'logs', { op: 'delete', key: '2027/c.txt' }), { kind: 'value', value: true });
  assert.deepEqual(await ask(granted, 'logs', { op: 'delete', key: '2027/c.txt' }), { kind: 'value', value: false });
});

test('over the per-call limit, a bad key, a missing bucket: the WIT\'s codes, the store\'s reason', async () => {
  assert.deepEqual(await ask(granted, 'logs', { op: 'put', key: 'big', body: new Uint8Array(17), contentType: '' }), {
    kind: 'error',
    code: 'too-large',
    message: 'the body is 17 bytes; one put writes at most 16',
  });
  await store.putObject('logs', 'big', new Uint8Array(40));
  assert.equal(((await ask(granted, 'logs', { op: 'get', key: 'big', range: undefined })) as { code: string }).code, 'too-large');
  const part = (await ask(granted, 'logs', { op: 'get', key: 'big', range: { first: 0n, last: 15n } })) as { value: { body: Uint8Array } };
  assert.equal(part.value.body.byteLength, 16); // read in ranges
  assert.equal(((await ask(granted, 'logs', { op: 'put', key: 'a\0b', body: text('x'), contentType: '' })) as { code: string }).code, 'invalid-key');
  assert.equal(((await ask(granted, 'logs', { op: 'head', key: '' })) as { code: string }).code, 'invalid-key');
  assert.deepEqual(await ask(scope('gone:read'), 'gone', { op: 'head', key: 'k' }), { kind: 'error', code: 'no-such-bucket', message: 'no bucket "gone"' });
});

test('provision creates what is missing and leaves what is there', async () => {
  await store.putObject('uploads', 'keep', text('x'));
  await host.provision(['uploads', 'new-one']);
  assert.deepEqual((await store.listBuckets()).map((b) => b.name).sort(), ['logs', 'new-one', 'thumbnails', 'uploads']);
  assert.ok(await store.headObject('uploads', 'keep'));
});
