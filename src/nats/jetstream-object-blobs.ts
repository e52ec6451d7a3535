// The bytes of S3 objects and parts on JetStream: one object of the `wasmlet_object_blobs` object
// store per body written, named by a random id (never by a key, never shared between two records),
// so a blob is deleted exactly when the one record that names it is replaced or removed.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ObjectStore as NatsObjectStore } from '@nats-io/obj';
import { ObjectError } from '../objects/object-error.js';
import type { ObjectBody } from '../objects/object-store.js';

/** A body stored whole under `name`, with the digests the checks and the ETag need. */
export interface WrittenBlob {
  readonly name: string;
  readonly size: number;
  /** Raw MD5 (16 bytes). */
  readonly md5: Buffer;
  readonly sha256Hex: string;
}

/** One blob of a record, in order: an object is one blob (a put or copy) or one per part (multipart). */
export interface BlobRef {
  readonly name: string;
  readonly size: number;
}

export class JetStreamBlobs {
  readonly #store: NatsObjectStore;
  /** Readers streaming a blob on this host: its deletion waits for the last one (see `remove`). */
  readonly #pins = new Map<string, number>();
  readonly #deferred = new Set<string>();
  readonly #removals = new Set<Promise<void>>();

  constructor(store: NatsObjectStore) {
    this.#store = store;
  }

  /**
   * Streams `body` into a new blob, hashing it on the way. More than `maxBytes` fails with
   * `entity_too_large` as soon as it is seen; any failure (the body's own included) leaves nothing:
   * the client purges the chunks of a put that did not finish.
   */
  async write(body: ObjectBody, maxBytes: number): Promise<WrittenBlob> {
    const name = randomBytes(16).toString('hex');
    const md5 = createHash('md5');
    const sha256 = createHash('sha256');
    let size = 0;
    const iterator = body instanceof Uint8Array ? toAsync([body]) : body[Symbol.asyncIterator]();
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await iterator.next();
          if (done) return controller.close();
          size += value.byteLength;
          if (size > maxBytes) throw new ObjectError('entity_too_large', `the body exceeds ${maxBytes} bytes`, { limit: maxBytes });
          md5.update(value);
          sha256.update(value);
          // The client keeps the chunk until it is published: hand it a copy the caller cannot reuse.
          controller.enqueue(new Uint8Array(value));
        } catch (err) {
          controller.error(err);
        }
      },
    });
    try {
      await this.#store.put({ name }, stream);
    } catch (err) {
      await this.#store.delete(name).catch(() => undefined);
      throw err;
    }
    return { name, size, md5: md5.digest(), sha256Hex: sha256.digest('hex') };
  }

  /** A new blob with the bytes of `blobs`, in order (a copy: blobs are never shared). */
  async copy(blobs: readonly BlobRef[], maxBytes: number): Promise<WrittenBlob> {
    const total = blobs.reduce((sum, b) => sum + b.size, 0);
    const release = this.pin(blobs.map((b) => b.name));
    try {
      return await this.write(this.read(blobs, 0, total - 1), maxBytes);
    } finally {
      release();
    }
  }

  /** The bytes from `start` to `end` (inclusive) of the blobs laid end to end. */
  async *read(blobs: readonly BlobRef[], start: number, end: number): AsyncGenerator<Uint8Array> {
    let offset = 0;
    for (const blob of blobs) {
      const blobStart = offset;
      offset += blob.size;
      if (offset <= start || blobStart > end || blob.size === 0) continue;
      const result = await this.#store.get(blob.name);
      if (!result) throw new Error(`object content ${blob.name} is missing from the JetStream object store`);
      const reader = result.data.getReader();
      // The client streams a blob from its first byte: the bytes before the range are read and dropped.
      let at = blobStart;
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          const chunkStart = at;
          at += value.byteLength;
          if (at <= start) continue;
          const from = Math.max(0, start - chunkStart);
          const to = Math.min(value.byteLength, end + 1 - chunkStart);
          if (to > from) yield value.subarray(from, to);
          if (at > end) break;
        }
      } finally {
        await reader.cancel().catch(() => undefined);
      }
      if (offset > end) return;
    }
  }

  /** A Node stream of a range, holding its blobs until it ends or is destroyed. */
  stream(blobs: readonly BlobRef[], start: number, end: number): Readable {
    const release = this.pin(blobs.map((b) => b.name));
    const body = Readable.from(this.read(blobs, start, end), { objectMode: false });
    body.once('close', release);
    return body;
  }

  /** Keeps `names` from being deleted by this host until the returned function is called. */
  pin(names: readonly string[]): () => void {
    for (const name of names) this.#pins.set(name, (this.#pins.get(name) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const name of names) {
        const left = (this.#pins.get(name) ?? 1) - 1;
        if (left > 0) {
          this.#pins.set(name, left);
          continue;
        }
        this.#pins.delete(name);
        if (this.#deferred.delete(name)) this.remove([name]);
      }
    };
  }

  /** Deletes blobs no record names any more; one a reader of this host is streaming goes when it is done. Never throws: a blob left behind is only space. */
  remove(names: readonly string[]): void {
    for (const name of names) {
      if (this.#pins.has(name)) {
        this.#deferred.add(name);
        continue;
      }
      const removal = this.#store.delete(name).then(() => undefined, () => undefined).finally(() => this.#removals.delete(removal));
      this.#removals.add(removal);
    }
  }

  /**
   * Deletes the blobs no record names (`named`) that were written before `writtenBefore` (epoch ms):
   * what a crash between a body and its commit, or a failed deletion, left. A blob written since is
   * left alone, as it may be a write in progress on some host whose record is not committed yet.
   * Returns the names deleted.
   */
  async removeOrphans(named: ReadonlySet<string>, writtenBefore: number): Promise<string[]> {
    const orphans = (await this.#store.list())
      .filter((info) => !info.deleted && !named.has(info.name) && Date.parse(info.mtime) < writtenBefore)
      .map((info) => info.name);
    this.remove(orphans);
    await this.settle();
    return orphans;
  }

  /** Waits for the deletions started so far. */
  async settle(): Promise<void> {
    await Promise.all([...this.#removals]);
  }
}

async function* toAsync(chunks: Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield* chunks;
}
