// The host's metrics and the console's history, built once per host by host/start-host.ts: one
// prom-client Registry per host (never prom-client's process-global default registry, so two hosts
// in one process never mix their series), fed through the small observer interfaces the lower
// layers define (invoke/invocation-observer.ts, the pool's and the deployer's callbacks, a wrapped
// HostRequestHandler), and read by the admin API (api/observe-routes.ts).
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { HostRequestHandler } from '../capabilities/host-link.js';
import type { DeployOutcome } from '../deploy/deployer.js';
import type { InvocationObserver, InvocationRecord } from '../invoke/invocation-observer.js';
import { isSuccess } from '../runtime/outcome.js';
import type { WorkerReplaceCause } from '../runtime/worker-pool-options.js';
import { EventLoopDelay } from './event-loop-delay.js';
import { InvocationMetrics } from './invocation-metrics.js';
import { MetricHistory, type StatsPoint } from './metric-history.js';
import { OutboundMetrics } from './outbound-metrics.js';
import { QueueMetrics, type QueueMetricsSources } from './queue-metrics.js';

export interface HostObservabilityOptions extends QueueMetricsSources {
  /** What the worker pool reports of itself (compute slots, threads, memory budget…), served as is. */
  readonly workers: () => Readonly<Record<string, unknown>>;
  /** Active functions now. */
  readonly functionCount: () => number;
  /**
   * Is `name` deployed now? A call still running when its function was deleted ends after `forget`:
   * it is not counted, or it would bring the deleted function's series back for good.
   */
  readonly isActive?: (name: string) => boolean;
  /** Epoch ms (tests move it). */
  readonly now?: () => number;
}

/** `GET /v1/functions/:name/stats`. */
export interface FunctionStats {
  readonly function: string;
  readonly bucketSeconds: number;
  /** Oldest first; the last one is the current, partial bucket. */
  readonly points: readonly StatsPoint[];
}

/** `GET /v1/host/stats`. */
export interface HostStats {
  readonly uptimeSeconds: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  readonly eventLoopDelayP99Ms: number;
  readonly workers: Readonly<Record<string, unknown>>;
  readonly functions: number;
}

/** Seconds: a deploy of a cached component takes milliseconds, a first transpile of a 14 MB one a minute. */
const deployBucketsSeconds = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export class HostObservability implements InvocationObserver {
  readonly registry = new Registry();
  readonly history: MetricHistory;
  readonly #options: HostObservabilityOptions;
  readonly #invocations: InvocationMetrics;
  readonly #queues: QueueMetrics;
  readonly #outbound: OutboundMetrics;
  readonly #workerRestarts: Counter<'cause'>;
  readonly #deploys: Counter<'outcome'>;
  readonly #deployDuration: Histogram<'outcome'>;
  readonly #eventLoop: EventLoopDelay;
  readonly #startedAt: number;
  readonly #now: () => number;

  constructor(options: HostObservabilityOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#startedAt = this.#now();
    this.history = new MetricHistory({ now: this.#now });
    // process_cpu_seconds_total, process_resident_memory_bytes, nodejs_eventloop_lag_*, heap, GC…
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.#invocations = new InvocationMetrics(this.registry);
    this.#queues = new QueueMetrics(this.registry, options);
    this.#outbound = new OutboundMetrics(this.registry);
    this.#workerRestarts = new Counter({
      name: 'wasmlet_worker_restarts_total',
      help: 'Workers terminated and replaced, by cause: timeout (a deadline expired while the guest ran) or crash (the worker died: heap limit, exit).',
      labelNames: ['cause'],
      registers,
    });
    for (const cause of ['timeout', 'crash'] satisfies WorkerReplaceCause[]) this.#workerRestarts.labels(cause).inc(0);
    this.#deploys = new Counter({ name: 'wasmlet_deploys_total', help: 'Deploys by outcome: created (a new version), unchanged (the same bytes), failed.', labelNames: ['outcome'], registers });
    this.#deployDuration = new Histogram({
      name: 'wasmlet_deploy_duration_seconds',
      help: 'Time a deploy worked (unpack, checks, transpile when new, compile, activation), by outcome; its wait behind other deploys not counted.',
      labelNames: ['outcome'],
      buckets: deployBucketsSeconds,
      registers,
    });
    this.#eventLoop = new EventLoopDelay(this.#now);
  }

  invoked(record: InvocationRecord): void {
    if (this.#options.isActive && !this.#options.isActive(record.functionName)) return;
    this.#invocations.record(record);
    const { outcome } = record.result;
    // An error for the console: the guest or the host failed, or an HTTP answer was a 5xx.
    const error = !isSuccess(outcome) || (outcome.kind === 'ok' && outcome.response.status >= 500);
    this.history.record(record.functionName, record.totalMs, error);
  }

  workerReplaced(cause: WorkerReplaceCause): void {
    this.#workerRestarts.labels(cause).inc();
  }

  deployed(outcome: DeployOutcome, durationMs: number): void {
    this.#deploys.labels(outcome).inc();
    this.#deployDuration.labels(outcome).observe(durationMs / 1000);
  }

  /** The pool's host-request handler with outbound requests counted. */
  observeHostRequests(handler: HostRequestHandler): HostRequestHandler {
    return this.#outbound.observe(handler);
  }

  /** A deleted function: its series and history go. */
  forget(functionName: string): void {
    this.#invocations.forget(functionName);
    this.#outbound.forget(functionName);
    this.history.forget(functionName);
  }

  get metricsContentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text, the queue gauges read from the stores first. */
  async metricsText(): Promise<string> {
    await this.#queues.refresh();
    return this.registry.metrics();
  }

  functionStats(functionName: string): FunctionStats {
    return { function: functionName, bucketSeconds: this.history.bucketSeconds, points: this.history.series(functionName) };
  }

  hostStats(): HostStats {
    const memory = process.memoryUsage();
    return {
      uptimeSeconds: Math.round((this.#now() - this.#startedAt) / 1000),
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      eventLoopDelayP99Ms: Math.round(this.#eventLoop.p99Ms() * 1000) / 1000,
      workers: this.#options.workers(),
      functions: this.#options.functionCount(),
    };
  }

  close(): void {
    this.#eventLoop.close();
  }
}
