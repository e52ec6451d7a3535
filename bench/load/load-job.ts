// The message between the bench and its load-generator child process.

export interface LoadJob {
  readonly url: string;
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly durationSeconds: number;
}

export interface LoadSummary {
  /** Mean of autocannon's one-second samples. */
  readonly rps: number;
  readonly totalRequests: number;
  /** Requests completed during the warm-up (not in any other figure, but they cost CPU too). */
  readonly warmupRequests: number;
  /** Latency of 2xx responses only, whole milliseconds (autocannon's histogram resolution). */
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number; readonly mean: number };
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly statusCodes: Readonly<Record<string, number>>;
  readonly durationSeconds: number;
  /** CPU time the load client itself used (warm-up included), µs. */
  readonly clientCpuMicros: number;
}

export type LoadReply = { readonly ok: true; readonly summary: LoadSummary } | { readonly ok: false; readonly message: string };
