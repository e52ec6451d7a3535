// The main-thread side of wasmlet:function/outbound-http: one instance per function version, with its
// own undici connection pool. `send` takes plain data and reports through a sink, so a worker bridge
// can drive it from messages. Deny by default; every hop is checked against the grants, and every
// connection against the address guard (guarded-connector.ts).
import { Agent, type Dispatcher } from 'undici';
import { formatOrigin, grantAllows, type AllowedHost } from './allowed-hosts.js';
import { guardedConnector, type LookupAll } from './guarded-connector.js';
import { describeNetworkError, type OutboundErrorCode, type OutboundFailure } from './outbound-errors.js';
import type { OutboundBudget, OutboundLimits } from './outbound-limits.js';
import { prepareRequest, redirectRequest, type OutboundRequest, type PreparedRequest } from './outbound-request.js';

export type { OutboundErrorCode } from './outbound-errors.js';
export type { OutboundRequest } from './outbound-request.js';
export { OutboundBudget, defaultOutboundLimits, type OutboundLimits } from './outbound-limits.js';

/** Redirects followed per request: what the WIT promises the guest; fetch allows 20, a loop needs fewer to be caught. */
export const maxRedirectHops = 5;
/** Bytes of a redirect's own body read before its connection is dropped rather than reused. */
const redirectBodyDumpBytes = 64 * 1024;

/** Where a response goes. Exactly one of `fail` or `end` is called, after at most one `head`. */
export interface OutboundSink {
  head(status: number, headers: [string, string][]): void;
  chunk(bytes: Uint8Array): void;
  end(): void;
  fail(code: OutboundErrorCode, message: string): void;
}

export interface SendOptions {
  /** Follow 301/302/303/307/308 (at most maxRedirectHops), or hand the redirect to the guest. */
  readonly followRedirects: boolean;
  /** Aborts the request (the invocation ended); the sink gets `timeout`. */
  readonly signal?: AbortSignal;
}

export interface OutboundHttpOptions {
  /** The host's own listening ports (admin API, HTTP routes): a wildcard-port grant never reaches them. */
  readonly ownPorts: () => readonly number[];
  /** Overrides dns.lookup (tests map names to loopback). */
  readonly lookup?: LookupAll;
  /** Overrides the host's interface addresses (os.networkInterfaces()) for the own-ports rule. */
  readonly ownAddresses?: () => ReadonlySet<string>;
  /** Extra trusted CAs (PEM), added to Node's bundled roots. */
  readonly ca?: string | readonly string[];
  /** The clock budgets' deadlines are on; performance.now() by default. */
  readonly now?: () => number;
}

/**
 * @example
 * const outbound = new OutboundHttp(manifest.allowedOutboundHosts, manifest.limits, { ownPorts: () => [adminPort, httpPort] });
 * const budget = new OutboundBudget(performance.now() + remainingMs);
 * outbound.send({ method: 'GET', url: 'https://api.example.com/v1', headers: [], body: new Uint8Array() }, budget, sink, { followRedirects: true });
 */
export class OutboundHttp {
  readonly #grants: readonly AllowedHost[];
  readonly #limits: OutboundLimits;
  readonly #agent: Agent;
  readonly #now: () => number;
  #closed = false;

  constructor(grants: readonly AllowedHost[], limits: OutboundLimits, options: OutboundHttpOptions) {
    this.#grants = grants;
    this.#limits = limits;
    this.#now = options.now ?? (() => performance.now());
    this.#agent = new Agent({
      connect: guardedConnector({ grants, connectTimeoutMs: limits.outboundConnectTimeoutMs, ...options }),
      // One timer per send (request timeout cut to the deadline) is the rule; undici's own would fire at 300 s regardless.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
  }

  send(request: OutboundRequest, budget: OutboundBudget, sink: OutboundSink, options: SendOptions): void {
    const exchange = new Exchange(sink);
    if (this.#closed) return exchange.fail({ code: 'protocol-error', message: 'outbound HTTP is closed (the function version was retired)' });
    const prepared = prepareRequest(request);
    if ('code' in prepared) return exchange.fail(prepared);
    const remainingMs = budget.deadlineMs - this.#now();
    if (remainingMs <= 0 || options.signal?.aborted) return exchange.fail({ code: 'timeout', message: 'the invocation has no time left' });
    const timeoutMs = Math.min(this.#limits.outboundTimeoutMs, remainingMs);
    exchange.start(timeoutMs, options.signal);
    // #run reports every expected failure itself; anything reaching this catch is a bug, but the guest still gets an answer.
    this.#run(prepared, budget, exchange, options.followRedirects).catch((err: unknown) => exchange.fail({ code: 'protocol-error', message: String(err) }));
  }

  /** Drops every connection; sends still in flight fail. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#agent.destroy();
  }

  async #run(first: PreparedRequest, budget: OutboundBudget, exchange: Exchange, followRedirects: boolean): Promise<void> {
    let current = first;
    for (let redirects = 0; ; redirects += 1) {
      const origin = formatOrigin(current.origin);
      if (!this.#grants.some((grant) => grantAllows(grant, current.origin))) {
        return exchange.fail({ code: 'denied', message: `${origin} is not in allowed_outbound_hosts; add "${origin}" to the manifest to grant it` });
      }
      if (budget.requests >= this.#limits.outboundRequests) {
        return exchange.fail({ code: 'too-many-requests', message: `this invocation already made ${budget.requests} outbound requests (limits.outbound_requests)` });
      }
      budget.requests += 1;
      let response: Dispatcher.ResponseData;
      try {
        response = await this.#agent.request({
          origin: current.url.origin,
          path: `${current.url.pathname}${current.url.search}`,
          method: current.method as Dispatcher.HttpMethod,
          headers: current.headers.flat(),
          body: current.body.byteLength === 0 ? null : current.body,
          signal: exchange.signal,
        });
      } catch (err) {
        return exchange.fail(describeNetworkError(err, origin));
      }
      if (exchange.settled) return discard(response.body);
      const location = response.headers['location'];
      const next = followRedirects ? redirectRequest(current, response.statusCode, typeof location === 'string' ? location : undefined) : undefined;
      if (next === undefined) return this.#deliver(response, budget, exchange, origin);
      // Read a little so the connection can be reused; a redirect with a big body loses its connection instead.
      response.body.dump({ limit: redirectBodyDumpBytes }).catch(() => undefined);
      if ('code' in next) return exchange.fail(next);
      if (redirects + 1 > maxRedirectHops) return exchange.fail({ code: 'protocol-error', message: `more than ${maxRedirectHops} redirects (last to ${next.url.href})` });
      current = next;
    }
  }

  #deliver(response: Dispatcher.ResponseData, budget: OutboundBudget, exchange: Exchange, origin: string): void {
    const limit = this.#limits.outboundResponseBytes;
    const tooLarge = (): OutboundFailure => ({ code: 'response-too-large', message: `the responses of this invocation exceed ${limit} bytes (limits.outbound_response_bytes)` });
    const declared = Number(response.headers['content-length']);
    // A declared length that cannot fit is refused before a byte of it is read.
    if (Number.isFinite(declared) && budget.responseBytes + declared > limit) {
      discard(response.body);
      return exchange.fail(tooLarge());
    }
    exchange.head(response.statusCode, headerPairs(response.headers));
    response.body.on('data', (chunk: Buffer) => {
      if (exchange.settled) return;
      budget.responseBytes += chunk.byteLength;
      if (budget.responseBytes > limit) {
        discard(response.body);
        return exchange.fail(tooLarge());
      }
      exchange.chunk(chunk);
    });
    response.body.once('end', () => exchange.end());
    response.body.once('error', (err: Error) => exchange.fail(describeNetworkError(err, origin)));
  }
}

/** One send's state: the single timer, the abort signal, and the once-only guarantees of the sink. */
class Exchange {
  readonly #sink: OutboundSink;
  readonly #controller = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #external: AbortSignal | undefined;
  #settled = false;
  #headSent = false;

  constructor(sink: OutboundSink) {
    this.#sink = sink;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get settled(): boolean {
    return this.#settled;
  }

  start(timeoutMs: number, external: AbortSignal | undefined): void {
    this.#timer = setTimeout(() => this.fail({ code: 'timeout', message: `no whole response within ${Math.round(timeoutMs)} ms` }), timeoutMs);
    this.#external = external;
    external?.addEventListener('abort', this.#onExternalAbort, { once: true });
  }

  head(status: number, headers: [string, string][]): void {
    if (this.#settled || this.#headSent) return;
    this.#headSent = true;
    this.#sink.head(status, headers);
  }

  chunk(bytes: Uint8Array): void {
    if (!this.#settled) this.#sink.chunk(bytes);
  }

  end(): void {
    if (this.#settle()) this.#sink.end();
  }

  fail(failure: OutboundFailure): void {
    if (!this.#settle()) return;
    // Stops whatever is still running: the connection attempt, the wait for headers, the body.
    this.#controller.abort();
    this.#sink.fail(failure.code, failure.message);
  }

  #settle(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    clearTimeout(this.#timer);
    this.#external?.removeEventListener('abort', this.#onExternalAbort);
    return true;
  }

  readonly #onExternalAbort = () => this.fail({ code: 'timeout', message: 'the invocation ended' });
}

/** Stops reading a body and drops its connection; undici reports that as an 'error' nobody needs to hear. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** undici's header object (lower-case names, repeats as arrays) as the WIT's list of pairs. */
function headerPairs(headers: Dispatcher.ResponseData['headers']): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) pairs.push([name.toLowerCase(), item]);
  }
  return pairs;
}

