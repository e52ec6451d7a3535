// Runs scenario "observability" for run.ts (`--only observability`): its full and --quick settings,
// its table and its own JSON file (observability-<timestamp>.json beside the run's), like neighbours.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fixed, percent, textTable, times } from '../src/benchmark/text-table.js';
import { progress } from './progress.js';
import { measureObservability, metricsVariants, type ObservabilityConfig, type ObservabilityResult } from './scenarios/observability.js';
import { tracingVariants } from './scenarios/tracing-variants.js';

export interface ObservabilityBenchRun {
  readonly quick: boolean;
  readonly json: boolean;
  readonly outDir: string;
  readonly workDir: string;
  readonly workers: number;
  readonly machine: unknown;
}

type Settings = Omit<ObservabilityConfig, 'workers' | 'workDir'>;
/** 16 connections as scenario 3's middle row; 3 rounds of 10 s per variant: ~2 min for the four (metrics off/on, tracing on, both on). */
const fullConfig: Settings = { connections: 16, warmupSeconds: 2, durationSeconds: 8, rounds: 3 };
const quickConfig: Settings = { connections: 16, warmupSeconds: 1, durationSeconds: 3, rounds: 1 };

export async function runObservability(run: ObservabilityBenchRun, problems: { scenario: string; message: string }[]): Promise<ObservabilityResult | undefined> {
  const settings = run.quick ? quickConfig : fullConfig;
  const startedAt = new Date();
  const started = performance.now();
  let result: ObservabilityResult;
  try {
    result = await measureObservability({ ...settings, workers: run.workers, workDir: run.workDir }, [...metricsVariants, ...tracingVariants]);
  } catch (err) {
    problems.push({ scenario: 'observability', message: (err as Error).message });
    return undefined;
  }
  const warnings = [
    ...result.runs.filter((r) => r.failure).map((r) => `${r.variant} round ${r.round + 1} failed: ${r.failure}`),
    ...result.summary.filter((s) => s.non2xx > 0).map((s) => `${s.variant}: ${s.non2xx} non-2xx answers or errors`),
    ...result.summary.filter((s) => s.othersCpuMax > 0.1).map((s) => `${s.variant}: others used up to ${percent(s.othersCpuMax)} of the CPUs: rps and p99 are suspect, CPU/req less so`),
  ];
  if (!run.json) process.stdout.write(`${[...renderObservability(result, settings, run.workers), ...warnings.map((w) => `   warning: ${w}`)].join('\n')}\n\n`);
  const file = join(run.outDir, `observability-${startedAt.toISOString().replace(/:/g, '-')}.json`);
  const document = { schemaVersion: 1, scenario: 'observability', startedAt: startedAt.toISOString(), durationSeconds: (performance.now() - started) / 1000, machine: run.machine, run: { quick: run.quick }, config: settings, result, warnings };
  await mkdir(run.outDir, { recursive: true });
  await writeFile(file, `${JSON.stringify(document, null, 2)}\n`);
  progress(`observability: results written to ${file}`);
  return result;
}

export function renderObservability(result: ObservabilityResult, settings: Settings, workers: number): string[] {
  const rows = result.summary.map((s) => [
    s.variant,
    String(s.runs),
    fixed(s.rps),
    times(s.rpsVsBaseline),
    fixed(s.p50Ms, 1),
    fixed(s.p99Ms, 1),
    fixed(s.serverCpuMicrosPerRequest),
    times(s.cpuVsBaseline),
    percent(s.othersCpuMax),
  ]);
  return [
    `observability: GET /fx/echo (${result.function}), ${settings.connections} connections, ${workers} compute slots, ${settings.rounds} round(s) of ${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s per variant, order reversed every other round; ratios against the first row`,
    textTable(['variant', 'runs', 'rps', '× base', 'p50 ms', 'p99 ms', 'CPU µs/req', '× base', "others' CPU (max)"], rows),
    `metrics per invocation, timed alone on the main thread: ${fixed(result.observerMicrosPerInvocation, 2)} µs (a record building the invocation's own objects included)`,
  ];
}
