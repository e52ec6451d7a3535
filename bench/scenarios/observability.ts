// Scenario "observability": what watching a host costs an HTTP route. The same function (`fx-echo`,
// test/fixtures/echo, committed) on in-process hosts that differ only in what they observe — metrics
// off (`metrics: false`: no registry, no observer hooks, the baseline) against metrics on (the
// default: prom-client counters and histograms per invocation, the console's history) — under the
// same keep-alive load (autocannon in a child process, as scenario 3), in the same run. A variant is
// a label and host options, so tracing (`otlpEndpoint` + a receiver) is one more entry.
// Variants take turns in rounds, the order reversed every other round, so a steady drift of the
// machine weighs on every variant alike. Each run gets a fresh host (started just before its warm-up,
// closed after): a variant that installs process-wide hooks (tracing's context manager) cannot tax
// the runs after it. Figures: rps, p50/p99, and the server's CPU µs per request (this process's CPU
// over the requests served, warm-up included; the sturdiest figure on a shared machine).
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import type { HostOptions } from '../../src/host/host-options.js';
import { startCpuWatch, type CpuShare } from '../../src/benchmark/cpu-watch.js';
import { ratio } from '../../src/benchmark/stats.js';
import { fixtureComponentPath } from '../fixture-host.js';
import type { LoadSummary } from '../load/load-job.js';
import { runLoad } from '../load/run-load.js';
import { progress } from '../progress.js';

export interface ObservabilityVariant {
  readonly label: string;
  /** What this variant's host gets beyond the common options. */
  readonly hostOptions: Partial<HostOptions>;
  /** Started before each of the variant's runs and stopped after it (e.g. an OTLP receiver): its options for the host. */
  readonly around?: () => Promise<{ readonly hostOptions: Partial<HostOptions>; stop(): Promise<void> }>;
}

/** The baseline first: ratios are taken against it. */
export const metricsVariants: readonly ObservabilityVariant[] = [
  { label: 'metrics off', hostOptions: { metrics: false } },
  { label: 'metrics on', hostOptions: {} },
];

export interface ObservabilityConfig {
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly durationSeconds: number;
  /** Each variant runs once per round. */
  readonly rounds: number;
  readonly workers: number;
  readonly workDir: string;
}

export interface ObservabilityRun {
  readonly variant: string;
  readonly round: number;
  readonly load: LoadSummary | undefined;
  readonly failure: string | undefined;
  readonly cpu: CpuShare | undefined;
  /** This process's CPU per request served (warm-up included), µs. */
  readonly serverCpuMicrosPerRequest: number;
}

export interface ObservabilityVariantSummary {
  readonly variant: string;
  readonly runs: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly serverCpuMicrosPerRequest: number;
  /** Against the first variant (the baseline): rps ratio (lower is slower) and CPU per request ratio (higher is costlier). */
  readonly rpsVsBaseline: number;
  readonly cpuVsBaseline: number;
  readonly othersCpuMax: number;
  readonly non2xx: number;
}

export interface ObservabilityResult {
  readonly function: string;
  /**
   * What metrics add per invocation on the main thread, timed alone (HostObservability.invoked on a
   * host-less instance, 10 functions, realistic timings): steadier than the difference of two loaded
   * runs on a shared machine. Compare with the CPU µs per request of the rows.
   */
  readonly observerMicrosPerInvocation: number;
  readonly runs: readonly ObservabilityRun[];
  readonly summary: readonly ObservabilityVariantSummary[];
}

const route = '/fx/echo';
const manifest = `name = "fx-echo"\ncomponent = "component.wasm"\n\n[[http]]\nroute = "${route}"\n`;

export async function measureObservability(config: ObservabilityConfig, variants: readonly ObservabilityVariant[] = metricsVariants): Promise<ObservabilityResult> {
  const component = new Uint8Array(await readFile(fixtureComponentPath('echo')));
  const zip = zipSync({ 'wasmlet.toml': new TextEncoder().encode(manifest), 'component.wasm': component });
  const runs: ObservabilityRun[] = [];
  for (let round = 0; round < config.rounds; round++) {
    const order = round % 2 === 0 ? variants : [...variants].reverse();
    for (const variant of order) runs.push(await measureRun(variant, round, zip, config));
  }
  return { function: 'fx-echo', runs, summary: summarize(variants, runs), observerMicrosPerInvocation: await timeObserver() };
}

/** Records per timing of the observer alone, after as many to warm it up. */
const observerRecords = 200_000;

async function timeObserver(): Promise<number> {
  const { HostObservability } = await import('../../src/observe/host-observability.js');
  const observability = new HostObservability({
    queues: async () => [],
    triggerQueues: () => [],
    asyncInvocations: () => ({ queued: 0, retrying: 0, succeeded: 0, failed: 0, expired: 0 }),
    workers: () => ({}),
    functionCount: () => 10,
  });
  const response = { status: 200, headers: [], body: new Uint8Array() };
  const record = (i: number) => ({
    functionName: `fn-${i % 10}`,
    trigger: 'http' as const,
    totalMs: 0.3 + (i % 7) * 0.1,
    result: {
      outcome: { kind: 'ok' as const, response },
      logs: [],
      queueWaitMs: 0.02,
      timings: { instantiateMicros: 0, callMicros: 150, memoriesRecycled: 1, memoriesCreated: 0, instance: 'pre-instantiated' as const, instanceUse: 1 },
    },
  });
  try {
    for (let i = 0; i < observerRecords; i++) observability.invoked(record(i));
    const started = performance.now();
    for (let i = 0; i < observerRecords; i++) observability.invoked(record(i));
    return ((performance.now() - started) * 1000) / observerRecords;
  } finally {
    observability.close();
  }
}

async function measureRun(variant: ObservabilityVariant, round: number, zip: Uint8Array, config: ObservabilityConfig): Promise<ObservabilityRun> {
  const dataDir = join(config.workDir, `${variant.label.replace(/\W+/g, '-')}-${round}`);
  await mkdir(dataDir, { recursive: true });
  const extra = await variant.around?.();
  const { createHost } = await import('../../src/host/start-host.js');
  const { listen } = await import('../../src/host/listen.js');
  const host = await createHost({ host: '127.0.0.1', port: 0, adminPort: 0, dataDir, workers: config.workers, deployExamples: false, log: () => undefined, ...variant.hostOptions, ...extra?.hostOptions });
  try {
    const trigger = await listen(host.httpTrigger, '127.0.0.1', 0);
    try {
      const deployed = await host.adminApp.request('/v1/functions', { method: 'POST', body: zip as Uint8Array<ArrayBuffer>, headers: { 'content-type': 'application/zip', authorization: `Bearer ${host.adminToken}` } });
      if (deployed.status !== 201) throw new Error(`deploy answered ${deployed.status}: ${(await deployed.text()).slice(0, 300)}`);
      progress(`observability: ${variant.label} (round ${round + 1}/${config.rounds}): ${config.warmupSeconds} s warm-up + ${config.durationSeconds} s at ${config.connections} connections`);
      const watch = startCpuWatch();
      const load = await runLoad({ url: `${trigger.url}${route}`, connections: config.connections, warmupSeconds: config.warmupSeconds, durationSeconds: config.durationSeconds });
      const cpu = watch.stop(load.clientCpuMicros);
      const perRequest = cpu.ownMicros / (load.totalRequests + load.warmupRequests);
      progress(`observability: ${variant.label}: ${Math.round(load.rps)} rps, p99 ${load.latencyMs.p99} ms, ${perRequest.toFixed(0)} µs CPU/req, others' CPU ${(cpu.others * 100).toFixed(0)}%`);
      return { variant: variant.label, round, load, failure: undefined, cpu, serverCpuMicrosPerRequest: perRequest };
    } finally {
      await trigger.close();
    }
  } catch (err) {
    progress(`observability: ${variant.label}: failed: ${(err as Error).message}`);
    return { variant: variant.label, round, load: undefined, failure: (err as Error).message, cpu: undefined, serverCpuMicrosPerRequest: NaN };
  } finally {
    await host.close();
    await extra?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function summarize(variants: readonly ObservabilityVariant[], runs: readonly ObservabilityRun[]): ObservabilityVariantSummary[] {
  const partial = variants.map((variant) => {
    const measured = runs.filter((run) => run.variant === variant.label && run.load);
    const loads = measured.map((run) => run.load!);
    return {
      variant: variant.label,
      runs: measured.length,
      rps: mean(loads.map((load) => load.rps)),
      p50Ms: mean(loads.map((load) => load.latencyMs.p50)),
      p99Ms: mean(loads.map((load) => load.latencyMs.p99)),
      serverCpuMicrosPerRequest: mean(measured.map((run) => run.serverCpuMicrosPerRequest)),
      othersCpuMax: Math.max(...measured.map((run) => run.cpu?.others ?? NaN)),
      non2xx: loads.reduce((sum, load) => sum + load.non2xx + load.errors, 0),
    };
  });
  const baseline = partial[0];
  return partial.map((row) => ({ ...row, rpsVsBaseline: ratio(row.rps, baseline?.rps), cpuVsBaseline: ratio(row.serverCpuMicrosPerRequest, baseline?.serverCpuMicrosPerRequest) }));
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}
