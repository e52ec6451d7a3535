// Options of `wasmlet serve`, checked once, each with its own message.
import { isIP } from 'node:net';
import { WasmletError } from '../errors/wasmlet-error.js';
import type { LookupAll } from '../capabilities/outbound-http/guarded-connector.js';
import type { ObjectLimits } from '../objects/object-limits.js';
import type { Clock } from '../queue/clock.js';
import type { SqliteSynchronous } from '../queue/sqlite-queue-store.js';
import { checkServerLimits, type ServerLimits } from './server-limits.js';
import { otlpTracesUrl } from '../tracing/trace-endpoint.js';
import type { HostLog } from '../logs/host-log.js';
import type { QueueQuota } from '../queue/queue-quota.js';
import type { NatsOptions } from '../nats/nats-options.js';
import type { FoldHooks } from '../compile/fold-queue.js';

export interface HostOptions {
  readonly host: string;
  readonly port: number;
  readonly adminPort: number;
  /** Port of the S3-compatible endpoint (`wasmlet serve` defaults it to 8082); undefined: no S3 listener. */
  readonly s3Port?: number | undefined;
  /** Object storage limits below S3's (tests); see objects/object-limits.ts. */
  readonly objectLimits?: Partial<ObjectLimits>;
  readonly dataDir: string;
  readonly token?: string | undefined;
  readonly workers: number;
  readonly deployExamples: boolean;
  /** Invocations of one function that may wait for a worker (see WorkerPool). */
  readonly maxQueuedPerFunction?: number;
  /** Threads beyond `workers` for invocations waiting on the network or a timer (see WorkerPool); 64 by default. */
  readonly maxWaitingThreads?: number;
  readonly log?: HostLog;
  /** Prometheus metrics and the console's history (default true); false only for a baseline (bench): `/metrics` and the stats paths are then 404. */
  readonly metrics?: boolean;
  /** `/metrics` answers without the token: for a scraper on this machine, so only with a loopback `host`. */
  readonly metricsPublic?: boolean;
  /** The embedded queue's commit durability (see SqliteSynchronous); 'normal' by default. */
  readonly queueDurability?: SqliteSynchronous;
  /**
   * Queues, async invocation records, schedule state, key-value stores, the function registry, the
   * bundles and the buckets of objects on NATS JetStream, shared with every host on the same cluster
   * (`serve --nats`); absent: the data directory.
   */
  readonly nats?: NatsOptions | undefined;
  /** Time for the queue layer (tests move it instead of sleeping). */
  readonly clock?: Clock;
  /** The jitter source of retry backoff and of Lambda aliases' weighted split (tests pin or seed it); Math.random by default. */
  readonly random?: () => number;
  /** Name resolution for outbound HTTP (tests map names onto loopback); dns.lookup by default. */
  readonly outboundLookup?: LookupAll;
  /** Extra CAs (PEM) outbound HTTP trusts besides Node's bundled roots (tests with their own CA). */
  readonly outboundCa?: string;
  /** The key secrets are sealed with (32 raw bytes or 64 hex characters); default: generated once into <data-dir>/secret.key. */
  readonly secretKeyFile?: string | undefined;
  /** Timeouts and connection bounds of the listeners (server-limits.ts); the function port takes them as given. */
  readonly serverLimits?: Partial<ServerLimits> | undefined;
  /** Export traces over OTLP/HTTP (JSON) to this collector (`--otlp-endpoint`); absent: no tracing at all. */
  readonly otlpEndpoint?: string | undefined;
  /** Guest memory live at once, all functions together, in MiB (runtime/memory-budget.ts); default: 60 % of the machine's. */
  readonly memoryBudgetMb?: number | undefined;
  /** The largest `memory_mb` a deploy may ask for; default 4096 (wasm32's limit), never above the memory budget. */
  readonly maxInstanceMemoryMb?: number | undefined;
  /** Bytes the data directory may hold (host/disk-budget.ts); default half of its file system. */
  readonly diskBudgetBytes?: number | undefined;
  /** Free bytes always left on the data directory's file system; default 1 GiB (5 % of a small disk). */
  readonly diskReserveBytes?: number | undefined;
  /** Depth and byte quota of every queue (queue/queue-quota.ts); defaults 1,000,000 messages and 1 GiB. */
  readonly queueQuota?: Partial<QueueQuota> | undefined;
  /** Tests only: hold, fail or follow the background folds of new components (compile/fold-queue.ts). */
  readonly foldHooks?: FoldHooks | undefined;
}

/** Beyond this many workers a 2-core machine only thrashes; larger hosts can still ask for it. */
const maxWorkers = 256;
/** Each waiting thread is a V8 isolate (a few MB idle): a bound keeps a flood of slow upstreams from exhausting memory. */
const maxWaitingThreads = 1024;

export function checkHostOptions(options: HostOptions): void {
  checkPort('port', options.port);
  checkPort('admin port', options.adminPort);
  if (options.port !== 0 && options.port === options.adminPort) throw new WasmletError('bad_request', `--port and --admin-port must differ (both ${options.port})`);
  if (options.s3Port !== undefined) {
    checkPort('S3 port', options.s3Port);
    if (options.s3Port !== 0 && (options.s3Port === options.port || options.s3Port === options.adminPort)) {
      throw new WasmletError('bad_request', `--s3-port must differ from --port and --admin-port (${options.s3Port})`);
    }
  }
  if (!Number.isInteger(options.workers) || options.workers < 1 || options.workers > maxWorkers) {
    throw new WasmletError('bad_request', `--workers must be an integer from 1 to ${maxWorkers}, got ${options.workers}`);
  }
  if (options.maxWaitingThreads !== undefined && (!Number.isInteger(options.maxWaitingThreads) || options.maxWaitingThreads < 0 || options.maxWaitingThreads > maxWaitingThreads)) {
    throw new WasmletError('bad_request', `--max-waiting-threads must be an integer from 0 to ${maxWaitingThreads}, got ${options.maxWaitingThreads}`);
  }
  if (options.serverLimits) checkServerLimits(options.serverLimits);
  if (options.otlpEndpoint !== undefined) otlpTracesUrl(options.otlpEndpoint);
  checkBudgets(options);
  if (!options.dataDir) throw new WasmletError('bad_request', '--data-dir must not be empty');
  if (options.token !== undefined && options.token.length < 16) throw new WasmletError('bad_request', '--token must be at least 16 characters');
  if (options.metricsPublic && !isLoopback(options.host)) {
    throw new WasmletError('bad_request', `--metrics-public serves /metrics without the token, so only on loopback; the admin API would listen on ${options.host}`);
  }
  if (!isLoopback(options.host) && !options.token) {
    throw new WasmletError('bad_request', `the admin API would listen on ${options.host}, which is not loopback: set --token (or WASMLET_TOKEN) to protect it`);
  }
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

function checkPort(name: string, port: number): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new WasmletError('bad_request', `${name} must be an integer from 0 to 65535, got ${port}`);
}

function checkBudgets(options: HostOptions): void {
  const positive = (name: string, value: number | undefined, min: number) => {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < min)) throw new WasmletError('bad_request', `${name} must be an integer of at least ${min}, got ${value}`);
  };
  positive('--memory-budget (MiB)', options.memoryBudgetMb, 1);
  positive('--max-instance-memory (MiB)', options.maxInstanceMemoryMb, 1);
  positive('--disk-budget (bytes)', options.diskBudgetBytes, 0);
  positive('--disk-reserve (bytes)', options.diskReserveBytes, 0);
  positive('--queue-max-messages', options.queueQuota?.maxMessages, 1);
  positive('--queue-max-bytes', options.queueQuota?.maxBodyBytes, 1);
}
