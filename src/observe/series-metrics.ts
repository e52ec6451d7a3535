// Counters and histograms for the request path, registered on the host's prom-client Registry like
// prom-client's own (the registry renders them): a caller holds a series and bumps plain numbers.
// prom-client's Counter and Histogram validate and hash the label set on every inc/observe (~0.5–1 µs
// each); five of those per invocation were most of what metrics cost an HTTP call.
import type { Metric, Registry } from 'prom-client';

type Labels = Readonly<Record<string, string>>;

export class CounterSeries {
  value = 0;

  inc(by = 1): void {
    this.value += by;
  }
}

export class HistogramSeries {
  readonly #upperBounds: readonly number[];
  /** Per bucket (not cumulative); the last one is +Inf. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(upperBounds: readonly number[]) {
    this.#upperBounds = upperBounds;
    this.counts = new Float64Array(upperBounds.length + 1);
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) return; // a clock oddity never fails a request (prom-client would throw)
    const bounds = this.#upperBounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
  }
}

/** A family of series by label values, as a prom-client metric (`get()` is what the registry renders). */
abstract class SeriesFamily<S> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly aggregator = 'sum';
  abstract readonly type: 'counter' | 'histogram';
  protected readonly series = new Map<string, { readonly labels: Labels; readonly series: S }>();

  constructor(registry: Registry, options: { name: string; help: string; labelNames: readonly string[] }) {
    this.name = options.name;
    this.help = options.help;
    this.labelNames = options.labelNames;
    registry.registerMetric(this as unknown as Metric);
  }

  /** The series of these label values (in `labelNames` order), made on first use: hold it, it is the hot path. */
  labels(...values: string[]): S {
    const key = values.join('\0');
    let entry = this.series.get(key);
    if (!entry) {
      if (values.length !== this.labelNames.length) throw new RangeError(`${this.name} takes ${this.labelNames.length} label values, got ${values.length}`);
      entry = { labels: Object.fromEntries(this.labelNames.map((name, i) => [name, values[i]!])), series: this.create() };
      this.series.set(key, entry);
    }
    return entry.series;
  }

  /** Drops every series whose `label` is `value` (a deleted function's). */
  removeWhere(label: string, value: string): void {
    for (const [key, entry] of this.series) if (entry.labels[label] === value) this.series.delete(key);
  }

  protected abstract create(): S;
}

export class SeriesCounter extends SeriesFamily<CounterSeries> {
  readonly type = 'counter';

  protected create(): CounterSeries {
    return new CounterSeries();
  }

  async get() {
    const values = [...this.series.values()].map(({ labels, series }) => ({ labels, value: series.value }));
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}

export class SeriesHistogram extends SeriesFamily<HistogramSeries> {
  readonly type = 'histogram';
  readonly #upperBounds: readonly number[];

  constructor(registry: Registry, options: { name: string; help: string; labelNames: readonly string[]; buckets: readonly number[] }) {
    super(registry, options);
    this.#upperBounds = [...options.buckets].sort((a, b) => a - b);
  }

  protected create(): HistogramSeries {
    return new HistogramSeries(this.#upperBounds);
  }

  /** prom-client's own histogram shape: cumulative `_bucket` series with `le`, then `_sum` and `_count`. */
  async get() {
    const values: Array<{ metricName: string; labels: Record<string, string | number>; value: number }> = [];
    for (const { labels, series } of this.series.values()) {
      let cumulative = 0;
      this.#upperBounds.forEach((bound, i) => {
        cumulative += series.counts[i]!;
        values.push({ metricName: `${this.name}_bucket`, labels: { le: bound, ...labels }, value: cumulative });
      });
      values.push({ metricName: `${this.name}_bucket`, labels: { le: '+Inf', ...labels }, value: series.count });
      values.push({ metricName: `${this.name}_sum`, labels, value: series.sum });
      values.push({ metricName: `${this.name}_count`, labels, value: series.count });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}
