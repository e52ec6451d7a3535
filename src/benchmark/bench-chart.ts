// The chart of `wasmlet bench <target>` (svg-chart.ts draws it): the first call after deploy, then one
// group per concurrency level with a row per configuration (p50 → p99, calls/s); the baseline in grey.
import type { FunctionBenchResult } from './bench-result.js';
import { renderGroupsChart, type ChartGroup } from './svg-chart.js';

export function renderBenchChart(result: FunctionBenchResult): string {
  const groups: ChartGroup[] = [
    {
      title: 'first call after deploy',
      rows: result.configurations.map((c) => ({ label: `${c.label}${c.cold?.sharesCodeWith ? ' (code already compiled)' : ''}`, p50Ms: c.cold ? c.cold.latencyMicros / 1000 : undefined, baseline: c.baseline && result.configurations.length > 1 })),
    },
  ];
  const levels = [...new Set(result.configurations.flatMap((c) => c.levels.map((l) => l.connections)))].sort((a, b) => a - b);
  for (const connections of levels) {
    groups.push({
      title: `${connections} connection${connections === 1 ? '' : 's'}`,
      rows: result.configurations.flatMap((c) => {
        const level = c.levels.find((l) => l.connections === connections);
        if (!level || level.requests === 0) return [];
        return [{ label: `${c.label}${level.saturated ? ' *' : ''}`, p50Ms: level.latencyMicros.p50 / 1000, p99Ms: level.latencyMicros.p99 / 1000, rate: level.rps, rateUnit: 'calls/s', baseline: c.baseline && result.configurations.length > 1 }];
      }),
    });
  }
  const { target, trigger, machine } = result;
  const how = trigger.kind === 'http' ? `${trigger.method} ${trigger.path}` : trigger.kind === 'invoke' ? 'direct invoke' : `queue ${trigger.queue}`;
  return renderGroupsChart({
    title: `wasmlet bench ${target.path ?? target.name} (${how}) ${result.startedAt}${result.interrupted ? '  [interrupted]' : ''}`,
    subtitle: `node ${machine.node}, ${machine.cpuCount}× ${machine.cpuModel}; ${result.configurations.length > 1 ? 'the baseline in grey; ' : ''}* = saturated (throughput grew < 10%, or calls failed)`,
    groups,
    footnote: result.recommendation ? `recommendation: ${result.recommendation.text}` : undefined,
  });
}
