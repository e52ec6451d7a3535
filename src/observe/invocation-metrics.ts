// The per-invocation Prometheus series: invocations by function, trigger and outcome; the duration
// histograms (queue wait, instantiation, guest run, total); how instances came to be; the memory
// pool's hits and misses. Fed by the invoker's one record per invocation (InvocationObserver).
// Series are held per function (series-metrics.ts): an invocation bumps numbers, nothing is hashed.
import type { Registry } from 'prom-client';
import type { InvocationRecord } from '../invoke/invocation-observer.js';
import type { InstanceOrigin } from '../runtime/outcome.js';
import { SeriesCounter, SeriesHistogram, type CounterSeries, type HistogramSeries } from './series-metrics.js';

/** Seconds: from a pre-instantiated hello call (~0.1 ms) to the longest deadline worth a bucket. */
export const durationBucketsSeconds = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

interface FunctionSeries {
  readonly queueWait: HistogramSeries;
  readonly instantiate: HistogramSeries;
  readonly guestRun: HistogramSeries;
  readonly total: HistogramSeries;
  readonly instances: Record<InstanceOrigin, CounterSeries>;
  /** `trigger\0outcome` → its series of wasmlet_invocations_total. */
  readonly invocations: Map<string, CounterSeries>;
}

export class InvocationMetrics {
  readonly #invocations: SeriesCounter;
  readonly #queueWait: SeriesHistogram;
  readonly #instantiate: SeriesHistogram;
  readonly #guestRun: SeriesHistogram;
  readonly #total: SeriesHistogram;
  readonly #instances: SeriesCounter;
  readonly #memoryHits: CounterSeries;
  readonly #memoryMisses: CounterSeries;
  readonly #byFunction = new Map<string, FunctionSeries>();

  constructor(registry: Registry) {
    this.#invocations = new SeriesCounter(registry, {
      name: 'wasmlet_invocations_total',
      help: 'Invocations finished, by function, trigger (http, direct, async, queue, schedule, object-event) and outcome (ok, batch_ok, event_ok, guest_error, trap, timeout, overloaded, response_invalid, response_too_large, host_error).',
      labelNames: ['function', 'trigger', 'outcome'],
    });
    const histogram = (name: string, help: string) => new SeriesHistogram(registry, { name, help, labelNames: ['function'], buckets: durationBucketsSeconds });
    this.#queueWait = histogram('wasmlet_invocation_queue_wait_seconds', 'Time an invocation waited in the worker pool for a compute slot and a thread.');
    this.#instantiate = histogram('wasmlet_invocation_instantiate_seconds', 'Instantiation on the invocation path (fresh instances only; pre-instantiated and reused ones cost none).');
    this.#guestRun = histogram('wasmlet_invocation_guest_run_seconds', "The guest's handler call, waits on the network included.");
    this.#total = histogram('wasmlet_invocation_duration_seconds', 'Whole invocation as the invoker sees it: code lookup, queue wait, instantiation, guest run.');
    this.#instances = new SeriesCounter(registry, {
      name: 'wasmlet_instances_total',
      help: 'Instances that served an invocation, by how they came to be: fresh (instantiated on the call path), pre-instantiated (ready before the call), reused ([runtime] instance_reuse).',
      labelNames: ['function', 'origin'],
    });
    this.#memoryHits = new SeriesCounter(registry, { name: 'wasmlet_memory_pool_hits_total', help: "Linear memories an instance got recycled from its worker's pool.", labelNames: [] }).labels();
    this.#memoryMisses = new SeriesCounter(registry, { name: 'wasmlet_memory_pool_misses_total', help: 'Linear memories created for an instance because none was idle in the pool.', labelNames: [] }).labels();
  }

  record(record: InvocationRecord): void {
    const series = this.#seriesOf(record.functionName);
    const { result } = record;
    const key = `${record.trigger}\0${result.outcome.kind}`;
    let counter = series.invocations.get(key);
    if (!counter) {
      counter = this.#invocations.labels(record.functionName, record.trigger, result.outcome.kind);
      series.invocations.set(key, counter);
    }
    counter.inc();
    series.total.observe(record.totalMs / 1000);
    if (result.queueWaitMs !== undefined) series.queueWait.observe(result.queueWaitMs / 1000);
    const timings = result.timings;
    if (!timings) return; // never ran (overloaded, timed out in the queue, host error)
    series.guestRun.observe(timings.callMicros / 1e6);
    if (timings.instance === 'fresh') series.instantiate.observe(timings.instantiateMicros / 1e6);
    series.instances[timings.instance].inc();
    if (timings.memoriesRecycled > 0) this.#memoryHits.inc(timings.memoriesRecycled);
    if (timings.memoriesCreated > 0) this.#memoryMisses.inc(timings.memoriesCreated);
  }

  /** A deleted function's series go with it, so label sets stay bounded by the functions deployed. */
  forget(functionName: string): void {
    this.#byFunction.delete(functionName);
    for (const family of [this.#invocations, this.#queueWait, this.#instantiate, this.#guestRun, this.#total, this.#instances]) family.removeWhere('function', functionName);
  }

  #seriesOf(functionName: string): FunctionSeries {
    let series = this.#byFunction.get(functionName);
    if (!series) {
      series = {
        queueWait: this.#queueWait.labels(functionName),
        instantiate: this.#instantiate.labels(functionName),
        guestRun: this.#guestRun.labels(functionName),
        total: this.#total.labels(functionName),
        instances: {
          fresh: this.#instances.labels(functionName, 'fresh'),
          'pre-instantiated': this.#instances.labels(functionName, 'pre-instantiated'),
          reused: this.#instances.labels(functionName, 'reused'),
        },
        invocations: new Map(),
      };
      this.#byFunction.set(functionName, series);
    }
    return series;
  }
}
