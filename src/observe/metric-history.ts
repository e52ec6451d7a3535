// What the console charts: per function, the last hour of requests, errors and latency
// percentiles in fixed buckets, kept in memory at a bounded size (a ring of `bucketCount` buckets
// per function, a bucket's histogram allocated only when a call lands in it).
import { LatencyHistogram } from './latency-histogram.js';

/** One minute per point: 60 points make an hour, and a chart of 60 bars reads at a glance. */
export const defaultBucketSeconds = 60;
export const defaultBucketCount = 60;

/** One bucket as `GET /v1/functions/:name/stats` serves it (percentiles null when no call landed). */
export interface StatsPoint {
  /** ISO time of the bucket's start. */
  readonly t: string;
  readonly requests: number;
  readonly errors: number;
  readonly p50Ms: number | null;
  readonly p90Ms: number | null;
  readonly p99Ms: number | null;
}

export interface MetricHistoryOptions {
  readonly bucketSeconds?: number;
  readonly bucketCount?: number;
  /** Epoch ms; tests move it instead of waiting. */
  readonly now?: () => number;
}

interface Bucket {
  /** floor(epoch ms / bucket ms) of the minute (or bucket) it counts; a stale slot is reset on use. */
  index: number;
  requests: number;
  errors: number;
  readonly latency: LatencyHistogram;
}

export class MetricHistory {
  readonly bucketSeconds: number;
  readonly #bucketMs: number;
  readonly #bucketCount: number;
  readonly #now: () => number;
  readonly #functions = new Map<string, Bucket[]>();

  constructor(options: MetricHistoryOptions = {}) {
    this.bucketSeconds = options.bucketSeconds ?? defaultBucketSeconds;
    this.#bucketCount = options.bucketCount ?? defaultBucketCount;
    if (!(this.bucketSeconds > 0) || !Number.isInteger(this.#bucketCount) || this.#bucketCount < 1) {
      throw new RangeError(`a metric history needs bucketSeconds > 0 and a positive integer bucketCount, got ${this.bucketSeconds} and ${this.#bucketCount}`);
    }
    this.#bucketMs = this.bucketSeconds * 1000;
    this.#now = options.now ?? Date.now;
  }

  /** One finished call of `functionName`, now. */
  record(functionName: string, durationMs: number, error: boolean): void {
    const index = Math.floor(this.#now() / this.#bucketMs);
    let ring = this.#functions.get(functionName);
    if (!ring) {
      ring = [];
      this.#functions.set(functionName, ring);
    }
    const slot = index % this.#bucketCount;
    let bucket = ring[slot];
    if (!bucket || bucket.index !== index) {
      // An empty slot, or one whose counts belong to an hour ago.
      bucket = { index, requests: 0, errors: 0, latency: new LatencyHistogram() };
      ring[slot] = bucket;
    }
    bucket.requests++;
    if (error) bucket.errors++;
    bucket.latency.record(durationMs);
  }

  /** The last `bucketCount` buckets of `functionName`, oldest first, the current (partial) one last. */
  series(functionName: string): StatsPoint[] {
    const ring = this.#functions.get(functionName);
    const current = Math.floor(this.#now() / this.#bucketMs);
    const points: StatsPoint[] = [];
    for (let index = current - this.#bucketCount + 1; index <= current; index++) {
      const bucket = ring?.[index % this.#bucketCount];
      const live = bucket && bucket.index === index ? bucket : undefined;
      points.push({
        t: new Date(index * this.#bucketMs).toISOString(),
        requests: live?.requests ?? 0,
        errors: live?.errors ?? 0,
        p50Ms: round(live?.latency.percentile(0.5) ?? null),
        p90Ms: round(live?.latency.percentile(0.9) ?? null),
        p99Ms: round(live?.latency.percentile(0.99) ?? null),
      });
    }
    return points;
  }

  /** A deleted function's history goes with it (the map never outgrows the functions that ran). */
  forget(functionName: string): void {
    this.#functions.delete(functionName);
  }
}

/** Microsecond precision is plenty for a chart and keeps the JSON short. */
function round(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms * 1000) / 1000;
}
