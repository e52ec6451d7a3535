// A latency histogram at microsecond resolution that keeps every sample's bucket, so percentiles come
// from the full distribution (not a reservoir) and histograms of several blocks or processes merge
// exactly. Exact below 1024 µs; above, 512 buckets per power of two (at most 0.2% wide), like
// HdrHistogram with three significant digits.

/** Values below this are kept exactly (µs). */
const exactBelow = 1024;
/** Significant bits kept above `exactBelow`: relative width of a bucket ≤ 2^-(bits-1). */
const significantBits = 10;

/** The JSON form: [bucket value µs, count] pairs in ascending order, plus exact extremes and sum. */
export interface HistogramJson {
  readonly unit: 'µs';
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly sumMicros: number;
  /** Bucket value (its lower edge; exact below 1024 µs) and how many samples fell in it. */
  readonly buckets: readonly (readonly [number, number])[];
}

export interface LatencySummary {
  readonly n: number;
  readonly min: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

export class LatencyHistogram {
  readonly #counts = new Map<number, number>();
  #count = 0;
  #min = Infinity;
  #max = -Infinity;
  #sum = 0;

  static fromJson(json: HistogramJson): LatencyHistogram {
    const histogram = new LatencyHistogram();
    histogram.merge(json);
    return histogram;
  }

  get count(): number {
    return this.#count;
  }

  /** One sample, in µs (rounded to a whole µs; negative clock skew counts as 0). */
  record(micros: number): void {
    const value = Math.max(0, Math.round(micros));
    const bucket = bucketOf(value);
    this.#counts.set(bucket, (this.#counts.get(bucket) ?? 0) + 1);
    this.#count += 1;
    this.#sum += value;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
  }

  merge(other: HistogramJson | LatencyHistogram): void {
    const json = other instanceof LatencyHistogram ? other.toJson() : other;
    if (json.count === 0) return;
    for (const [bucket, count] of json.buckets) this.#counts.set(bucket, (this.#counts.get(bucket) ?? 0) + count);
    this.#count += json.count;
    this.#sum += json.sumMicros;
    this.#min = Math.min(this.#min, json.min);
    this.#max = Math.max(this.#max, json.max);
  }

  /** Nearest-rank percentile (the same definition as stats.ts), in µs; the max is exact. NaN when empty. */
  percentile(p: number): number {
    if (this.#count === 0) return NaN;
    const rank = Math.min(this.#count, Math.max(1, Math.ceil((p / 100) * this.#count)));
    if (rank === this.#count) return this.#max;
    let seen = 0;
    for (const [bucket, count] of this.#sorted()) {
      seen += count;
      if (seen >= rank) return Math.min(Math.max(bucket, this.#min), this.#max);
    }
    return this.#max;
  }

  summary(): LatencySummary {
    const n = this.#count;
    if (n === 0) return { n: 0, min: NaN, p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN };
    return { n, min: this.#min, p50: this.percentile(50), p90: this.percentile(90), p99: this.percentile(99), max: this.#max, mean: this.#sum / n };
  }

  toJson(): HistogramJson {
    const empty = this.#count === 0;
    return { unit: 'µs', count: this.#count, min: empty ? 0 : this.#min, max: empty ? 0 : this.#max, sumMicros: this.#sum, buckets: this.#sorted() };
  }

  #sorted(): [number, number][] {
    return [...this.#counts.entries()].sort((a, b) => a[0] - b[0]);
  }
}

/** The lower edge of the bucket holding `value` (µs). */
export function bucketOf(value: number): number {
  if (value < exactBelow) return value;
  const shift = Math.floor(Math.log2(value)) + 1 - significantBits;
  const scale = 2 ** shift;
  return Math.floor(value / scale) * scale;
}
