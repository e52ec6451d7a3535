// The admin API's shapes the console reads. Most are the host's own (src/client/api-types.ts,
// type-only: nothing of the host is bundled); the observability endpoints are declared here.
export type {
  DeployBody,
  FunctionInfo,
  HealthBody,
  InvocationRecord,
  InvocationState,
  InvocationsBody,
  ListBody,
  LogEntry,
  LogsBody,
  PeekBody,
  PeekedMessage,
  QueuesBody,
  RedriveBody,
} from '../src/client/api-types.js';

/** `GET /v1/functions/{name}/stats`: the last hour in buckets, oldest first (kept in the host's memory). */
export interface FunctionStatsBody {
  readonly function: string;
  readonly bucketSeconds: number;
  readonly points: readonly StatsPoint[];
}

export interface StatsPoint {
  readonly t: string;
  readonly requests: number;
  readonly errors: number;
  readonly p50Ms: number | null;
  readonly p90Ms: number | null;
  readonly p99Ms: number | null;
}

/** `GET /v1/host/stats` */
export interface HostStatsBody {
  readonly uptimeSeconds: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  readonly eventLoopDelayP99Ms: number;
  /** The worker pool's counts, as the host reports them (shown as they come). */
  readonly workers: Readonly<Record<string, unknown>>;
  readonly functions: number;
}
