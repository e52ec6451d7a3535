// wasi:http bodies: `incoming-body` (a request's or response's, read through an input-stream),
// `outgoing-body` (written through an output-stream) and `future-trailers`. Trailers are not
// carried by the host: an incoming body has none, an outgoing body's are ignored.
import { InputStream, IoError, OutputStream, readyPollable, type InputSource, type Pollable } from '../wasi/streams.js';
import type { WasiHttpErrorCode } from './error-code.js';
import type { Fields } from './fields.js';

/** How jco's glue turns a thrown value into `err(…)` of a result-returning import. */
export const errUnit = { payload: undefined } as const;

/** Where an outgoing body's bytes go and what finishing it means. */
export interface BodySink {
  write(bytes: Uint8Array): void;
  /** Called once: by `finish`, or by dropping the body without it (`complete` false: the body is corrupt). */
  close(complete: boolean): void;
}

const disposeSymbol: symbol = (Symbol as { dispose?: symbol }).dispose ?? Symbol.for('dispose');

export class IncomingBody {
  readonly #source: InputSource;
  #streamTaken = false;
  constructor(source: InputSource) {
    this.#source = source;
  }
  stream(): InputStream {
    if (this.#streamTaken) throw errUnit;
    this.#streamTaken = true;
    return new InputStream(this.#source);
  }
  static finish(_body: IncomingBody): FutureTrailers {
    return new FutureTrailers();
  }
}

export class FutureTrailers {
  #taken = false;
  subscribe(): Pollable {
    return readyPollable();
  }
  get(): { tag: 'ok'; val: { tag: 'ok'; val: Fields | undefined } } | { tag: 'err' } {
    if (this.#taken) return { tag: 'err' };
    this.#taken = true;
    return { tag: 'ok', val: { tag: 'ok', val: undefined } };
  }
}

export class OutgoingBody {
  readonly #sink: BodySink;
  #streamTaken = false;
  #closed = false;
  constructor(sink: BodySink) {
    this.#sink = sink;
  }
  write(): OutputStream {
    if (this.#streamTaken) throw errUnit;
    this.#streamTaken = true;
    return new OutputStream((bytes) => {
      if (this.#closed) throw { tag: 'closed' };
      this.#sink.write(bytes);
    });
  }
  static finish(body: OutgoingBody, _trailers: Fields | undefined): void {
    body.#close(true);
  }
  [disposeSymbol](): void {
    this.#close(false);
  }
  #close(complete: boolean): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#sink.close(complete);
  }
}

/** A stream error that `wasi:http/types.http-error-code` can explain. */
export class HttpIoError extends IoError {
  constructor(
    message: string,
    readonly code: WasiHttpErrorCode,
  ) {
    super(message);
  }
}
