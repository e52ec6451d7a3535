// The main-thread side of outbound HTTP as the worker pool sees it (a HostRequestHandler): one
// OutboundHttp (its own undici connection pool) per function version, one budget per invocation.
import { LRUCache } from 'lru-cache';
import type { HostEvent, HostRequestHandler, InvocationScope, OutboundHttpHostRequest } from '../host-link.js';
import { OutboundBudget, OutboundHttp, type OutboundHttpOptions } from './outbound-http.js';
import { traceOutbound } from '../../tracing/trace-outbound.js';

/** Function versions whose connection pools stay open; the least recently used closes first. */
const maxOpenVersions = 1_000;
const budgetKey = 'outbound-http';
/**
 * Requests may run this long past the invocation's deadline: the pool ends the invocation at the
 * deadline itself (504), so a request cut at the same instant must not race it and hand the guest
 * a `timeout` to answer with first.
 */
const deadlineGraceMs = 250;

export class OutboundHttpHost implements HostRequestHandler<OutboundHttpHostRequest> {
  readonly #options: OutboundHttpOptions;
  readonly #byVersion = new LRUCache<string, OutboundHttp>({
    max: maxOpenVersions,
    dispose: (outbound) => void outbound.close(),
  });

  constructor(options: OutboundHttpOptions) {
    this.#options = options;
  }

  start(scope: InvocationScope, request: OutboundHttpHostRequest, emit: (event: HostEvent) => void): () => void {
    const outbound = this.#outboundFor(scope);
    let budget = scope.state.get(budgetKey) as OutboundBudget | undefined;
    if (!budget) {
      budget = new OutboundBudget(scope.deadlineAt + deadlineGraceMs);
      scope.state.set(budgetKey, budget);
    }
    const controller = new AbortController();
    // Traced: a client span, its context in the upstream's headers; it sees every event, even after a cancel.
    const traced = scope.trace ? traceOutbound(scope.trace, request.request) : undefined;
    const report = traced ? (event: HostEvent) => (traced.onEvent(event), emit(event)) : emit;
    outbound.send(
      traced ? traced.request : request.request,
      budget,
      {
        head: (status, headers) => report({ kind: 'head', status, headers }),
        chunk: (bytes) => report({ kind: 'chunk', bytes }),
        end: () => report({ kind: 'end' }),
        fail: (code, message) => report({ kind: 'fail', code, message }),
      },
      { followRedirects: request.followRedirects, signal: controller.signal },
    );
    return () => controller.abort();
  }

  async close(): Promise<void> {
    const open = [...this.#byVersion.values()];
    this.#byVersion.clear();
    await Promise.all(open.map((outbound) => outbound.close()));
  }

  #outboundFor(scope: InvocationScope): OutboundHttp {
    let outbound = this.#byVersion.get(scope.versionKey);
    if (!outbound) {
      const { allowedHosts, limits } = scope.grants.outbound;
      outbound = new OutboundHttp(allowedHosts, limits, this.#options);
      this.#byVersion.set(scope.versionKey, outbound);
    }
    return outbound;
  }
}
