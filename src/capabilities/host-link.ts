// How an instance's imports reach the main thread. A guest call is synchronous, so an import that
// needs the network posts a request and, when the guest must wait, blocks its thread; the main
// thread counts a blocked thread as waiting, not computing, and lets another invocation compute
// meanwhile ("waiting is not working"). Messages are plain data: they cross threads.
import type { KeyValueLimits } from '../kv/key-value-limits.js';
import type { KeyValueHostRequest } from './key-value/key-value-request.js';
import type { BucketGrant } from './objects/bucket-grants.js';
import type { ObjectsHostRequest } from './objects/objects-request.js';
import type { AllowedHost } from './outbound-http/allowed-hosts.js';
import type { TraceParent } from '../tracing/tracing.js';

export type HeaderPair = readonly [name: string, value: string];

/** An outbound HTTP request as the guest asked for it (URL not yet checked against the grant). */
export interface OutboundRequestData {
  readonly method: string;
  readonly url: string;
  readonly headers: readonly HeaderPair[];
  readonly body: Uint8Array;
}

/** The error codes of `wasmlet:function/outbound-http`; wasi:http maps them onto its own `error-code`. */
export type OutboundErrorCode =
  | 'denied'
  | 'invalid-request'
  | 'dns-error'
  | 'connection-refused'
  | 'connection-timeout'
  | 'timeout'
  | 'tls-error'
  | 'response-too-large'
  | 'too-many-requests'
  | 'protocol-error';

export interface OutboundHttpHostRequest {
  readonly kind: 'outbound-http';
  readonly request: OutboundRequestData;
  /** wasmlet's own `send` follows redirects; wasi:http hands them to the guest (as wasmtime does). */
  readonly followRedirects: boolean;
}

/** Every kind of request a worker may make; a capability with a main-thread side adds its own. */
export type HostRequest = OutboundHttpHostRequest | KeyValueHostRequest | ObjectsHostRequest;
export type HostRequestKind = HostRequest['kind'];

/**
 * What the main thread reports about a request, in order. A streamed exchange (outbound HTTP): at
 * most one `head`, chunks, then `end` or `fail`. A single call: one `value` or one `error`.
 */
export type HostEvent =
  | { readonly kind: 'head'; readonly status: number; readonly headers: readonly HeaderPair[] }
  | { readonly kind: 'chunk'; readonly bytes: Uint8Array }
  | { readonly kind: 'end' }
  | { readonly kind: 'fail'; readonly code: OutboundErrorCode; readonly message: string }
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'error'; readonly code: string; readonly message: string };

/** The events that end a request. */
export function isFinalEvent(event: HostEvent): boolean {
  return event.kind === 'end' || event.kind === 'fail' || event.kind === 'value' || event.kind === 'error';
}

/** A streamed HTTP response (wasi:http), as the guest writes it. */
export type ResponseStreamMessage =
  | { readonly kind: 'response-head'; readonly status: number; readonly headers: readonly HeaderPair[] }
  | { readonly kind: 'response-chunk'; readonly bytes: Uint8Array };

export interface HostLink {
  /**
   * Starts `request` on the main thread. Its events reach `onEvent` while this thread is inside
   * `wait`. Refused (an immediate `fail`) outside an invocation, e.g. in a pre-instantiated instance's init.
   */
  start(request: HostRequest, onEvent: (event: HostEvent) => void): number;
  /** Stops a request; no more events are delivered for it. */
  cancel(id: number): void;
  /**
   * Blocks this thread until at least one event has been delivered or the monotonic clock passes
   * `untilNs` (a `process.hrtime.bigint()` value). Without `untilNs` and with no request under way it
   * would never return, so it throws instead.
   */
  wait(untilNs?: bigint): void;
  /** Sends part of a streamed response to the main thread (no-op where nothing streams). */
  emit(message: ResponseStreamMessage): void;
  /** Runs `hook` each time the guest is about to wait, until set to undefined (a streamed response flushes there). */
  beforeWait(hook: (() => void) | undefined): void;
}

/** What a function version is granted that the main thread enforces (the worker only asks). */
export interface HostGrants {
  /** `allowed_outbound_hosts` (parsed) and the outbound `[limits]`. */
  readonly outbound: {
    readonly allowedHosts: readonly AllowedHost[];
    readonly limits: {
      readonly outboundRequests: number;
      readonly outboundResponseBytes: number;
      readonly outboundConnectTimeoutMs: number;
      readonly outboundTimeoutMs: number;
    };
  };
  /** `key_value_stores` and the kv `[limits]`; absent: no store. */
  readonly keyValue?: { readonly stores: readonly string[]; readonly limits: KeyValueLimits };
  /** `buckets`, parsed; absent: no bucket. */
  readonly objects?: { readonly buckets: readonly BucketGrant[] };
}

/** One invocation, as the main-thread side of a capability sees it. */
export interface InvocationScope {
  readonly functionName: string;
  /** The deployed version (bundle digest): per-version state (connection pools) is keyed by it. */
  readonly versionKey: string;
  readonly grants: HostGrants;
  /** `performance.now()` time at which the invocation's deadline expires. */
  readonly deadlineAt: number;
  /** Per-invocation state of the handlers (budgets), dropped with the invocation. */
  readonly state: Map<string, unknown>;
  /** Where the spans of its requests go (tracing/tracing.ts); absent when tracing is off. */
  readonly trace?: TraceParent | undefined;
}

/** The main-thread side of the capabilities that have one: serves what workers ask for. */
export interface HostRequestHandler<R extends HostRequest = HostRequest> {
  /** Starts `request`; `emit` reports its events in order. Returns a function that cancels it. */
  start(scope: InvocationScope, request: R, emit: (event: HostEvent) => void): () => void;
}

/** Each kind of request to the capability that serves it (built in host/start-host.ts). */
export type HostRequestHandlers = { readonly [K in HostRequestKind]?: HostRequestHandler<Extract<HostRequest, { kind: K }>> };

/** Routes a request to the handler of its kind; a kind with none is refused. */
export function routeHostRequests(handlers: HostRequestHandlers): HostRequestHandler {
  return {
    start(scope, request, emit) {
      const handler = handlers[request.kind] as HostRequestHandler | undefined;
      if (handler) return handler.start(scope, request, emit);
      emit({ kind: 'error', code: 'unsupported', message: `this host serves no ${request.kind} requests` });
      return () => {};
    },
  };
}

/**
 * A single call through the link: starts `request` and waits (without computing) for its `value`,
 * which it returns, or its `error`, which it throws as `HostCallError`.
 */
export function callHost(link: HostLink, request: HostRequest): unknown {
  let outcome: HostEvent | undefined;
  link.start(request, (event) => {
    if (isFinalEvent(event)) outcome = event;
  });
  while (!outcome) link.wait();
  const final = outcome as HostEvent;
  if (final.kind === 'value') return final.value;
  if (final.kind === 'error') throw new HostCallError(final.code, final.message);
  throw new HostCallError('protocol', `unexpected ${final.kind} event for a single call (host bug)`);
}

export class HostCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Thrown into the guest (a trap) when it would wait for something that can never happen. */
export class WaitForeverError extends Error {}

/** For places with no main thread to ask (the deploy-time snapshot capture): sleeps, refuses requests. */
export const sleepOnlyLink: HostLink = {
  start(_request, onEvent) {
    onEvent({ kind: 'fail', code: 'denied', message: 'no outbound requests here' });
    return 0;
  },
  cancel() {},
  wait(untilNs) {
    if (untilNs === undefined) throw new WaitForeverError('poll would block forever: nothing to wait for');
    const remainingNs = untilNs - process.hrtime.bigint();
    if (remainingNs > 0n) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(remainingNs / 1_000_000n) + 1);
  },
  emit() {},
  beforeWait() {},
};
