// Before/after of scenario 3 from several `--only http` runs of two builds, alternated in one
// session on a shared machine (B A A B …): per target and concurrency, the mean of each side's
// runs for rps, p50, p99 and server CPU µs/request, and after / before. Issue 13's A/B:
//
//   node dist/bench/compare-http-runs.js --before DIR [DIR…] --after DIR [DIR…]
//
// Each DIR is a run's `--out` directory (its <timestamp>.json; latest.json is skipped).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { textTable } from '../src/benchmark/text-table.js';
import type { ThroughputRow } from './scenarios/http-throughput.js';

interface RunFile {
  readonly http?: readonly ThroughputRow[];
  readonly machine: { readonly loadAverageAtStart: number; readonly gitCommit: string };
  readonly loadAverageAtEnd?: number;
}

/** The directories after `--before` (or `--after`) up to the next flag. */
const collect = (flag: 'before' | 'after'): string[] => {
  const out: string[] = [];
  let on = false;
  for (const arg of process.argv.slice(2)) {
    if (arg.startsWith('--')) on = arg === `--${flag}`;
    else if (on) out.push(arg);
  }
  return out;
};

async function load(dir: string): Promise<RunFile> {
  const name = (await readdir(dir)).find((file) => file.endsWith('.json') && file !== 'latest.json');
  if (!name) throw new Error(`no run JSON in ${dir}`);
  return JSON.parse(await readFile(join(dir, name), 'utf8')) as RunFile;
}

interface Figures {
  rps: number[];
  p50: number[];
  p99: number[];
  cpu: number[];
  others: number[];
}

function gather(runs: readonly RunFile[]): Map<string, Figures> {
  const byTarget = new Map<string, Figures>();
  for (const run of runs) {
    for (const row of run.http ?? []) {
      if (!row.load) continue;
      const key = `${row.label.replace(' (again)', '')}|${row.connections}`;
      const figures = byTarget.get(key) ?? { rps: [], p50: [], p99: [], cpu: [], others: [] };
      figures.rps.push(row.load.rps);
      figures.p50.push(row.load.latencyMs.p50);
      figures.p99.push(row.load.latencyMs.p99);
      figures.cpu.push(row.serverCpuMicrosPerRequest);
      figures.others.push(row.cpu?.others ?? NaN);
      byTarget.set(key, figures);
    }
  }
  return byTarget;
}

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

async function main(): Promise<void> {
  const beforeDirs = collect('before');
  const afterDirs = collect('after');
  if (beforeDirs.length === 0 || afterDirs.length === 0) throw new Error('usage: compare-http-runs --before DIR… --after DIR…');
  const before = await Promise.all(beforeDirs.map(load));
  const after = await Promise.all(afterDirs.map(load));
  const b = gather(before);
  const a = gather(after);
  const rows: string[][] = [];
  for (const [key, was] of b) {
    const now = a.get(key);
    if (!now) continue;
    const [label, connections] = key.split('|');
    const cell = (x: readonly number[], digits = 0) => mean(x).toFixed(digits);
    rows.push([
      label!,
      connections!,
      `${cell(was.rps)} → ${cell(now.rps)}`,
      `${(mean(now.rps) / mean(was.rps)).toFixed(2)}×`,
      `${cell(was.p50)} → ${cell(now.p50)}`,
      `${cell(was.p99)} → ${cell(now.p99)}`,
      `${cell(was.cpu)} → ${cell(now.cpu)}`,
      `${(mean(now.cpu) / mean(was.cpu)).toFixed(2)}×`,
      `${(mean(was.others) * 100).toFixed(0)}% / ${(mean(now.others) * 100).toFixed(0)}%`,
    ]);
  }
  console.log(`before: ${before.length} run(s) of ${before[0]!.machine.gitCommit.slice(0, 7)}; after: ${after.length} run(s) of ${after[0]!.machine.gitCommit.slice(0, 7)}`);
  console.log(`load average at the runs' starts: before ${before.map((r) => r.machine.loadAverageAtStart.toFixed(1)).join(', ')}; after ${after.map((r) => r.machine.loadAverageAtStart.toFixed(1)).join(', ')}`);
  console.log(textTable(['target', 'conns', 'rps before → after', 'rps ×', 'p50 ms', 'p99 ms', 'server CPU µs/req', 'CPU ×', "others' CPU b/a"], rows));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
