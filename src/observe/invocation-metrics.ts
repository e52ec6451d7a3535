// The per-invocation Prometheus series: invocations by function, trigger and outcome; the duration
// histograms (queue wait, instantiation, guest run, total); how instances came to be; the memory
// pool's hits and misses. Fed by the invoker's one record per invocation (InvocationObserver).
// Label children are cached per function: prom-client hashes the label set on every `labels()`.
import { Counter, Histogram, type Registry } from 'prom-client';
import type { InvocationRecord } from '../invoke/invocation-observer.js';
import type { InstanceOrigin } from '../runtime/outcome.js';

/** Seconds: from a pre-instantiated hello call (~0.1 ms) to the longest deadline worth a bucket. */
export const durationBucketsSeconds = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

interface FunctionSeries {
  readonly queueWait: Histogram.Internal<'function'>;
  readonly instantiate: Histogram.Internal<'function'>;
  readonly guestRun: Histogram.Internal<'function'>;
  readonly total: Histogram.Internal<'function'>;
  readonly instances: Record<InstanceOrigin, Counter.Internal>;
  /** `trigger\0outcome` → its child of wasmlet_invocations_total. */
  readonly invocations: Map<string, Counter.Internal>;
}

export class InvocationMetrics {
  readonly #invocations: Counter<'function' | 'trigger' | 'outcome'>;
  readonly #queueWait: Histogram<'function'>;
  readonly #instantiate: Histogram<'function'>;
  readonly #guestRun: Histogram<'function'>;
  readonly #total: Histogram<'function'>;
  readonly #instances: Counter<'function' | 'origin'>;
  readonly #memoryHits: Counter;
  readonly #memoryMisses: Counter;
  readonly #byFunction = new Map<string, FunctionSeries>();

  constructor(registry: Registry) {
    const registers = [registry];
    this.#invocations = new Counter({
      name: 'wasmlet_invocations_total',
      help: 'Invocations finished, by function, trigger (http, direct, async, queue, schedule, object-event) and outcome (ok, batch_ok, event_ok, guest_error, trap, timeout, overloaded, response_invalid, response_too_large, host_error).',
      labelNames: ['function', 'trigger', 'outcome'],
      registers,
    });
    const histogram = (name: string, help: string) => new Histogram({ name, help, labelNames: ['function'], buckets: durationBucketsSeconds, registers });
    this.#queueWait = histogram('wasmlet_invocation_queue_wait_seconds', 'Time an invocation waited in the worker pool for a compute slot and a thread.');
    this.#instantiate = histogram('wasmlet_invocation_instantiate_seconds', 'Instantiation on the invocation path (fresh instances only; pre-instantiated and reused ones cost none).');
    this.#guestRun = histogram('wasmlet_invocation_guest_run_seconds', "The guest's handler call, waits on the network included.");
    this.#total = histogram('wasmlet_invocation_duration_seconds', 'Whole invocation as the invoker sees it: code lookup, queue wait, instantiation, guest run.');
    this.#instances = new Counter({
      name: 'wasmlet_instances_total',
      help: 'Instances that served an invocation, by how they came to be: fresh (instantiated on the call path), pre-instantiated (ready before the call), reused ([runtime] instance_reuse).',
      labelNames: ['function', 'origin'],
      registers,
    });
    this.#memoryHits = new Counter({ name: 'wasmlet_memory_pool_hits_total', help: 'Linear memories an instance got recycled from its worker\'s pool.', registers });
    this.#memoryMisses = new Counter({ name: 'wasmlet_memory_pool_misses_total', help: 'Linear memories created for an instance because none was idle in the pool.', registers });
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
    const series = this.#byFunction.get(functionName);
    if (!series) return;
    this.#byFunction.delete(functionName);
    for (const key of series.invocations.keys()) {
      const [trigger, outcome] = key.split('\0') as [string, string];
      this.#invocations.remove(functionName, trigger, outcome);
    }
    for (const histogram of [this.#queueWait, this.#instantiate, this.#guestRun, this.#total]) histogram.remove(functionName);
    for (const origin of ['fresh', 'pre-instantiated', 'reused']) this.#instances.remove(functionName, origin);
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
