// `wasmlet serve`: start the host (HTTP trigger + admin API) and run until SIGINT or SIGTERM.
import { resolve } from 'node:path';
import type { ServerLimits } from '../../host/server-limits.js';
import type { HostOptions, RunningHost } from '../../host/start-host.js';
import type { SqliteSynchronous } from '../../queue/sqlite-queue-store.js';
import { printJson, runCommand, type CommandContext } from '../command-context.js';
import { exitFailure } from '../failure.js';
import { hostLogWriter, type LogFormat } from '../../observe/json-log-line.js';

export interface ServeOptions {
  readonly host: string;
  readonly port: number;
  readonly adminPort: number;
  /** The S3-compatible endpoint's port (the CLI's default is 8082); absent: no S3 listener. */
  readonly s3Port?: number | undefined;
  /** Resolved against the working directory. */
  readonly dataDir: string;
  readonly workers: number;
  readonly maxWaitingThreads?: number | undefined;
  readonly deployExamples: boolean;
  /** How durable a queue commit is; the host's default ('normal') when absent. */
  readonly queueDurability?: SqliteSynchronous | undefined;
  /** The key secrets are sealed with; absent: the data directory's generated secret.key. Resolved against the working directory. */
  readonly secretKeyFile?: string | undefined;
  /** The function port's limits on slow and greedy clients (--header-timeout-ms, …); absent: server-limits.ts's defaults. */
  readonly headerTimeoutMs?: number | undefined;
  readonly requestTimeoutMs?: number | undefined;
  readonly keepAliveTimeoutMs?: number | undefined;
  readonly maxConnections?: number | undefined;
  readonly maxRequestsPerSocket?: number | undefined;
  /** Budgets and quotas (host-options.ts has their defaults). */
  readonly memoryBudget?: number | undefined;
  readonly maxInstanceMemory?: number | undefined;
  readonly diskBudget?: number | undefined;
  readonly diskReserve?: number | undefined;
  readonly queueMaxMessages?: number | undefined;
  readonly queueMaxBytes?: number | undefined;
  /** Where traces go (OTLP/HTTP); absent: no tracing. */
  readonly otlpEndpoint?: string | undefined;
  /** NATS JetStream for queues, async invocations and schedules: comma-separated client URLs (`--nats`). */
  readonly nats?: string | undefined;
  readonly natsCreds?: string | undefined;
  readonly natsTlsCa?: string | undefined;
  readonly natsTlsCert?: string | undefined;
  readonly natsTlsKey?: string | undefined;
  /** Replicas of the streams and buckets the host creates (3 in a cluster). */
  readonly natsReplicas?: number | undefined;
  /** `/metrics` without the token (loopback only; the host refuses it otherwise). */
  readonly metricsPublic?: boolean | undefined;
  /** The host's own log on stderr: `text` (the default) or JSON lines (observe/json-log-line.ts). */
  readonly logFormat?: LogFormat | undefined;
}

/**
 * `normal`: a commit survives a crash of the process, the last ones may be lost on power loss;
 * `full`: every commit is on disk before it is acknowledged (slower sends and settles).
 */
export const queueDurabilities = ['normal', 'full'] as const satisfies readonly SqliteSynchronous[];

export interface ServeDeps {
  readonly startHost: (options: HostOptions) => Promise<RunningHost>;
  /** Resolves with the signal's name when the host should stop. */
  readonly stopSignal: () => Promise<string>;
}

/** The host is loaded only by `serve`: the client commands then start fast and never load the runtime. */
const defaultDeps: ServeDeps = {
  startHost: async (options) => (await import('../../host/start-host.js')).startHost(options),
  stopSignal: waitForStopSignal,
};

/** Prints the URLs (or `{"urls":{"http","admin","s3"}}` with --json) on stdout; host log lines go to stderr. */
export function serveCommand(options: ServeOptions, ctx: CommandContext, deps: ServeDeps = defaultDeps): Promise<number> {
  return runCommand(ctx, async () => {
    const log = hostLogWriter(options.logFormat ?? 'text', (text) => ctx.output.err(text));
    const running = await deps.startHost({ ...hostOptionsOf(options, ctx), log });
    if (ctx.json) printJson(ctx, { urls: running.urls });
    else ctx.output.out(`wasmlet serving functions on ${running.urls.http}, admin API on ${running.urls.admin}${running.urls.s3 ? `, S3 on ${running.urls.s3}` : ''}\n`);
    const signal = await deps.stopSignal();
    log(`${signal}: stopping (again to force)`);
    await running.close();
  });
}

/** The CLI's options as the host takes them; the host checks them (ports, workers, token on non-loopback). */
export function hostOptionsOf(options: ServeOptions, ctx: Pick<CommandContext, 'token'>): HostOptions {
  return {
    host: options.host,
    port: options.port,
    adminPort: options.adminPort,
    ...(options.s3Port !== undefined ? { s3Port: options.s3Port } : {}),
    dataDir: resolve(options.dataDir),
    workers: options.workers,
    ...(options.metricsPublic ? { metricsPublic: true } : {}),
    ...(options.maxWaitingThreads !== undefined ? { maxWaitingThreads: options.maxWaitingThreads } : {}),
    deployExamples: options.deployExamples,
    ...(options.queueDurability !== undefined ? { queueDurability: options.queueDurability } : {}),
    ...(options.secretKeyFile !== undefined ? { secretKeyFile: resolve(options.secretKeyFile) } : {}),
    ...serverLimitsOf(options),
    ...(options.memoryBudget !== undefined ? { memoryBudgetMb: options.memoryBudget } : {}),
    ...(options.maxInstanceMemory !== undefined ? { maxInstanceMemoryMb: options.maxInstanceMemory } : {}),
    ...(options.diskBudget !== undefined ? { diskBudgetBytes: options.diskBudget } : {}),
    ...(options.diskReserve !== undefined ? { diskReserveBytes: options.diskReserve } : {}),
    ...queueQuotaOf(options),
    ...(options.otlpEndpoint !== undefined ? { otlpEndpoint: options.otlpEndpoint } : {}),
    ...natsOf(options),
    ...(ctx.token !== undefined ? { token: ctx.token } : {}),
  };
}

/** `{ nats }` when `--nats` was given: the URLs split, files resolved against the working directory. */
function natsOf(options: ServeOptions): Pick<HostOptions, 'nats'> {
  if (options.nats === undefined) return {};
  const file = (path: string | undefined) => (path === undefined ? undefined : resolve(path));
  return {
    nats: {
      servers: options.nats.split(',').map((url) => url.trim()).filter((url) => url.length > 0),
      credsFile: file(options.natsCreds),
      tls: { caFile: file(options.natsTlsCa), certFile: file(options.natsTlsCert), keyFile: file(options.natsTlsKey) },
      replicas: options.natsReplicas,
    },
  };
}

/** `{ serverLimits }` with the limits given on the command line, or nothing when none was. */
function serverLimitsOf(options: ServeOptions): { serverLimits?: Partial<ServerLimits> } {
  const limits: { -readonly [K in keyof ServerLimits]?: number } = {};
  for (const key of ['headerTimeoutMs', 'requestTimeoutMs', 'keepAliveTimeoutMs', 'maxConnections', 'maxRequestsPerSocket'] as const) {
    if (options[key] !== undefined) limits[key] = options[key];
  }
  return Object.keys(limits).length > 0 ? { serverLimits: limits } : {};
}

/** First SIGINT/SIGTERM: resolve (graceful close). A second one: exit now, in case closing hangs. */
function waitForStopSignal(): Promise<string> {
  return new Promise((done) => {
    const signals = ['SIGINT', 'SIGTERM'] as const;
    let received = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (received) process.exit(exitFailure);
      received = true;
      done(signal);
    };
    for (const signal of signals) process.on(signal, onSignal);
  });
}

/** `{ queueQuota }` with the quotas given on the command line, or nothing when none was. */
function queueQuotaOf(options: ServeOptions): { queueQuota?: { maxMessages?: number; maxBodyBytes?: number } } {
  const quota = {
    ...(options.queueMaxMessages !== undefined ? { maxMessages: options.queueMaxMessages } : {}),
    ...(options.queueMaxBytes !== undefined ? { maxBodyBytes: options.queueMaxBytes } : {}),
  };
  return Object.keys(quota).length > 0 ? { queueQuota: quota } : {};
}
