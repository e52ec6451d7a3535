// The limits of the host's HTTP listeners against slow and greedy clients (issue 12: slow-header
// sockets lived ~85 s, slow bodies past 88 s, with no bound on connections), each a named default.
import { WasmletError } from '../errors/wasmlet-error.js';

/** How long, and how many, a listener gives its clients (node:http server options). */
export interface ServerLimits {
  /** Time to send a request's head, from the connection or the end of the previous request (`headersTimeout`). */
  readonly headerTimeoutMs: number;
  /** Time to send a whole request, head and body (`requestTimeout`); at least `headerTimeoutMs`. */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long (`keepAliveTimeout`). */
  readonly keepAliveTimeoutMs: number;
  /** Connections open at once; one more is closed as soon as it is accepted (`maxConnections`). */
  readonly maxConnections: number;
  /** Requests one connection may carry; the last answer closes it (`maxRequestsPerSocket`). */
  readonly maxRequestsPerSocket: number;
}

/** Node's default is 60 s: a client trickling its headers held a connection ~85 s (issue 12). A real client sends them at once. */
export const defaultHeaderTimeoutMs = 10_000;
/** Node's default is 300 s. 30 s carries the largest body a function may accept (32 MiB) at ~1.1 MB/s. */
export const defaultRequestTimeoutMs = 30_000;
/** Node's default (5 s): long enough to reuse a connection between a client's requests, short enough not to hoard idle ones. */
export const defaultKeepAliveTimeoutMs = 5_000;
/** Each connection holds a file descriptor and parser memory; past this many, a flood is turned away instead of exhausting them. */
export const defaultMaxConnections = 4096;
/** Node has no bound: a connection that is reused forever pins a client to one server past any rebalancing. */
export const defaultMaxRequestsPerSocket = 1000;

export const defaultServerLimits: ServerLimits = {
  headerTimeoutMs: defaultHeaderTimeoutMs,
  requestTimeoutMs: defaultRequestTimeoutMs,
  keepAliveTimeoutMs: defaultKeepAliveTimeoutMs,
  maxConnections: defaultMaxConnections,
  maxRequestsPerSocket: defaultMaxRequestsPerSocket,
};

/**
 * The admin API takes bundles up to 128 MiB and the S3 endpoint parts up to 5 GiB: their whole-request
 * deadline is an upload's. Node's default, kept: a 128 MiB bundle needs ~0.45 MB/s.
 */
export const uploadRequestTimeoutMs = 300_000;

/** The limits of a port that takes uploads (admin API, S3): the function port's, with an upload's request timeout. */
export function uploadLimits(limits: Partial<ServerLimits> = {}): Partial<ServerLimits> {
  return { ...limits, requestTimeoutMs: Math.max(limits.requestTimeoutMs ?? defaultRequestTimeoutMs, uploadRequestTimeoutMs) };
}

/** Node checks its timeouts this often (default 30 s, which let a slow client overstay by as much). */
export const maxTimeoutCheckIntervalMs = 1_000;
/** The flags' bounds: past an hour a timeout protects nothing; past a million connections the fds run out first. */
const maxTimeoutMs = 3_600_000;
const maxCount = 1_000_000;

/** Each limit an integer in its range, headers before the whole request (node:http throws otherwise). */
export function checkServerLimits(limits: Partial<ServerLimits>): void {
  const check = (flag: string, value: number | undefined, min: number, max: number) => {
    if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) throw new WasmletError('bad_request', `--${flag} must be an integer from ${min} to ${max}, got ${value}`);
  };
  check('header-timeout-ms', limits.headerTimeoutMs, 1, maxTimeoutMs);
  check('request-timeout-ms', limits.requestTimeoutMs, 1, maxTimeoutMs);
  check('keep-alive-timeout-ms', limits.keepAliveTimeoutMs, 1, maxTimeoutMs);
  check('max-connections', limits.maxConnections, 1, maxCount);
  check('max-requests-per-socket', limits.maxRequestsPerSocket, 1, maxCount);
  const { headerTimeoutMs, requestTimeoutMs } = { ...defaultServerLimits, ...limits };
  if (headerTimeoutMs > requestTimeoutMs) throw new WasmletError('bad_request', `--header-timeout-ms (${headerTimeoutMs}) must not exceed --request-timeout-ms (${requestTimeoutMs})`);
}
