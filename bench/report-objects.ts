// Text table of scenario 9 (PutObject/GetObject through the S3 endpoint against fs), kept apart from report.ts, which calls it.
import { label, type ObjectBenchOptions, type ObjectBenchResult } from './scenarios/object-throughput.js';
import { ratio } from '../src/benchmark/stats.js';
import { fixed, percent, textTable, times } from '../src/benchmark/text-table.js';

export type ObjectsConfig = Omit<ObjectBenchOptions, 'workDir'>;

export function renderObjects(result: ObjectBenchResult, config: ObjectsConfig): string[] {
  const baseline = (row: ObjectBenchResult['rows'][number], target: string) =>
    result.rows.find((r) => r.size === row.size && r.operation === row.operation && r.target === target)?.opsPerSecond;
  return [
    `9. objects: PutObject / GetObject through the S3 endpoint against fs, one request at a time (${config.blocks} alternating blocks per side; ops per block: ${config.sizes.map((s, i) => `${label(s)} ${config.opsPerBlock[i]}`).join(', ')})`,
    '   S3 endpoint = a host on loopback and the SigV4 client of `wasmlet objects` (undici; the SHA-256 of the body signed) in this one process;',
    '   the store hashes (SHA-256 for the name, MD5 for the ETag), syncs the file and its folder, then one SQLite commit (WAL, synchronous=NORMAL).',
    '   fs = writeFile / readFile of one file per op; fs durable = write + fsync + rename + fsync of the folder (the store\'s own file work).',
    textTable(
      ['size', 'op', 'target', 'ops/s', 'MB/s', 'p50 ms', 'p99 ms', '× fs', '× fs durable'],
      result.rows.map((row) => [
        label(row.size),
        row.operation,
        row.target,
        fixed(row.opsPerSecond, row.opsPerSecond < 100 ? 1 : 0),
        fixed(row.megabytesPerSecond, 1),
        fixed(row.latencyMs.p50, 2),
        fixed(row.latencyMs.p99, 2),
        times(ratio(row.opsPerSecond, baseline(row, 'fs'))),
        row.operation === 'put' ? times(ratio(row.opsPerSecond, baseline(row, 'fs durable'))) : '',
      ]),
    ),
    `   others' CPU during the measurement: ${percent(result.cpu.others)}. MB = MiB.`,
  ];
}
