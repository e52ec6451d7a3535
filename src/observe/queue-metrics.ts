// Queue and async-invocation gauges, read from the stores when Prometheus scrapes (never kept up
// to date per message): depth, in flight, delayed, oldest message age and dead letters per queue,
// and async invocation records by state. Each scrape sets every series afresh, so a queue that
// vanished stops being reported.
import { Gauge, type Registry } from 'prom-client';
import type { InvocationState } from '../async/invocation-store.js';
import type { QueueStats } from '../queue/queue-store.js';

export interface QueueMetricsSources {
  /** Every queue that holds messages, with its stats (QueueStore.queues). */
  readonly queues: () => Promise<ReadonlyArray<{ readonly queue: string } & QueueStats>>;
  /** The trigger queues of the active functions and their dead-letter queues: reported even when empty. */
  readonly triggerQueues: () => ReadonlyArray<{ readonly queue: string; readonly deadLetter: string }>;
  /** Async invocation records kept (24 h) by state. */
  readonly asyncInvocations: () => Record<InvocationState, number> | Promise<Record<InvocationState, number>>;
}

const emptyStats: QueueStats = { visible: 0, inFlight: 0, delayed: 0, oldestAgeMs: null };

export class QueueMetrics {
  readonly #sources: QueueMetricsSources;
  readonly #depth: Gauge<'queue'>;
  readonly #inFlight: Gauge<'queue'>;
  readonly #delayed: Gauge<'queue'>;
  readonly #oldestAge: Gauge<'queue'>;
  readonly #deadLetters: Gauge<'queue' | 'dead_letter_queue'>;
  readonly #async: Gauge<'state'>;

  constructor(registry: Registry, sources: QueueMetricsSources) {
    this.#sources = sources;
    const registers = [registry];
    this.#depth = new Gauge({ name: 'wasmlet_queue_depth', help: 'Messages deliverable now (never leased, retried, or with a lapsed lease).', labelNames: ['queue'], registers });
    this.#inFlight = new Gauge({ name: 'wasmlet_queue_in_flight', help: 'Messages leased to a consumer and not yet settled.', labelNames: ['queue'], registers });
    this.#delayed = new Gauge({ name: 'wasmlet_queue_delayed', help: 'Messages waiting for a send or retry delay.', labelNames: ['queue'], registers });
    this.#oldestAge = new Gauge({ name: 'wasmlet_queue_oldest_message_age_seconds', help: 'Age of the oldest message in any state, by its original send time (0 when empty).', labelNames: ['queue'], registers });
    this.#deadLetters = new Gauge({
      name: 'wasmlet_queue_dead_letters',
      help: "Messages in a trigger queue's dead-letter queue (all states).",
      labelNames: ['queue', 'dead_letter_queue'],
      registers,
    });
    this.#async = new Gauge({ name: 'wasmlet_async_invocations', help: 'Async invocation records kept (24 h), by state.', labelNames: ['state'], registers });
  }

  /** Reads the stores and sets every gauge; called right before the registry is rendered. */
  async refresh(): Promise<void> {
    const held = await this.#sources.queues();
    const stats = new Map<string, QueueStats>(held.map((q) => [q.queue, q]));
    const triggers = this.#sources.triggerQueues();
    for (const { queue, deadLetter } of triggers) {
      if (!stats.has(queue)) stats.set(queue, emptyStats);
      if (!stats.has(deadLetter)) stats.set(deadLetter, emptyStats);
    }
    for (const gauge of [this.#depth, this.#inFlight, this.#delayed, this.#oldestAge, this.#deadLetters, this.#async]) gauge.reset();
    for (const [queue, s] of stats) {
      this.#depth.labels(queue).set(s.visible);
      this.#inFlight.labels(queue).set(s.inFlight);
      this.#delayed.labels(queue).set(s.delayed);
      this.#oldestAge.labels(queue).set((s.oldestAgeMs ?? 0) / 1000);
    }
    for (const { queue, deadLetter } of triggers) {
      const s = stats.get(deadLetter) ?? emptyStats;
      this.#deadLetters.labels(queue, deadLetter).set(s.visible + s.inFlight + s.delayed);
    }
    for (const [state, count] of Object.entries(await this.#sources.asyncInvocations())) this.#async.labels(state).set(count);
  }
}
