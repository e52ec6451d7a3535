// Object content on local disk, filed by SHA-256: <root>/sha256/<2 hex>/<64 hex>, staged in <root>/tmp/ first.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { ObjectError } from './object-error.js';
import type { ObjectBody } from './object-store.js';

/** A body written whole to a temporary file and synced, not yet visible under its digest. */
export interface StagedBlob {
  readonly tempPath: string;
  readonly sha256: string;
  /** Raw MD5 (16 bytes): the ETag, and a multipart ETag's input. */
  readonly md5: Buffer;
  readonly size: number;
}

const digestPattern = /^[0-9a-f]{64}$/;
/** Reads of stored content go in slices this large: few system calls for big objects, bounded memory per stream. */
const readChunkBytes = 256 * 1024;
/** A body is written in batches of about this much (memory per upload in flight is bounded by it). */
const writeBatchBytes = 1024 * 1024;

/**
 * The files, and the in-process coordination their refcounts need. Who references a digest is the
 * caller's (SQLite's) business; this class guarantees that a file is never unlinked while
 * 1. another write of the same content is between putting its file in place and committing the
 *    reference (`withLock`: both happen under the digest's lock, and so does every unlink, after
 *    re-checking that nothing references the digest any more), or
 * 2. a reader is streaming it (`pin`: an unlink of a pinned digest waits for the last reader).
 * One process owns a data directory (host/data-dir-lock.ts), so in-process locks are enough.
 */
export class BlobFiles {
  readonly #root: string;
  readonly #locks = new Map<string, Promise<void>>();
  readonly #pins = new Map<string, number>();
  /** Unlinks that waited for readers: re-tried (re-checking the references) when the last pin goes. */
  readonly #deferred = new Map<string, () => boolean>();
  /** Shard folders known to exist: a put does not ask the filesystem again. */
  readonly #shards = new Set<string>();

  constructor(root: string) {
    this.#root = root;
  }

  /** Creates the folders and removes staging files a crash left behind (their writes never committed). */
  async init(): Promise<void> {
    await rm(join(this.#root, 'tmp'), { recursive: true, force: true });
    await mkdir(join(this.#root, 'tmp'), { recursive: true });
    await mkdir(join(this.#root, 'sha256'), { recursive: true });
  }

  pathOf(digest: string): string {
    if (!digestPattern.test(digest)) throw new Error(`not a sha256 hex digest: ${digest}`);
    return join(this.#root, 'sha256', digest.slice(0, 2), digest);
  }

  /**
   * Writes `body` to a new temporary file, hashing it on the way, and syncs it. More than `maxBytes`
   * fails with `entity_too_large` as soon as it is seen; any failure (the body's own included)
   * removes the file.
   */
  async stage(body: ObjectBody, maxBytes: number): Promise<StagedBlob> {
    const tempPath = join(this.#root, 'tmp', `${randomBytes(12).toString('hex')}.part`);
    const sha256 = createHash('sha256');
    const md5 = createHash('md5');
    let size = 0;
    const handle = await open(tempPath, 'wx');
    try {
      const chunks = body instanceof Uint8Array ? [body] : body;
      // HTTP delivers 16-64 KiB pieces: one write (a thread-pool round trip) per megabyte, not per piece.
      let pending: Uint8Array[] = [];
      let pendingBytes = 0;
      for await (const chunk of chunks) {
        size += chunk.byteLength;
        if (size > maxBytes) throw new ObjectError('entity_too_large', `the body exceeds ${maxBytes} bytes`, { limit: maxBytes });
        sha256.update(chunk);
        md5.update(chunk);
        pending.push(chunk);
        pendingBytes += chunk.byteLength;
        if (pendingBytes >= writeBatchBytes) {
          await handle.writev(pending);
          pending = [];
          pendingBytes = 0;
        }
      }
      if (pendingBytes > 0) await handle.writev(pending);
      await handle.sync(); // the bytes are on disk before any metadata can point at them
      await handle.close();
    } catch (err) {
      await handle.close().catch(() => undefined);
      await rm(tempPath, { force: true });
      throw err;
    }
    return { tempPath, sha256: sha256.digest('hex'), md5: md5.digest(), size };
  }

  async discard(staged: StagedBlob): Promise<void> {
    await rm(staged.tempPath, { force: true });
  }

  /** Runs `body` holding `digest`'s lock; calls for one digest run one at a time, in call order. */
  async withLock<T>(digest: string, body: () => Promise<T> | T): Promise<T> {
    const previous = this.#locks.get(digest) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.#locks.set(digest, tail);
    await previous;
    try {
      return await body();
    } finally {
      release();
      if (this.#locks.get(digest) === tail) this.#locks.delete(digest);
    }
  }

  /**
   * Under the digest's lock: moves a staged file to its place (and syncs the folder, so the name is
   * as durable as the commit that will reference it), or drops it when `present` says the content
   * is already stored and referenced.
   */
  async install(staged: StagedBlob, present: boolean): Promise<void> {
    if (present) {
      await this.discard(staged);
      return;
    }
    const path = this.pathOf(staged.sha256);
    const dir = join(this.#root, 'sha256', staged.sha256.slice(0, 2));
    if (!this.#shards.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.#shards.add(dir);
    }
    try {
      await rename(staged.tempPath, path);
    } catch (err) {
      await this.discard(staged);
      throw err;
    }
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** Keeps the digests' files until the returned function is called (once is enough; more is harmless). */
  pin(digests: readonly string[]): () => void {
    for (const digest of digests) this.#pins.set(digest, (this.#pins.get(digest) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const digest of digests) {
        const left = (this.#pins.get(digest) ?? 1) - 1;
        if (left > 0) {
          this.#pins.set(digest, left);
          continue;
        }
        this.#pins.delete(digest);
        const referenced = this.#deferred.get(digest);
        if (referenced) {
          this.#deferred.delete(digest);
          void this.remove(digest, referenced);
        }
      }
    };
  }

  /**
   * Unlinks a digest's file unless `referenced()` (asked under the lock, so after any write in
   * flight has committed) says something points at it again. A pinned file waits for its readers.
   * Failures are left for the sweep at the next start: they only waste space.
   */
  async remove(digest: string, referenced: () => boolean): Promise<void> {
    await this.withLock(digest, () => this.removeHeld(digest, referenced));
  }

  /** `remove` for a caller that already holds the digest's lock (the lock is not reentrant). */
  async removeHeld(digest: string, referenced: () => boolean): Promise<void> {
    if (this.#pins.has(digest)) {
      this.#deferred.set(digest, referenced);
      return;
    }
    if (referenced()) return;
    await unlink(this.pathOf(digest)).catch(() => undefined);
  }

  /** Streams `[start, end]` (inclusive) of the concatenation of `chunks`, file after file. */
  async *read(chunks: ReadonlyArray<{ readonly digest: string; readonly size: number }>, start: number, end: number): AsyncGenerator<Buffer> {
    let offset = 0;
    for (const chunk of chunks) {
      const chunkStart = offset;
      offset += chunk.size;
      if (offset <= start || chunkStart > end || chunk.size === 0) continue;
      const from = Math.max(start, chunkStart) - chunkStart;
      const to = Math.min(end, offset - 1) - chunkStart;
      const stream: Readable = createReadStream(this.pathOf(chunk.digest), { start: from, end: to, highWaterMark: readChunkBytes });
      try {
        for await (const data of stream) yield data as Buffer;
      } finally {
        stream.destroy();
      }
    }
  }

  /**
   * At start, before anything is served: removes files no row references (a write that crashed
   * between putting its file in place and committing, or a delete that crashed before its unlink).
   */
  async sweep(referenced: (digest: string) => boolean): Promise<number> {
    let removed = 0;
    const top = join(this.#root, 'sha256');
    for (const shard of await readdir(top)) {
      for (const name of await readdir(join(top, shard))) {
        if (digestPattern.test(name) && referenced(name)) continue;
        await rm(join(top, shard, name), { force: true, recursive: true });
        removed++;
      }
    }
    return removed;
  }
}
