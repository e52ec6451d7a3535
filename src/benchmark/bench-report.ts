// The text report of `wasmlet bench <target>`: what ran, a table per configuration and level, the
// first calls, errors by status and outcome, the recommendation and the warnings.
import type { ConfigurationResult, FunctionBenchResult, LevelResult } from './bench-result.js';
import { fixed, percent, textTable } from './text-table.js';

/** @example process.stdout.write(renderBenchText(result)) // the header, the first calls, the table, errors, recommendation, warnings */
export function renderBenchText(result: FunctionBenchResult): string {
  const out: string[] = [];
  const { target, trigger, bounds } = result;
  const how = trigger.kind === 'http' ? `HTTP ${trigger.method} ${trigger.path}` : trigger.kind === 'invoke' ? 'direct invoke' : `queue ${trigger.queue}`;
  const where = target.local ? 'an in-process host (--local)' : target.adminUrl;
  out.push(`wasmlet bench ${target.path ?? target.name} (${target.kind}) on ${where}, through ${how}${result.interrupted ? '  [interrupted: partial results]' : ''}`);
  const budget = [bounds.durationSeconds !== null ? `${bounds.durationSeconds} s` : undefined, bounds.requests !== null ? `${bounds.requests} calls` : undefined].filter(Boolean).join(' or ');
  out.push(
    `per configuration and level: ${budget} measured in ${bounds.rounds} alternating rounds (each after a warm-up); levels 1..${bounds.maxConnections} connections until throughput stops growing 10%`,
  );
  out.push('');
  out.push('first call after deploy:');
  out.push(
    textTable(
      ['configuration', 'latency', 'status', 'outcome', 'note'],
      result.configurations.map((c) => [c.label, c.cold ? duration(c.cold.latencyMicros) : '–', c.cold?.status ?? '–', c.cold?.outcome ?? '–', c.cold ? coldNote(c.cold) : '']),
    ),
  );
  out.push('');
  const rows = result.configurations.flatMap((c) =>
    c.levels.map((l, index) => [index === 0 ? c.label : '', ...levelCells(l)]),
  );
  out.push(
    textTable(
      ['configuration', 'conns', 'calls', 'calls/s', 'p50', 'p90', 'p99', 'max', 'failed', 'host CPU/call', 'host RSS', 'load gen CPU', "others' CPU"],
      rows,
    ),
  );
  out.push(`   (latency from full histograms at 1 µs resolution; host figures: ${result.hostMetrics}; * = saturated: throughput grew < 10% over the best lower level, or calls failed)`);
  const errors = result.configurations.flatMap((c) =>
    c.levels.filter((l) => l.requests - (l.outcomes.ok ?? 0) > 0).map((l) => `  ${c.label} at ${l.connections}: statuses ${entries(l.statuses)}; outcomes ${entries(l.outcomes)}`),
  );
  if (errors.length > 0) out.push('', 'errors by status and outcome:', ...errors);
  out.push('', `load generator: a child process, ${percent(result.loadGenerator.cpuShare)} of the CPUs while measuring`);
  if (result.recommendation) out.push('', `recommendation: ${result.recommendation.text}`);
  if (result.warnings.length > 0) out.push('', 'warnings:', ...result.warnings.map((w) => `  - ${w}`));
  return `${out.join('\n')}\n`;
}

function coldNote(cold: NonNullable<ConfigurationResult['cold']>): string {
  if (!cold.afterDeploy) return 'already deployed: may be warm';
  return cold.sharesCodeWith === null ? '' : `reuses the code ${cold.sharesCodeWith} compiled: not comparable`;
}

function levelCells(l: LevelResult): string[] {
  const s = l.latencyMicros;
  return [
    `${l.connections}${l.saturated ? '*' : ''}`,
    String(l.requests),
    fixed(l.rps, l.rps < 100 ? 1 : 0),
    duration(s.p50),
    duration(s.p90),
    duration(s.p99),
    duration(s.max),
    String(l.requests - (l.outcomes.ok ?? 0)),
    l.hostCpuMicrosPerRequest === null ? 'n/a' : duration(l.hostCpuMicrosPerRequest),
    l.hostRssBytes === null ? 'n/a' : `${fixed(l.hostRssBytes / 2 ** 20)} MiB`,
    percent(l.loadGeneratorCpuShare),
    percent(l.othersCpuShare),
  ];
}

/** µs as "812 µs", "3.91 ms" or "1.20 s"; "–" when unknown. */
export function duration(micros: number): string {
  if (!Number.isFinite(micros)) return '–';
  if (micros < 1000) return `${Math.round(micros)} µs`;
  if (micros < 1_000_000) return `${(micros / 1000).toFixed(micros < 10_000 ? 2 : 1)} ms`;
  return `${(micros / 1e6).toFixed(2)} s`;
}

function entries(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts).map(([key, n]) => `${key} ×${n}`).join(', ');
}
