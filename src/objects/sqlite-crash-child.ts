// Child process of the SIGKILL test in sqlite-object-store.test.ts: writes, replaces and deletes objects until killed.
import { createHash } from 'node:crypto';
import { argv } from 'node:process';
import { pathToFileURL } from 'node:url';
import { SqliteObjectStore } from './sqlite-object-store.js';

/** The script's parameters, shared with the parent test. */
export const objectCrashChild = {
  bucket: 'crash',
  writers: 3,
  /** Parts this small make every tenth object a multipart one without megabytes of test data. */
  minPartBytes: 1,
  /** Deterministic bytes of object `i`: sizes from 1 byte to ~1.2 MB, so a kill often lands mid-body. */
  bodyOf(i: number): Buffer {
    const size = 1 + (i % 5) * 300 * 1024;
    const seed = createHash('sha256').update(String(i)).digest();
    const body = Buffer.alloc(size);
    for (let at = 0; at < size; at += seed.length) seed.copy(body, at);
    return body;
  },
  keyOf: (i: number) => `objects/${i}`,
} as const;

async function* slowly(body: Buffer): AsyncGenerator<Buffer> {
  for (let at = 0; at < body.length; at += 64 * 1024) {
    yield body.subarray(at, at + 64 * 1024);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function main(dir: string): Promise<void> {
  const store = await SqliteObjectStore.open({ dir, limits: { minPartBytes: objectCrashChild.minPartBytes } });
  const { bucket, keyOf, bodyOf } = objectCrashChild;
  await store.createBucket(bucket);
  process.stdout.write('ready\n');
  let next = 0;
  // Each line is written only after its commit returned: stdout on a pipe is synchronous on Linux.
  const writer = async () => {
    for (;;) {
      const i = next++;
      const body = bodyOf(i);
      if (i % 10 === 9) {
        const id = await store.createMultipartUpload(bucket, keyOf(i));
        const half = Math.ceil(body.length / 2);
        const p1 = await store.uploadPart(bucket, keyOf(i), id, 1, slowly(body.subarray(0, half)));
        const p2 = await store.uploadPart(bucket, keyOf(i), id, 2, slowly(body.subarray(half)));
        await store.completeMultipartUpload(bucket, keyOf(i), id, [{ partNumber: 1, etag: p1.etag }, { partNumber: 2, etag: p2.etag }]);
      } else {
        await store.putObject(bucket, keyOf(i), slowly(body));
      }
      process.stdout.write(`put ${i}\n`);
      if (i % 7 === 6) {
        await store.deleteObject(bucket, keyOf(i - 3));
        process.stdout.write(`deleted ${i - 3}\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: objectCrashChild.writers }, writer)); // until SIGKILL
}

if (import.meta.url === pathToFileURL(argv[1] ?? '').href) await main(argv[2] ?? '');
