// Order statistics of a sample: the bench reports percentiles and ratios, never a lone mean.

export interface Summary {
  readonly n: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly mean: number;
  readonly max: number;
}

/** Nearest-rank percentiles of `values` (any unit; the caller names it). */
export function summarize(values: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return { n: 0, p50: NaN, p90: NaN, p99: NaN, mean: NaN, max: NaN };
  const at = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))]!;
  let sum = 0;
  for (const v of sorted) sum += v;
  return { n, p50: at(50), p90: at(90), p99: at(99), mean: sum / n, max: sorted[n - 1]! };
}

/** `candidate / baseline`, or NaN when the baseline is missing or zero (printed as "–"). */
export function ratio(candidate: number | undefined, baseline: number | undefined): number {
  if (candidate === undefined || baseline === undefined || baseline === 0) return NaN;
  return candidate / baseline;
}
