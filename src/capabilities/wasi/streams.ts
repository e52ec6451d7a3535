// wasi:io (error, poll, streams) for one instance: in-memory, synchronous, no shared host state.
// preview2-shim's Node streams route every call through a process-wide IO worker and global stdio,
// which would mix tenants; these are per instance and cost nothing when unused.
import { WaitForeverError, type HostLink } from '../host-link.js';

/** `stream-error` as jco expects it thrown from a result-returning import. */
const closedError = { tag: 'closed' } as const;

/** How many bytes a guest may write per `check-write`; the adapter chunks by it. */
export const writePermitBytes = 64 * 1024;

export class IoError {
  readonly #message: string;
  constructor(message: string) {
    this.#message = message;
  }
  toDebugString(): string {
    return this.#message;
  }
}

/**
 * A pollable: ready when its condition holds (an event arrived, a stream has bytes) or when the
 * monotonic clock passes its deadline. Blocking goes through the thread's HostLink, so a guest
 * waiting on a timer or the network does not count as computing.
 */
export class Pollable {
  readonly #isReady: () => boolean;
  readonly #readyAtNs: bigint | undefined;
  readonly #link: HostLink | undefined;
  constructor(isReady: () => boolean, readyAtNs?: bigint, link?: HostLink) {
    this.#isReady = isReady;
    this.#readyAtNs = readyAtNs;
    this.#link = link;
  }
  ready(): boolean {
    return this.#isReady() || (this.#readyAtNs !== undefined && process.hrtime.bigint() >= this.#readyAtNs);
  }
  block(): void {
    waitForAny([this]);
  }
  /** @internal for poll */
  get readyAtNs(): bigint | undefined {
    return this.#readyAtNs;
  }
  /** @internal for poll */
  get link(): HostLink | undefined {
    return this.#link;
  }
}

const alwaysReady = (): boolean => true;
const neverReady = (): boolean => false;

/** A pollable that is ready now (in-memory streams never make a guest wait). */
export function readyPollable(): Pollable {
  return new Pollable(alwaysReady);
}

/** A pollable ready at `readyAtNs` on the monotonic clock. */
export function timerPollable(readyAtNs: bigint, link: HostLink): Pollable {
  return new Pollable(neverReady, readyAtNs, link);
}

/** Waits until at least one of `pollables` is ready; returns their indices. */
function waitForAny(pollables: readonly Pollable[]): number[] {
  for (;;) {
    const ready: number[] = [];
    pollables.forEach((p, i) => p.ready() && ready.push(i));
    if (ready.length > 0) return ready;
    let untilNs: bigint | undefined;
    let link: HostLink | undefined;
    for (const p of pollables) {
      link ??= p.link;
      if (p.readyAtNs !== undefined && (untilNs === undefined || p.readyAtNs < untilNs)) untilNs = p.readyAtNs;
    }
    // Every pollable that can become ready later has a link: one that has none is ready or never will be.
    if (!link) throw new WaitForeverError('poll would block forever: none of its pollables can become ready');
    link.wait(untilNs);
  }
}

export function poll(pollables: Pollable[]): Uint32Array {
  if (pollables.length === 0) throw new Error('poll list must not be empty');
  return new Uint32Array(waitForAny(pollables));
}

export interface InputSource {
  /** undefined = end of stream; empty = nothing yet (then `subscribe` says when). May throw a stream error. */
  read(maxBytes: number): Uint8Array | undefined;
  /** Ready when `read` would return bytes, the end, or an error; absent for sources that never make a reader wait. */
  subscribe?(): Pollable;
}

export class InputStream {
  readonly #source: InputSource;
  constructor(source: InputSource) {
    this.#source = source;
  }
  read(len: bigint): Uint8Array {
    const chunk = this.#source.read(Number(len));
    if (chunk === undefined) throw closedError;
    return chunk;
  }
  blockingRead(len: bigint): Uint8Array {
    for (;;) {
      const chunk = this.read(len);
      if (chunk.byteLength > 0 || len === 0n || !this.#source.subscribe) return chunk;
      this.#source.subscribe().block();
    }
  }
  skip(len: bigint): bigint {
    return BigInt(this.read(len).byteLength);
  }
  blockingSkip(len: bigint): bigint {
    return BigInt(this.blockingRead(len).byteLength);
  }
  subscribe(): Pollable {
    return this.#source.subscribe?.() ?? readyPollable();
  }
}

export const emptyInput: InputSource = { read: () => undefined };

export type OutputSink = (bytes: Uint8Array) => void;

export class OutputStream {
  readonly #sink: OutputSink;
  constructor(sink: OutputSink) {
    this.#sink = sink;
  }
  checkWrite(): bigint {
    return BigInt(writePermitBytes);
  }
  write(contents: Uint8Array): void {
    this.#sink(contents);
  }
  blockingWriteAndFlush(contents: Uint8Array): void {
    this.#sink(contents);
  }
  flush(): void {}
  blockingFlush(): void {}
  subscribe(): Pollable {
    return readyPollable();
  }
  writeZeroes(len: bigint): void {
    this.#sink(new Uint8Array(Number(len)));
  }
  blockingWriteZeroesAndFlush(len: bigint): void {
    this.writeZeroes(len);
  }
  splice(src: InputStream, len: bigint): bigint {
    const chunk = src.read(len);
    this.#sink(chunk);
    return BigInt(chunk.byteLength);
  }
  blockingSplice(src: InputStream, len: bigint): bigint {
    return this.splice(src, len);
  }
}
