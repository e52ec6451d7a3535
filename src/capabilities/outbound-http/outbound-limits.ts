// What one invocation may do with outbound HTTP, and the per-invocation account kept against it.
// The defaults are the manifest's (manifest/manifest-bounds.ts re-exports them); `[limits]` overrides.

/** Cloudflare Workers' subrequest cap on its free plan: enough for fan-out to a few APIs, not for crawling. */
export const defaultOutboundRequests = 50;
/** 10 MiB of response bodies per invocation: the guest receives each response whole, in its own memory. */
export const defaultOutboundResponseBytes = 10 * 1024 * 1024;
/** 5 s to resolve and connect (TLS included): a healthy upstream answers a SYN in milliseconds. */
export const defaultOutboundConnectTimeoutMs = 5_000;
/** 30 s for a whole exchange, redirects included: API gateways' usual ceiling (AWS API Gateway's is 29 s). */
export const defaultOutboundTimeoutMs = 30_000;

/** Field names as in the parsed manifest's `limits`, so `manifest.limits` can be passed as is. */
export interface OutboundLimits {
  /** Requests (each redirect hop counts) per invocation. */
  readonly outboundRequests: number;
  /** Response body bytes summed over the invocation. */
  readonly outboundResponseBytes: number;
  readonly outboundConnectTimeoutMs: number;
  readonly outboundTimeoutMs: number;
}

export const defaultOutboundLimits: OutboundLimits = Object.freeze({
  outboundRequests: defaultOutboundRequests,
  outboundResponseBytes: defaultOutboundResponseBytes,
  outboundConnectTimeoutMs: defaultOutboundConnectTimeoutMs,
  outboundTimeoutMs: defaultOutboundTimeoutMs,
});

/**
 * One invocation's account, shared by all its requests: requests made, response bytes received, and
 * its deadline. Created on the main thread when the invocation starts; OutboundHttp enforces the
 * limits against it.
 * @example const budget = new OutboundBudget(performance.now() + remainingMs);
 */
export class OutboundBudget {
  /** Requests started, each redirect hop included. */
  requests = 0;
  /** Response body bytes received, summed over every request. */
  responseBytes = 0;

  /** `deadlineMs` is on the main thread's performance.now() clock (a worker's clock has another origin). */
  constructor(readonly deadlineMs: number) {}
}
