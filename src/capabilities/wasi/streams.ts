// wasi:io (error, poll, streams) for one instance: in-memory, synchronous, no shared host state.
// preview2-shim's Node streams route every call through a process-wide IO worker and global stdio,
// which would mix tenants; these are per instance and cost nothing when unused.

/** `stream-error` as jco expects it thrown from a result-returning import. */
const closedError = { tag: 'closed' } as const;

/** How many bytes a guest may write per `check-write`; the adapter chunks by it. */
const writePermitBytes = 64 * 1024;

export class IoError {
  readonly #message: string;
  constructor(message: string) {
    this.#message = message;
  }
  toDebugString(): string {
    return this.#message;
  }
}

/** A pollable whose readiness is a deadline on the monotonic clock (or always ready). */
export class Pollable {
  readonly #readyAtNs: bigint;
  constructor(readyAtNs = 0n) {
    this.#readyAtNs = readyAtNs;
  }
  ready(): boolean {
    return process.hrtime.bigint() >= this.#readyAtNs;
  }
  /** Sleeps the worker thread; the invocation deadline still applies (the worker is terminated). */
  block(): void {
    const remainingNs = this.#readyAtNs - process.hrtime.bigint();
    if (remainingNs > 0n) sleepSync(Number(remainingNs / 1_000_000n) + 1);
  }
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}

export function poll(pollables: Pollable[]): Uint32Array {
  if (pollables.length === 0) throw new Error('poll list must not be empty');
  for (;;) {
    const ready: number[] = [];
    pollables.forEach((p, i) => p.ready() && ready.push(i));
    if (ready.length > 0) return new Uint32Array(ready);
    pollables[0]?.block();
  }
}

export interface InputSource {
  read(maxBytes: number): Uint8Array | undefined; // undefined = end of stream
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
    return this.read(len);
  }
  skip(len: bigint): bigint {
    return BigInt(this.read(len).byteLength);
  }
  blockingSkip(len: bigint): bigint {
    return this.skip(len);
  }
  subscribe(): Pollable {
    return new Pollable();
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
    return new Pollable();
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
