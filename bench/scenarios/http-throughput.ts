// Scenario 3: HTTP throughput under keep-alive load (autocannon in a child process). Baseline in
// the same run: bare node:http, measured first and again last. Ratios are taken against the mean of
// the two runs (which cancels a steady drift), and the gap between them shows how noisy the machine was.
import { startCpuWatch, type CpuShare } from '../../src/benchmark/cpu-watch.js';
import { runLoad } from '../load/run-load.js';
import type { LoadSummary } from '../load/load-job.js';
import { progress } from '../progress.js';
import { ratio } from '../../src/benchmark/stats.js';

export interface LoadTarget {
  readonly label: string;
  readonly url: string;
  /**
   * CPU time so far of a server in another process (workerd), µs. Without it the server is taken to
   * run in this process; with it, its CPU counts as the server's, not as others' noise.
   */
  readonly serverCpuMicros?: () => number;
}

export interface ThroughputOptions {
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly durationSeconds: number;
}

export interface ThroughputRow {
  readonly label: string;
  /** Concurrent connections of this run (the baselines were measured at the same count). */
  readonly connections: number;
  readonly url: string;
  readonly load: LoadSummary | undefined;
  readonly failure: string | undefined;
  /** CPU use during the run (warm-up included): bench = server + load client, others = noise. */
  readonly cpu: CpuShare | undefined;
  /**
   * CPU time of the bench process (the server under test; every other server in it is idle) per
   * request, warm-up included, µs. Less sensitive to other processes than rps: it counts work, not waiting.
   */
  readonly serverCpuMicrosPerRequest: number;
  readonly serverCpuVsBaseline: number;
  /** rps of this target / mean rps of the two node:http runs. */
  readonly rpsVsBaseline: number;
  /** p99 latency of this target / mean p99 of the two node:http runs (whole ms, so coarse). */
  readonly p99VsBaseline: number;
}

/** `baseline` runs first and last; `targets` in between, in order. */
export async function measureThroughput(baseline: LoadTarget, targets: readonly LoadTarget[], options: ThroughputOptions): Promise<ThroughputRow[]> {
  const order: LoadTarget[] = [baseline, ...targets, { ...baseline, label: `${baseline.label} (again)` }];
  const measured: { target: LoadTarget; load: LoadSummary | undefined; failure: string | undefined; cpu: CpuShare | undefined }[] = [];
  for (const target of order) {
    progress(`http: ${target.label}: ${options.warmupSeconds} s warm-up + ${options.durationSeconds} s at ${options.connections} connections`);
    const watch = startCpuWatch();
    const serverBefore = target.serverCpuMicros?.();
    try {
      const load = await runLoad({ url: target.url, ...options });
      const serverMicros = serverBefore === undefined ? 0 : target.serverCpuMicros!() - serverBefore;
      const stopped = watch.stop(load.clientCpuMicros + serverMicros);
      // For an out-of-process server its own CPU time is the server's cost (this process only waits).
      const cpu = serverBefore === undefined ? stopped : { ...stopped, ownMicros: serverMicros };
      progress(`http: ${target.label}: ${Math.round(load.rps)} rps, p99 ${load.latencyMs.p99} ms, non-2xx ${load.non2xx}, others' CPU ${(cpu.others * 100).toFixed(0)}%`);
      measured.push({ target, load, failure: undefined, cpu });
    } catch (err) {
      progress(`http: ${target.label}: failed: ${(err as Error).message}`);
      measured.push({ target, load: undefined, failure: (err as Error).message, cpu: undefined });
    }
  }
  const baselineRuns = [measured[0]?.load, measured.at(-1)?.load].filter((load): load is LoadSummary => load !== undefined);
  const baseRps = meanOf(baselineRuns.map((load) => load.rps));
  const baseP99 = meanOf(baselineRuns.map((load) => load.latencyMs.p99));
  const perRequest = (load: LoadSummary | undefined, cpu: CpuShare | undefined) =>
    load && cpu ? cpu.ownMicros / (load.totalRequests + load.warmupRequests) : NaN;
  const baseCpu = meanOf([measured[0], measured.at(-1)].map((run) => perRequest(run?.load, run?.cpu)).filter((value) => !Number.isNaN(value)));
  return measured.map(({ target, load, failure, cpu }) => ({
    label: target.label,
    connections: options.connections,
    url: target.url,
    load,
    failure,
    cpu,
    serverCpuMicrosPerRequest: perRequest(load, cpu),
    serverCpuVsBaseline: ratio(perRequest(load, cpu), baseCpu),
    rpsVsBaseline: ratio(load?.rps, baseRps),
    p99VsBaseline: ratio(load?.latencyMs.p99, baseP99),
  }));
}

function meanOf(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((sum, value) => sum + value, 0) / values.length;
}
