// The incoming side of wasi:http/incoming-handler for one invocation: the request the guest reads
// (`incoming-request`) and the response it sets (`response-outparam`, `outgoing-response`). The
// response either streams to the main thread as the guest writes it (HTTP routes) or is collected
// whole (direct and async invocations, which answer with one body).
import type { HeaderPair, HostLink } from '../host-link.js';
import type { InputSource } from '../wasi/streams.js';
import { IoError } from '../wasi/streams.js';
import { joinBytes } from '../join-bytes.js';
import { errUnit, IncomingBody, OutgoingBody, type BodySink } from './bodies.js';
import type { WasiHttpErrorCode } from './error-code.js';
import { Fields } from './fields.js';

export type WasiMethod = { tag: 'get' | 'head' | 'post' | 'put' | 'delete' | 'connect' | 'options' | 'trace' | 'patch' } | { tag: 'other'; val: string };
export type WasiScheme = { tag: 'HTTP' | 'HTTPS' } | { tag: 'other'; val: string };

const standardMethods: ReadonlySet<string> = new Set(['get', 'head', 'post', 'put', 'delete', 'connect', 'options', 'trace', 'patch']);

export function wasiMethodOf(method: string): WasiMethod {
  const lower = method.toLowerCase();
  return standardMethods.has(lower) && method === method.toUpperCase() ? ({ tag: lower } as WasiMethod) : { tag: 'other', val: method };
}

export function methodOfWasi(method: WasiMethod): string {
  return method.tag === 'other' ? method.val : method.tag.toUpperCase();
}

/** The request as the host parsed it. */
export interface IncomingRequestData {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: readonly HeaderPair[];
  readonly body: Uint8Array;
}

export class IncomingRequest {
  readonly #data: IncomingRequestData;
  readonly #headers: Fields;
  #consumed = false;
  constructor(data: IncomingRequestData) {
    this.#data = data;
    this.#headers = Fields.fromHost(data.headers);
  }
  method(): WasiMethod {
    return wasiMethodOf(this.#data.method);
  }
  pathWithQuery(): string {
    return this.#data.query === '' ? this.#data.path : `${this.#data.path}?${this.#data.query}`;
  }
  scheme(): WasiScheme {
    return { tag: 'HTTP' };
  }
  authority(): string | undefined {
    return this.#data.headers.find(([name]) => name === 'host')?.[1];
  }
  headers(): Fields {
    return this.#headers.view();
  }
  consume(): IncomingBody {
    if (this.#consumed) throw errUnit;
    this.#consumed = true;
    return new IncomingBody(bytesSource(this.#data.body));
  }
}

/** An input source over bytes already in memory. */
export function bytesSource(bytes: Uint8Array): InputSource {
  let offset = 0;
  return {
    read(maxBytes) {
      if (offset >= bytes.byteLength) return undefined;
      const chunk = bytes.slice(offset, offset + maxBytes);
      offset += chunk.byteLength;
      return chunk;
    },
  };
}

export class OutgoingResponse {
  readonly #headers: Fields;
  #status = 200;
  #bodyTaken = false;
  /** Set when the response is handed to `response-outparam.set`. */
  #collector: ResponseCollector | undefined;
  constructor(headers: Fields) {
    this.#headers = headers;
  }
  statusCode(): number {
    return this.#status;
  }
  setStatusCode(status: number): void {
    if (this.#collector || status < 100 || status > 599) throw errUnit;
    this.#status = status;
  }
  headers(): Fields {
    return this.#headers.immutableView();
  }
  body(): OutgoingBody {
    if (this.#bodyTaken) throw errUnit;
    this.#bodyTaken = true;
    // The body may be written before the response is set: bytes wait in the collector until then.
    return new OutgoingBody({
      write: (bytes) => this.#target().write(bytes),
      close: (complete) => this.#target().close(complete),
    });
  }
  /** @internal response-outparam.set */
  attach(collector: ResponseCollector): void {
    this.#headers.freeze();
    this.#collector = collector;
    collector.setHead(this.#status, this.#headers.toPairs(), this.#pending);
    this.#pending = undefined;
  }
  /** Body events before `attach`. */
  #pending: PendingBody | undefined;
  #target(): BodySink {
    if (this.#collector) return this.#collector;
    this.#pending ??= { chunks: [], closed: undefined };
    const pending = this.#pending;
    return {
      write: (bytes) => pending.chunks.push(bytes),
      close: (complete) => (pending.closed = complete),
    };
  }
}

interface PendingBody {
  readonly chunks: Uint8Array[];
  closed: boolean | undefined;
}

/** What the guest answered, once `handle` has returned. */
export type CollectedResponse =
  | { readonly kind: 'ok'; readonly status: number; readonly headers: readonly HeaderPair[]; readonly body: Uint8Array; readonly streamed: boolean }
  | { readonly kind: 'missing' }
  | { readonly kind: 'error-code'; readonly code: WasiHttpErrorCode }
  | { readonly kind: 'incomplete'; readonly streamed: boolean }
  | { readonly kind: 'too-large'; readonly streamed: boolean; readonly limitBytes: number };

/**
 * Collects one invocation's response. Streaming, the head and the chunks written so far go to the
 * main thread whenever the guest is about to wait (a timer, an upstream) or more than
 * `streamFlushBytes` are pending; a guest that answers without waiting sends nothing early, and its
 * whole response travels with the result, as cheaply as a wasmlet:function response.
 */
export class ResponseCollector implements BodySink {
  readonly #link: HostLink;
  readonly #streaming: boolean;
  readonly #maxBytes: number;
  #head: { status: number; headers: readonly HeaderPair[] } | undefined;
  #error: WasiHttpErrorCode | undefined;
  /** Written and not yet sent to the main thread (all of the body, when nothing streamed). */
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #bytes = 0;
  #headSent = false;
  #complete: boolean | undefined;
  #tooLarge = false;

  constructor(link: HostLink, streaming: boolean, maxBytes: number) {
    this.#link = link;
    this.#streaming = streaming;
    this.#maxBytes = maxBytes;
  }

  get isSet(): boolean {
    return this.#head !== undefined || this.#error !== undefined;
  }

  setHead(status: number, headers: readonly HeaderPair[], pending: PendingBody | undefined): void {
    this.#head = { status, headers };
    for (const chunk of pending?.chunks ?? []) this.write(chunk);
    if (pending?.closed !== undefined) this.close(pending.closed);
  }

  setError(code: WasiHttpErrorCode): void {
    this.#error = code;
  }

  write(bytes: Uint8Array): void {
    this.#bytes += bytes.byteLength;
    if (this.#bytes > this.#maxBytes) {
      this.#tooLarge = true;
      throw { tag: 'last-operation-failed', val: new IoError(`response body exceeds the limit of ${this.#maxBytes} bytes`) };
    }
    this.#pending.push(bytes);
    this.#pendingBytes += bytes.byteLength;
    if (this.#streaming && this.#pendingBytes >= streamFlushBytes) this.flush();
  }

  close(complete: boolean): void {
    this.#complete ??= complete;
  }

  /** Sends the head (once set) and what is pending to the main thread; a no-op unless streaming. */
  flush(): void {
    if (!this.#streaming || !this.#head) return;
    if (!this.#headSent) {
      this.#headSent = true;
      this.#link.emit({ kind: 'response-head', status: this.#head.status, headers: this.#head.headers });
    }
    if (this.#pendingBytes > 0) this.#link.emit({ kind: 'response-chunk', bytes: joinBytes(this.#pending, this.#pendingBytes) });
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  result(): CollectedResponse {
    if (this.#error) return { kind: 'error-code', code: this.#error };
    if (!this.#head) return { kind: 'missing' };
    const streamed = this.#headSent;
    if (this.#tooLarge) return { kind: 'too-large', streamed, limitBytes: this.#maxBytes };
    // A body never taken counts as empty and complete; one taken must be finished (dropping it corrupts it).
    if (this.#complete === false) return { kind: 'incomplete', streamed };
    if (streamed) this.flush();
    return { kind: 'ok', ...this.#head, body: streamed ? new Uint8Array(0) : joinBytes(this.#pending, this.#pendingBytes), streamed };
  }
}

/** Pending response bytes beyond this go to the client without waiting for the guest to pause. */
const streamFlushBytes = 64 * 1024;

export class ResponseOutparam {
  readonly #collector: ResponseCollector;
  constructor(collector: ResponseCollector) {
    this.#collector = collector;
  }
  static set(param: ResponseOutparam, response: { tag: 'ok'; val: OutgoingResponse } | { tag: 'err'; val: WasiHttpErrorCode }): void {
    if (param.#collector.isSet) throw new Error('response-outparam.set called twice');
    if (response.tag === 'err') param.#collector.setError(response.val);
    else response.val.attach(param.#collector);
  }
  sendInformational(): void {
    throw { tag: 'internal-error', val: 'informational responses are not supported' };
  }
}
