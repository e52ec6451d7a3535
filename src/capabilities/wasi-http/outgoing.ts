// The outgoing side of wasi:http: `outgoing-request` and `request-options` (built by the guest),
// `outgoing-handler.handle` (which hands the request to the main thread through the HostLink) and
// the `future-incoming-response` / `incoming-response` the guest polls and reads.
import type { HostLink } from '../host-link.js';
import { joinBytes } from '../join-bytes.js';
import { OutboundExchange } from '../outbound-exchange.js';
import { Pollable, type InputSource } from '../wasi/streams.js';
import { errUnit, HttpIoError, IncomingBody, OutgoingBody } from './bodies.js';
import { wasiErrorCodeOf, type WasiHttpErrorCode } from './error-code.js';
import { Fields } from './fields.js';
import { methodOfWasi, type WasiMethod, type WasiScheme } from './incoming.js';

/** A request body is collected whole before the request starts (the host sends it in one piece). */
interface RequestBody {
  readonly chunks: Uint8Array[];
  bytes: number;
  finished: boolean;
  onFinish?: () => void;
}

export class OutgoingRequest {
  readonly #headers: Fields;
  #method: WasiMethod = { tag: 'get' };
  #pathWithQuery: string | undefined;
  #scheme: WasiScheme | undefined;
  #authority: string | undefined;
  #body: RequestBody | undefined;
  constructor(headers: Fields) {
    this.#headers = headers;
  }
  body(): OutgoingBody {
    if (this.#body) throw errUnit;
    const body: RequestBody = { chunks: [], bytes: 0, finished: false };
    this.#body = body;
    return new OutgoingBody({
      write: (bytes) => {
        body.chunks.push(bytes);
        body.bytes += bytes.byteLength;
      },
      close: () => {
        body.finished = true;
        body.onFinish?.();
      },
    });
  }
  method(): WasiMethod {
    return this.#method;
  }
  setMethod(method: WasiMethod): void {
    if (method.tag === 'other' && !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(method.val)) throw errUnit;
    this.#method = method;
  }
  pathWithQuery(): string | undefined {
    return this.#pathWithQuery;
  }
  setPathWithQuery(value: string | undefined): void {
    if (value !== undefined && !value.startsWith('/') && value !== '*') throw errUnit;
    this.#pathWithQuery = value;
  }
  scheme(): WasiScheme | undefined {
    return this.#scheme;
  }
  setScheme(value: WasiScheme | undefined): void {
    this.#scheme = value;
  }
  authority(): string | undefined {
    return this.#authority;
  }
  setAuthority(value: string | undefined): void {
    if (value !== undefined && /[\s/?#@]/.test(value)) throw errUnit;
    this.#authority = value;
  }
  headers(): Fields {
    return this.#headers.immutableView();
  }

  /** @internal The URL, or why it cannot be formed. A request with no scheme is sent over HTTPS. */
  url(): string | { error: string } {
    const scheme = this.#scheme ?? { tag: 'HTTPS' };
    if (scheme.tag === 'other') return { error: `scheme ${scheme.val} is not supported` };
    if (!this.#authority) return { error: 'the request has no authority (host)' };
    return `${scheme.tag.toLowerCase()}://${this.#authority}${this.#pathWithQuery ?? '/'}`;
  }
  /** @internal */
  get methodName(): string {
    return methodOfWasi(this.#method);
  }
  /** @internal */
  get headerPairs(): [string, string][] {
    return this.#headers.toPairs();
  }
  /** @internal Runs `start` once the body (if the guest took one) is finished. */
  whenBodyReady(start: (body: Uint8Array) => void): void {
    const body = this.#body;
    if (!body) return start(new Uint8Array(0));
    const go = () => start(joinBytes(body.chunks, body.bytes));
    if (body.finished) go();
    else body.onFinish = go;
  }
}

/** Timeouts a guest asks for; the host's own limits (and the invocation's deadline) still apply. */
export class RequestOptions {
  #connect: bigint | undefined;
  #firstByte: bigint | undefined;
  #betweenBytes: bigint | undefined;
  connectTimeout(): bigint | undefined {
    return this.#connect;
  }
  setConnectTimeout(value: bigint | undefined): void {
    this.#connect = value;
  }
  firstByteTimeout(): bigint | undefined {
    return this.#firstByte;
  }
  setFirstByteTimeout(value: bigint | undefined): void {
    this.#firstByte = value;
  }
  betweenBytesTimeout(): bigint | undefined {
    return this.#betweenBytes;
  }
  setBetweenBytesTimeout(value: bigint | undefined): void {
    this.#betweenBytes = value;
  }
}

export class IncomingResponse {
  readonly #status: number;
  readonly #headers: Fields;
  readonly #body: InputSource;
  #consumed = false;
  constructor(status: number, headers: Fields, body: InputSource) {
    this.#status = status;
    this.#headers = headers;
    this.#body = body;
  }
  status(): number {
    return this.#status;
  }
  headers(): Fields {
    return this.#headers.view();
  }
  consume(): IncomingBody {
    if (this.#consumed) throw errUnit;
    this.#consumed = true;
    return new IncomingBody(this.#body);
  }
}

type FutureValue = { tag: 'ok'; val: { tag: 'ok'; val: IncomingResponse } | { tag: 'err'; val: WasiHttpErrorCode } } | { tag: 'err' };

const disposeSymbol: symbol = (Symbol as { dispose?: symbol }).dispose ?? Symbol.for('dispose');

export class FutureIncomingResponse {
  readonly #exchange: OutboundExchange;
  readonly #link: HostLink;
  readonly #cancel: () => void;
  #taken = false;
  constructor(exchange: OutboundExchange, link: HostLink, cancel: () => void) {
    this.#exchange = exchange;
    this.#link = link;
    this.#cancel = cancel;
  }
  subscribe(): Pollable {
    const exchange = this.#exchange;
    return new Pollable(() => exchange.head !== undefined || exchange.failure !== undefined, undefined, this.#link);
  }
  get(): FutureValue | undefined {
    const exchange = this.#exchange;
    if (!exchange.head && !exchange.failure) return undefined;
    if (this.#taken) return { tag: 'err' };
    this.#taken = true;
    if (!exchange.head) return { tag: 'ok', val: { tag: 'err', val: wasiErrorCodeOf(exchange.failure!.code, exchange.failure!.message) } };
    const body = responseBodySource(exchange, this.#link);
    return { tag: 'ok', val: { tag: 'ok', val: new IncomingResponse(exchange.head.status, Fields.fromHost(exchange.head.headers), body) } };
  }
  [disposeSymbol](): void {
    if (!this.#taken) this.#cancel();
  }
}

/** The response body as it arrives; a failure after the head surfaces as a stream error. */
function responseBodySource(exchange: OutboundExchange, link: HostLink): InputSource {
  const hasSomething = () => exchange.chunks.length > 0 || exchange.ended || exchange.failure !== undefined;
  return {
    read(maxBytes) {
      const next = exchange.chunks[0];
      if (next) {
        if (next.byteLength <= maxBytes) return exchange.chunks.shift()!;
        exchange.chunks[0] = next.subarray(maxBytes);
        return next.subarray(0, maxBytes);
      }
      if (exchange.failure) {
        const { code, message } = exchange.failure;
        throw { tag: 'last-operation-failed', val: new HttpIoError(message, wasiErrorCodeOf(code, message)) };
      }
      return exchange.ended ? undefined : new Uint8Array(0);
    },
    subscribe: () => new Pollable(hasSomething, undefined, link),
  };
}

/** wasi:http/outgoing-handler for one instance: every request goes through the thread's HostLink. */
export function createOutgoingHandler(link: HostLink) {
  return {
    handle(request: OutgoingRequest, _options: RequestOptions | undefined): FutureIncomingResponse {
      const url = request.url();
      if (typeof url !== 'string') throw { tag: 'HTTP-request-URI-invalid' } satisfies WasiHttpErrorCode;
      const exchange = new OutboundExchange();
      let id: number | undefined;
      let cancelled = false;
      const method = request.methodName;
      const headers = request.headerPairs;
      request.whenBodyReady((body) => {
        if (cancelled) return;
        id = link.start({ kind: 'outbound-http', request: { method, url, headers, body }, followRedirects: false }, exchange.onEvent);
      });
      return new FutureIncomingResponse(exchange, link, () => {
        cancelled = true;
        if (id !== undefined) link.cancel(id);
      });
    },
  };
}
