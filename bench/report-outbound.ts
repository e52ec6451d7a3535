// Text tables and warnings of scenarios 6 (outbound HTTP per subrequest) and 7 (waiting is not
// working), kept apart from report.ts, which renders the others and calls these.
import type { OutboundBenchOptions, OutboundBenchResult } from './scenarios/outbound.js';
import type { CallSummary, WaitingBenchOptions, WaitingBenchResult } from './scenarios/waiting.js';
import { ratio, type Summary } from '../src/benchmark/stats.js';
import { fixed, percent, textTable, times } from '../src/benchmark/text-table.js';

export type OutboundConfig = Omit<OutboundBenchOptions, 'workers' | 'workDir'>;
export type WaitingConfig = Omit<WaitingBenchOptions, 'workers' | 'workDir'>;

/** The target of the issue for a CPU-bound p99 beside the waiting load, as a multiple of alone. */
const besideWaitingP99Target = 2;

/** Section 6: per-request cost, direct undici against the guest through the host. */
export function renderOutbound(result: OutboundBenchResult, config: OutboundConfig): string[] {
  const n = result.subrequests;
  const { direct, guest, cold } = result;
  const row = (label: string, side: { perRequestMicros: Summary; manyMs: Summary; oneMs: Summary }) => [
    label,
    fixed(side.perRequestMicros.p50),
    fixed(side.perRequestMicros.p90),
    fixed(side.perRequestMicros.p99),
    times(ratio(side.perRequestMicros.p50, direct.perRequestMicros.p50)),
    times(ratio(side.perRequestMicros.p99, direct.perRequestMicros.p99)),
    fixed(side.manyMs.p50, 2),
    fixed(side.oneMs.p50, 2),
  ];
  return [
    `6. outbound HTTP: the cost of one more request, µs (n=${config.pairs} pairs per side after ${config.warmupPairs} warm-up, alternating blocks of ${config.blockPairs})`,
    `   per pair: (t(${n} requests) - t(1 request)) / ${n - 1}, the same for both sides; upstream = GET /hello (2 bytes) in the bench's peer process.`,
    '   direct = undici on the main thread, one keep-alive Agent, serial requests (the baseline);',
    `   guest = fx-outbound (C SDK) on an in-process host: invocations with n=${n} and n=1 subrequests, timed by the caller`,
    '   (guest -> worker HostLink -> main thread OutboundHttp (undici) -> upstream, and back).',
    textTable(
      ['side', 'per request p50', 'p90', 'p99', 'p50 × direct', 'p99 × direct', `t(${n}) p50 ms`, 't(1) p50 ms'],
      [row('direct (undici)', direct), row('guest (fx-outbound)', guest)],
    ),
    `   direct, each request timed alone: p50 ${fixed(direct.singleRequestMicros.p50)} µs, p99 ${fixed(direct.singleRequestMicros.p99)} µs (n=${direct.singleRequestMicros.n}).`,
    `   cold (the first pair, before warm-up): direct t(${n}) ${fixed(cold.direct.manyMs, 1)} ms, t(1) ${fixed(cold.direct.oneMs, 2)} ms;` +
      ` guest t(${n}) ${fixed(cold.guest.manyMs, 1)} ms, t(1) ${fixed(cold.guest.oneMs, 2)} ms (first invocation: code load, first connection).`,
    `   others' CPU during the measurement: ${percent(result.cpu.others)}.`,
  ];
}

/** Section 7: 64 waiting calls (cold and steady rounds), and a CPU-bound function alone and beside them. */
export function renderWaiting(result: WaitingBenchResult, config: WaitingConfig): string[] {
  const { cold, steady, cpuBound, waitingLoad, process: proc } = result;
  const latencyCells = (summary: CallSummary) => [
    fixed(summary.latencyMs.p50, 1),
    fixed(summary.latencyMs.p90, 1),
    fixed(summary.latencyMs.p99, 1),
    fixed(summary.latencyMs.max, 1),
    String(summary.latencyMs.n),
    String(summary.failures),
  ];
  const threads = (value: number | undefined) => (value === undefined ? '–' : String(value));
  const peaks = [proc.cold.maxThreads, proc.steady.maxThreads, proc.besideWaiting.maxThreads].filter((value) => value !== undefined);
  const peakThreads = peaks.length > 0 ? Math.max(...peaks) : undefined;
  return [
    `7. waiting is not working: host with ${result.workers} compute slots; fx-outbound GETs an upstream answering after ${result.upstreamMs} ms`,
    `   rounds: ${result.concurrency} calls at once (from the bench's peer process), wall = first sent -> last answered, ms; latency per call, ms.`,
    '   The cold round grows the pool from its baseline threads (a worker boots in ~77 ms); steady = the rounds after it.',
    textTable(
      ['round', 'wall ms', 'latency p50', 'p90', 'p99', 'max', 'calls', 'failures', 'threads peak'],
      [
        ['cold (first)', fixed(cold.wallMs), ...latencyCells(cold), threads(proc.cold.maxThreads)],
        [`steady (${steady.rounds} rounds: wall p50 / max)`, `${fixed(steady.wallMs.p50)} / ${fixed(steady.wallMs.max)}`, ...latencyCells(steady), threads(proc.steady.maxThreads)],
      ],
    ),
    '',
    `   cpu-bound: fx-slow?ms=${config.cpuMs} from ${config.cpuClients} concurrent clients in the bench process, ${config.blockPairs} blocks of ${config.cpuCallsPerBlock} calls each way,`,
    `   alternating: alone (baseline), and beside ${result.concurrency} waiting calls kept running back to back by the peer. Latency, ms.`,
    textTable(
      ['condition', 'p50', 'p90', 'p99', 'max', 'calls', 'failures', 'threads peak', "others' CPU"],
      [
        ['alone', ...latencyCells(cpuBound.alone), '', percent(cpuBound.othersCpu.alone)],
        [`beside ${result.concurrency} waiting`, ...latencyCells(cpuBound.besideWaiting), threads(proc.besideWaiting.maxThreads), percent(cpuBound.othersCpu.besideWaiting)],
        ['beside / alone', times(cpuBound.p50Ratio), '', times(cpuBound.p99Ratio), '', '', '', '', ''],
      ],
    ),
    `   target: p99 beside / alone at most ${besideWaitingP99Target}×; the waiting calls meanwhile: ${fixed(waitingLoad.callsPerSecond)} calls/s, p50 ${fixed(waitingLoad.latencyMs.p50, 1)} ms, p99 ${fixed(waitingLoad.latencyMs.p99, 1)} ms, ${waitingLoad.failures} failures.`,
    `   process threads (guest workers + Node's own): ${threads(proc.idleThreads)} idle before the first round (2 workers + a spare among them),` +
      ` highest peak ${threads(peakThreads)}: ${threads(peakThreads === undefined || proc.idleThreads === undefined ? undefined : peakThreads - proc.idleThreads)} threads more than idle.`,
    `   RSS peak ${fixed(Math.max(proc.cold.maxRssMiB, proc.steady.maxRssMiB, proc.besideWaiting.maxRssMiB))} MiB; others' CPU over the whole scenario: ${percent(result.cpu.others)}.`,
  ];
}

export function outboundWarnings(outbound: OutboundBenchResult | undefined, waiting: WaitingBenchResult | undefined, othersCpuLimit: number): string[] {
  const warnings: string[] = [];
  if (outbound) {
    if (outbound.failures > 0) warnings.push(`outbound: ${outbound.failures} runs did not answer as expected (${outbound.firstFailure})`);
    if (outbound.cpu.others > othersCpuLimit) warnings.push(`outbound: other processes used ${percent(outbound.cpu.others)} of the CPUs meanwhile`);
  }
  if (waiting) {
    for (const [label, summary] of [['cold round', waiting.cold], ['steady rounds', waiting.steady], ['cpu-bound alone', waiting.cpuBound.alone], ['cpu-bound beside waiting', waiting.cpuBound.besideWaiting], ['waiting load', waiting.waitingLoad]] as const) {
      if (summary.failures > 0) warnings.push(`waiting: ${label}: ${summary.failures} calls did not answer 200 (${summary.firstFailure})`);
    }
    if (waiting.cpu.others > othersCpuLimit) warnings.push(`waiting: other processes used ${percent(waiting.cpu.others)} of the CPUs meanwhile`);
  }
  return warnings;
}
