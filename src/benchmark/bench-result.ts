// The JSON of `wasmlet bench <target>`: every figure the table, the chart and the recommendation
// are made of, so they can be checked and redrawn.
import type { HistogramJson, LatencySummary } from './latency-histogram.js';
import type { SettingValue, VaryKey } from './bench-settings.js';

export interface CallSample {
  readonly latencyMicros: number;
  readonly status: string;
  readonly outcome: string;
}

export interface LevelResult {
  /** Calls in flight at once (closed loop). */
  readonly connections: number;
  /** Measured calls (warm-up excluded) and the time they took, summed over the rounds. */
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  readonly latencyMicros: LatencySummary;
  readonly histogram: HistogramJson;
  readonly statuses: Readonly<Record<string, number>>;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly transportErrors: readonly string[];
  /** Discarded calls before each block. */
  readonly warmup: { readonly requests: number; readonly seconds: number };
  /** One entry per round (block), in run order: what drift looks like. */
  readonly blocks: readonly { readonly round: number; readonly requests: number; readonly rps: number; readonly p50Micros: number }[];
  /** Host CPU per measured call (µs), when the host's CPU is known. */
  readonly hostCpuMicrosPerRequest: number | null;
  /** The host's resident memory after the level, bytes, when known. */
  readonly hostRssBytes: number | null;
  /** Share of all cores' time the load generator used, and other processes (0..1). */
  readonly loadGeneratorCpuShare: number;
  readonly othersCpuShare: number;
  /** Throughput did not grow ≥ 10% over the best lower level, or calls started failing. */
  readonly saturated: boolean;
  readonly interrupted: boolean;
}

export interface ConfigurationResult {
  readonly label: string;
  /** The first configuration: the others are compared with it, drawn in grey. */
  readonly baseline: boolean;
  /** The function measured: the deployed one, or a temporary copy (removed afterwards). */
  readonly function: string;
  readonly temporary: boolean;
  readonly settings: { readonly memory_mb: number | null; readonly instance_reuse: number | null; readonly init_snapshot: boolean | null };
  /**
   * The first call after deploy; `afterDeploy` false when the function was already deployed (then it may be warm).
   * `sharesCodeWith`: an earlier configuration whose compiled code this one reuses (same component, memory_mb and
   * init_snapshot), so its first call skips what that one's paid: compare first calls only where it is null.
   */
  readonly cold: (CallSample & { readonly afterDeploy: boolean; readonly sharesCodeWith: string | null }) | null;
  readonly levels: readonly LevelResult[];
  /** The level with the most calls per second. */
  readonly peak: { readonly connections: number; readonly rps: number } | null;
  /** The first level found saturated, or null when the bound came first. */
  readonly saturatedAt: number | null;
}

export interface FunctionBenchResult {
  readonly tool: 'wasmlet bench';
  readonly version: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Ctrl-C: the figures are what was measured until then. */
  readonly interrupted: boolean;
  readonly target: { readonly kind: 'deployed' | 'folder' | 'zip'; readonly name: string; readonly path: string | null; readonly local: boolean; readonly adminUrl: string };
  readonly trigger:
    | { readonly kind: 'http'; readonly method: string; readonly path: string; readonly headers: readonly string[]; readonly bodyBytes: number }
    | { readonly kind: 'invoke'; readonly bodyBytes: number }
    | { readonly kind: 'queue'; readonly queue: string; readonly bodyBytes: number };
  readonly vary: { readonly key: VaryKey; readonly values: readonly SettingValue[] } | null;
  readonly against: string | null;
  readonly bounds: { readonly durationSeconds: number | null; readonly requests: number | null; readonly maxConnections: number; readonly rounds: number };
  readonly machine: { readonly node: string; readonly cpuCount: number; readonly cpuModel: string };
  /** in-process (--local), the admin API's /metrics, or not available. */
  readonly hostMetrics: 'in-process' | 'admin /metrics' | 'not available';
  readonly loadGenerator: { readonly process: 'child'; readonly cpuShare: number };
  readonly configurations: readonly ConfigurationResult[];
  readonly recommendation: { readonly configuration: string; readonly text: string } | null;
  readonly warnings: readonly string[];
}
