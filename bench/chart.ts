// The run as one SVG chart, written next to its JSON: a row per measurement, grouped by scenario;
// the drawing itself (latency p50/p99 and rate panels, baselines in grey) is src/benchmark/svg-chart.ts.
import { renderGroupsChart, type ChartGroup, type ChartRow } from '../src/benchmark/svg-chart.js';
import type { BenchResults } from './report.js';

/** Collects what each scenario measured into chart groups. */
export function chartGroups(results: BenchResults): ChartGroup[] {
  const groups: ChartGroup[] = [];
  if (results.deploy) {
    groups.push({
      title: '1. deploy -> first 200 (cold vs cached component)',
      rows: results.deploy.rows.flatMap((row) => [
        { label: `${row.example} cold`, p50Ms: row.cold.totalMs },
        { label: `${row.example} cached`, p50Ms: row.cachedComponent.totalMs, baseline: true },
      ]),
    });
  }
  if (results.freshInstance) {
    const { floorMicros, rows } = results.freshInstance;
    groups.push({
      title: '2. fresh instance: instantiate + call (one thread)',
      rows: [
        ...rows.map((row) => ({
          label: `${row.example} (${row.memory})`,
          p50Ms: row.totalMicros.p50 / 1000,
          p99Ms: row.totalMicros.p99 / 1000,
          rate: 1e6 / (row.totalMicros.mean + row.releaseMicros.mean),
          rateUnit: '/s per core',
        })),
        { label: 'engine floor (empty module)', p50Ms: floorMicros.p50 / 1000, p99Ms: floorMicros.p99 / 1000, rate: 1e6 / floorMicros.mean, rateUnit: '/s per core', baseline: true },
      ],
    });
  }
  const byConnections = new Map<number, ChartRow[]>();
  for (const row of results.http ?? []) {
    const rows = byConnections.get(row.connections) ?? [];
    rows.push({
      label: row.label,
      p50Ms: row.load?.latencyMs.p50,
      p99Ms: row.load?.latencyMs.p99,
      rate: row.load?.rps,
      rateUnit: 'rps',
      baseline: !row.label.startsWith('wasmlet'),
    });
    byConnections.set(row.connections, rows);
  }
  for (const [connections, rows] of byConnections) groups.push({ title: `3. HTTP at ${connections} connection${connections === 1 ? '' : 's'} (latency in whole ms)`, rows });
  if (results.queue) {
    groups.push({
      title: '4. durable queue',
      rows: [
        ...results.queue.drain.map((row) => ({ label: `drain ${row.durability}: ${row.label}`, rate: row.messagesPerSecond, rateUnit: 'msg/s', baseline: row.label.startsWith('store only') })),
        ...results.queue.publish.map((row) => ({ label: `publish ${row.durability} (one by one)`, p50Ms: row.latencyMicros.p50 / 1000, p99Ms: row.latencyMicros.p99 / 1000 })),
      ],
    });
  }
  if (results.density) {
    const d = results.density;
    groups.push({
      title: `5. density: ${d.functions} functions on one host`,
      rows: [
        { label: 'deploy (POST -> answered)', p50Ms: d.deployMs.p50, p99Ms: d.deployMs.p99, rate: d.functions / d.deploySeconds, rateUnit: 'deploys/s' },
        { label: 'first call to a function', p50Ms: d.firstCallMs.p50, p99Ms: d.firstCallMs.p99 },
        { label: 'second call (warm)', p50Ms: d.secondCallMs.p50, p99Ms: d.secondCallMs.p99, baseline: true },
      ],
    });
  }
  if (results.outbound) {
    const { direct, guest, subrequests } = results.outbound;
    groups.push({
      title: `6. outbound HTTP: one more request (slope of ${subrequests} vs 1)`,
      rows: [
        { label: 'guest subrequest (fx-outbound via host)', p50Ms: guest.perRequestMicros.p50 / 1000, p99Ms: guest.perRequestMicros.p99 / 1000 },
        { label: 'undici direct (main thread)', p50Ms: direct.perRequestMicros.p50 / 1000, p99Ms: direct.perRequestMicros.p99 / 1000, baseline: true },
      ],
    });
  }
  if (results.waiting) {
    const w = results.waiting;
    groups.push({
      title: `7. waiting: ${w.concurrency} calls on a ${w.upstreamMs} ms upstream; a CPU-bound function beside them`,
      rows: [
        { label: `${w.concurrency} waiting, cold round`, p50Ms: w.cold.latencyMs.p50, p99Ms: w.cold.latencyMs.p99, rate: w.concurrency / (w.cold.wallMs / 1000), rateUnit: 'calls/s' },
        { label: `${w.concurrency} waiting, steady rounds`, p50Ms: w.steady.latencyMs.p50, p99Ms: w.steady.latencyMs.p99, rate: w.concurrency / (w.steady.wallMs.p50 / 1000), rateUnit: 'calls/s' },
        { label: 'cpu-bound beside the waiting load', p50Ms: w.cpuBound.besideWaiting.latencyMs.p50, p99Ms: w.cpuBound.besideWaiting.latencyMs.p99 },
        { label: 'cpu-bound alone', p50Ms: w.cpuBound.alone.latencyMs.p50, p99Ms: w.cpuBound.alone.latencyMs.p99, baseline: true },
      ],
    });
  }
  return groups.filter((group) => group.rows.length > 0);
}

export function renderChart(results: BenchResults): string {
  const m = results.machine;
  return renderGroupsChart({
    title: `wasmlet bench ${results.startedAt}${results.run.quick ? '  (--quick: not for quoting)' : ''}`,
    subtitle: `node ${m.node}, ${m.cpuCount}× ${m.cpuModel}, ${m.gitCommit?.slice(0, 10) ?? 'unknown commit'}${m.gitDirty ? ' + changes' : ''}; each group's baselines in grey, measured in the same run`,
    groups: chartGroups(results),
  });
}
