// The bench's fast-path goals table (bench/report-fast-path-goals.ts): each goal's figure comes from
// the right row of this run, is judged against its target, and the "before" column reads the same
// figure from the previous results file, blank where that file lacks it (JSON's null for NaN included).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderFastPathGoals } from '../../bench/report-fast-path-goals.js';
import type { BenchResults } from '../../bench/report.js';

const summary = (p50: number, p99: number) => ({ n: 100, p50, p90: p50, p99, mean: p50, max: p99 });
const fresh = (example: string, memory: string, p50: number, p99: number) => ({ example, memory, totalMicros: summary(p50, p99) });
const http = (label: string, connections: number, rps: number, cpuMicros: number, p99VsBaseline: number | null) => ({
  label,
  connections,
  load: { rps },
  serverCpuMicrosPerRequest: cpuMicros,
  rpsVsBaseline: rps / 40_000,
  p99VsBaseline,
});

function results(rows: { fresh?: unknown[]; http?: unknown[] }, startedAt = '2026-12-07T00:00:00.000Z'): BenchResults {
  return {
    startedAt,
    machine: { gitCommit: '0123456789abcdef' },
    freshInstance: rows.fresh ? { floorMicros: summary(9, 20), rows: rows.fresh } : undefined,
    http: rows.http,
  } as unknown as BenchResults;
}

/** The table's row for `goal` as its cells. */
function row(lines: string[], goal: string): string[] {
  const line = lines.join('\n').split('\n').find((l) => l.startsWith(goal));
  assert.ok(line, `no row ${goal} in\n${lines.join('\n')}`);
  return line.slice(goal.length).trim().split(/\s{2,}/);
}

describe('the fast-path goals table', () => {
  test('the host-default row decides, targets are judged, and "before" comes from the previous run', () => {
    const now = results({
      fresh: [fresh('hello-c', 'recycled', 40, 100), fresh('hello-c', 'direct', 8, 30), fresh('hello-go', 'recycled', 900, 2000), fresh('hello-go', 'snapshot', 120, 900)],
      http: [http('wasmlet hello-rust', 16, 8000, 150, 2), http('workerd hello', 16, 10_000, 100, 1), http('wasmlet hello-c-http', 64, 7000, 180, 3), http('wasmtime serve hello-c-http', 64, 6000, 200, 1)],
    });
    const before = results({ fresh: [fresh('hello-c', 'recycled', 111, 300)], http: [http('wasmlet hello-rust', 16, 4000, 300, null)] }, '2026-11-28T00:00:00.000Z');
    const lines = renderFastPathGoals(now, before);
    assert.match(lines[0]!, /the previous run \(2026-11-28T00:00:00.000Z, 0123456789\)/);
    assert.deepEqual(row(lines, 'fresh instance + call p50, hello-c'), ['≤ 10 µs', '8 µs', 'yes', 'floor 9 µs (direct)', '111 µs']);
    assert.deepEqual(row(lines, 'fresh instance + call p50, hello-go'), ['≤ 100 µs', '120 µs', 'no', 'floor 9 µs (snapshot)', '–']);
    assert.deepEqual(row(lines, '/hello/rust 16 conns: server CPU/request ÷ workerd’s'), ['≤ 1×', '1.50×', 'no', '–']);
    assert.deepEqual(row(lines, '/hello/rust 16 conns: p99 ÷ node:http’s'), ['≤ 3×', '2.00×', 'yes', '–'], 'null in the previous file is no figure');
    assert.deepEqual(row(lines, 'hello-c-http 64 conns: rps ÷ wasmtime serve’s'), ['≥ 1×', '1.17×', 'yes', '–']);
    assert.ok(!lines.join('\n').includes('hello-python'), 'a goal whose rows did not run is left out');
    assert.ok(!lines.join('\n').includes('hello-c-http 16 conns'), 'nor one whose baseline did not run');
  });

  test('nothing at all when neither the fresh-instance nor the HTTP scenario ran', () => {
    assert.deepEqual(renderFastPathGoals(results({}), undefined), []);
  });
});
