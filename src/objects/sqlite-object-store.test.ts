// Runs the ObjectStore conformance suite against the embedded store, plus what only it can show: files on disk, restarts, SIGKILL.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '../queue/queue-store.case.js';
import { runObjectStoreConformance } from './object-store.case.js';
import { objectCrashChild } from './sqlite-crash-child.js';
import { SqliteObjectStore } from './sqlite-object-store.js';

const root = mkdtempSync(join(tmpdir(), 'wasmlet-objects-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const newDir = () => join(root, `s${dirs++}`);

runObjectStoreConformance('SqliteObjectStore (synchronous=NORMAL)', (setup) => SqliteObjectStore.open({ dir: newDir(), ...setup }));
runObjectStoreConformance('SqliteObjectStore (synchronous=FULL)', (setup) => SqliteObjectStore.open({ dir: newDir(), synchronous: 'full', ...setup }));

/** Every file under `dir`, relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}

const contentFiles = async (dir: string) => (await filesUnder(dir)).filter((f) => f.startsWith('sha256/'));

async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

test('SqliteObjectStore: content is stored once by digest, removed with its last reference, and keys never become paths', async () => {
  const dir = newDir();
  const store = await SqliteObjectStore.open({ dir });
  try {
    await store.createBucket('bkt');
    const bytes = Buffer.from('the same bytes');
    for (const key of ['one', 'two', '...escaped', '/etc/passwd']) await store.putObject('bkt', key, bytes);
    const digest = createHash('sha256').update(bytes).digest('hex');
    assert.deepEqual(await contentFiles(dir), [`sha256/${digest.slice(0, 2)}/${digest}`]);
    const everything = await filesUnder(root);
    assert.ok(!everything.some((f) => f.includes('escaped') || f.includes('passwd')), 'no file is named after a key');
    assert.deepEqual((await filesUnder(dir)).filter((f) => !f.startsWith('sha256/') && !f.startsWith('objects.db')), []);
    for (const key of ['one', 'two', '...escaped']) await store.deleteObject('bkt', key);
    assert.equal((await contentFiles(dir)).length, 1, 'still referenced by /etc/passwd');
    await store.deleteObject('bkt', '/etc/passwd');
    await store.close(); // waits for the unlinks
    assert.deepEqual(await contentFiles(dir), []);
  } finally {
    await store.close().catch(() => undefined);
  }
});

test('SqliteObjectStore: aborted uploads and replaced objects leave no files behind; a reader delays the unlink until it is done', async () => {
  const dir = newDir();
  const store = await SqliteObjectStore.open({ dir, limits: { minPartBytes: 1 } });
  await store.createBucket('bkt');
  const id = await store.createMultipartUpload('bkt', 'm');
  await store.uploadPart('bkt', 'm', id, 1, Buffer.from('part one'));
  await store.uploadPart('bkt', 'm', id, 1, Buffer.from('part one again'));
  await store.abortMultipartUpload('bkt', 'm', id);
  await store.putObject('bkt', 'k', Buffer.alloc(1024 * 1024, 'x'));
  const read = (await store.getObject('bkt', 'k'))!;
  await store.putObject('bkt', 'k', Buffer.from('replacement'));
  assert.equal((await readAll(read.body)).length, 1024 * 1024, 'the old content is still readable');
  await store.close();
  assert.equal((await contentFiles(dir)).length, 1, 'only the replacement');
});

test('SqliteObjectStore: objects, uploads, events and usage survive a reopen; stray files are swept at open', async () => {
  const dir = newDir();
  const clock = new ManualClock();
  const first = await SqliteObjectStore.open({ dir, clock, limits: { minPartBytes: 1 }, recordEvent: () => true });
  await first.createBucket('bkt');
  const info = await first.putObject('bkt', 'k', Buffer.from('kept'), { metadata: { a: '1' } });
  const id = await first.createMultipartUpload('bkt', 'm');
  const part = await first.uploadPart('bkt', 'm', id, 1, Buffer.from('half'));
  await first.close();
  // A crash between putting a file in place and committing it leaves one no row references.
  const stray = createHash('sha256').update('stray').digest('hex');
  await mkdir(join(dir, 'sha256', stray.slice(0, 2)), { recursive: true });
  await writeFile(join(dir, 'sha256', stray.slice(0, 2), stray), 'stray');
  await writeFile(join(dir, 'tmp', 'leftover.part'), 'half a body');

  const second = await SqliteObjectStore.open({ dir, clock, limits: { minPartBytes: 1 } });
  try {
    assert.deepEqual(await second.headObject('bkt', 'k'), info);
    assert.equal((await readAll((await second.getObject('bkt', 'k'))!.body)).toString(), 'kept');
    assert.equal((await second.pendingEvents(10)).length, 1);
    const done = await second.completeMultipartUpload('bkt', 'm', id, [{ partNumber: 1, etag: part.etag }]);
    assert.equal(done.size, 4);
    assert.equal((await second.usage()).bytes, 8);
    assert.ok(!(await contentFiles(dir)).some((f) => f.endsWith(stray)), 'the stray file was swept');
    assert.deepEqual(await readdir(join(dir, 'tmp')), []);
  } finally {
    await second.close();
  }
});

test('SqliteObjectStore: after SIGKILL mid-write, every acknowledged write is there and whole, nothing half-written is visible, no file is left over', async () => {
  const dir = newDir();
  const child = spawn(process.execPath, [fileURLToPath(new URL('./sqlite-crash-child.js', import.meta.url)), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const put = new Set<number>();
  const deleted = new Set<number>();
  for await (const line of createInterface({ input: child.stdout })) {
    const [kind, n] = line.split(' ');
    if (kind === 'put') put.add(Number(n));
    // Writers run concurrently: a delete of an object another writer has not finished putting
    // lands before its put and leaves it in place; only a delete after the put's ack removes it.
    if (kind === 'deleted' && put.has(Number(n))) deleted.add(Number(n));
    if (put.size >= 60) child.kill('SIGKILL'); // three writers are mid-body at any moment
  }
  assert.equal(await exited, 'SIGKILL');

  const store = await SqliteObjectStore.open({ dir, limits: { minPartBytes: objectCrashChild.minPartBytes } });
  try {
    const listed = new Map<string, string>();
    let token: string | undefined;
    do {
      const page = await store.listObjects(objectCrashChild.bucket, { continuationToken: token });
      for (const o of page.objects) listed.set(o.key, o.etag);
      token = page.nextContinuationToken;
    } while (token);
    for (const i of put) assert.equal(listed.has(objectCrashChild.keyOf(i)), !deleted.has(i), `acknowledged write ${i}`);
    let bytes = 0;
    for (const [key, etag] of listed) {
      const i = Number(key.split('/')[1]);
      const content = await readAll((await store.getObject(objectCrashChild.bucket, key))!.body);
      assert.ok(content.equals(objectCrashChild.bodyOf(i)), `${key} is whole`);
      if (!etag.includes('-')) assert.equal(etag, createHash('md5').update(content).digest('hex'));
      bytes += content.length;
    }
    // Unfinished multipart uploads may keep parts; everything else on disk is referenced.
    const usage = await store.usage();
    assert.ok(usage.bytes >= bytes);
    assert.deepEqual(await readdir(join(dir, 'tmp')), [], 'no staging file survives the reopen');
    const files = await contentFiles(dir);
    const referenced = new Set<string>();
    for (const [key] of listed) {
      const content = await readAll((await store.getObject(objectCrashChild.bucket, key))!.body);
      if (!listed.get(key)!.includes('-')) referenced.add(createHash('sha256').update(content).digest('hex'));
    }
    for (const digest of referenced) assert.ok(files.some((f) => f.endsWith(digest)), `content of a listed object is on disk (${digest})`);
  } finally {
    await store.close();
  }
});
