// Issue 13's goals, each as the figure it names from this run (sections 2 and 3), the target, the
// baseline it is a ratio to (from the same run) and the same figure from the previous run in the
// results directory ("before": latest.json as it was when this run started, or --previous FILE).
// A goal whose rows did not run here is left out.
import type { BenchResults } from './report.js';
import type { FreshInstanceResult, FreshInstanceRow } from './scenarios/fresh-instance.js';
import type { ThroughputRow } from './scenarios/http-throughput.js';
import { fixed, textTable, times } from '../src/benchmark/text-table.js';

interface Goal {
  readonly goal: string;
  readonly target: string;
  /** The figure in `results`, undefined when its rows did not run. */
  readonly figure: (results: BenchResults) => number | undefined;
  readonly met: (value: number) => boolean;
  /** The baseline of the same run the target is stated against, shown beside the figure. */
  readonly baseline?: (results: BenchResults) => string | undefined;
  readonly format: (value: number) => string;
}

/** The row the host would use by default: the direct path, else an init snapshot, else recycled memories on the glue. */
function hostDefaultRow(fresh: FreshInstanceResult | undefined, example: string): FreshInstanceRow | undefined {
  const rows = fresh?.rows.filter((row) => row.example === example) ?? [];
  for (const mode of ['direct', 'snapshot', 'recycled'] as const) {
    const row = rows.find((r) => r.memory === mode);
    if (row) return row;
  }
  return undefined;
}

function httpRow(results: BenchResults, label: string, connections: number): ThroughputRow | undefined {
  return results.http?.find((row) => row.label === label && row.connections === connections && row.load !== undefined);
}

const micros = (value: number): string => `${fixed(value)} µs`;

function freshGoals(example: string, targetMicros: number): Goal[] {
  const p50 = (r: BenchResults) => hostDefaultRow(r.freshInstance, example)?.totalMicros.p50;
  const floor = (r: BenchResults) => (r.freshInstance ? `floor ${fixed(r.freshInstance.floorMicros.p50)} µs (${hostDefaultRow(r.freshInstance, example)?.memory ?? '–'})` : undefined);
  return [
    { goal: `fresh instance + call p50, ${example}`, target: `≤ ${targetMicros} µs`, figure: p50, met: (v) => v <= targetMicros, baseline: floor, format: micros },
    {
      goal: `  its p99 / p50`,
      target: '≤ 5×',
      figure: (r) => {
        const row = hostDefaultRow(r.freshInstance, example);
        return row ? row.totalMicros.p99 / row.totalMicros.p50 : undefined;
      },
      met: (v) => v <= 5,
      format: (v) => times(v),
    },
  ];
}

function httpRatio(label: string, baseline: string, connections: number, of: (row: ThroughputRow) => number | undefined): (r: BenchResults) => number | undefined {
  return (r) => {
    const a = httpRow(r, label, connections);
    const b = httpRow(r, baseline, connections);
    const x = a && of(a);
    const y = b && of(b);
    return x !== undefined && y !== undefined && y > 0 ? x / y : undefined;
  };
}

const rps = (row: ThroughputRow) => row.load?.rps;
const cpu = (row: ThroughputRow) => row.serverCpuMicrosPerRequest;

const goals: readonly Goal[] = [
  ...freshGoals('hello-c', 10),
  ...freshGoals('hello-rust', 10),
  ...freshGoals('hello-go', 100),
  ...freshGoals('hello-js', 300),
  ...freshGoals('hello-python', 3000),
  { goal: '/hello/rust 16 conns: server CPU/request ÷ workerd’s', target: '≤ 1×', figure: httpRatio('wasmlet hello-rust', 'workerd hello', 16, cpu), met: (v) => v <= 1, format: times },
  { goal: '/hello/rust 16 conns: rps ÷ workerd’s', target: '≥ 1×', figure: httpRatio('wasmlet hello-rust', 'workerd hello', 16, rps), met: (v) => v >= 1, format: times },
  { goal: '/hello/rust 16 conns: p99 ÷ node:http’s', target: '≤ 3×', figure: (r) => httpRow(r, 'wasmlet hello-rust', 16)?.p99VsBaseline, met: (v) => v <= 3, format: times },
  { goal: '/hello/rust 16 conns: rps ÷ node:http’s', target: '≥ 0.6×', figure: (r) => httpRow(r, 'wasmlet hello-rust', 16)?.rpsVsBaseline, met: (v) => v >= 0.6, format: times },
  ...[1, 16, 64].flatMap((connections): Goal[] => [
    { goal: `hello-c-http ${connections} conns: rps ÷ wasmtime serve’s`, target: '≥ 1×', figure: httpRatio('wasmlet hello-c-http', 'wasmtime serve hello-c-http', connections, rps), met: (v) => v >= 1, format: times },
    { goal: `  CPU/request ÷ wasmtime serve’s`, target: '≤ 1×', figure: httpRatio('wasmlet hello-c-http', 'wasmtime serve hello-c-http', connections, cpu), met: (v) => v <= 1, format: times },
  ]),
];

/** A number to show; JSON turns NaN into null, and an older results file may lack a field. */
function finite(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The goals table, or nothing when neither section 2 nor section 3 ran. */
export function renderFastPathGoals(results: BenchResults, previous: BenchResults | undefined): string[] {
  const rows = goals.flatMap((goal) => {
    const value = finite(goal.figure(results));
    if (value === undefined) return [];
    const before = previous ? finite(goal.figure(previous)) : undefined;
    return [[goal.goal, goal.target, goal.format(value), goal.met(value) ? 'yes' : 'no', goal.baseline?.(results) ?? '', before === undefined ? '–' : goal.format(before)]];
  });
  if (rows.length === 0) return [];
  const since = previous ? `the previous run (${previous.startedAt}${previous.machine.gitCommit ? `, ${previous.machine.gitCommit.slice(0, 10)}` : ''})` : 'no previous run';
  return [
    `Fast-path goals (issue 13), this run against its own baselines; "before" = ${since}.`,
    textTable(['goal', 'target', 'now', 'met', 'baseline (this run)', 'before'], rows),
  ];
}
