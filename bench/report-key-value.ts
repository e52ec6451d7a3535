// Text table and warnings of scenario 8 (key-value get/set from a guest against the direct SQLite
// calls), kept apart from report.ts, which calls these.
import type { KeyValueBenchOptions, KeyValueBenchResult, KeyValueOperationResult } from './scenarios/key-value.js';
import { ratio } from '../src/benchmark/stats.js';
import { fixed, percent, textTable, times } from '../src/benchmark/text-table.js';

export type KeyValueConfig = Omit<KeyValueBenchOptions, 'workers' | 'workDir'>;

/** Section 8: per-operation cost, direct SQLite against the guest through the host, get and set. */
export function renderKeyValue(result: KeyValueBenchResult, config: KeyValueConfig): string[] {
  const n = result.operations;
  const rows = (operation: 'get' | 'set', sides: KeyValueOperationResult) => {
    const { direct, guest } = sides;
    return [
      [`${operation} direct (SQLite)`, fixed(direct.perOpMicros.p50, 1), fixed(direct.perOpMicros.p99, 1), '1.0×', '1.0×', fixed(direct.singleOpMicros.p50, 1), fixed(direct.singleOpMicros.p99, 1)],
      [
        `${operation} guest (fx-kv-probe)`,
        fixed(guest.perOpMicros.p50, 1),
        fixed(guest.perOpMicros.p99, 1),
        times(ratio(guest.perOpMicros.p50, direct.perOpMicros.p50)),
        times(ratio(guest.perOpMicros.p99, direct.perOpMicros.p99)),
        '',
        '',
      ],
    ];
  };
  return [
    `8. key-value: the cost of one more get or set, µs (n=${config.pairs} pairs per side and operation after ${config.warmupPairs} warm-up, alternating blocks of ${config.blockPairs})`,
    `   per pair: (t(${n} operations) - t(1)) / ${n - 1}; one key holding ${result.valueBytes} bytes; set writes the same bytes again.`,
    '   direct = SqliteKeyValueStore.get/set awaited on the main thread (WAL, synchronous=NORMAL), the baseline;',
    `   guest = fx-kv-probe (JS SDK openStore) on an in-process host: invocations with n=${n} and n=1 operations`,
    '   (guest -> worker HostLink -> main thread KeyValueHost -> the same SQLite store, and back).',
    textTable(
      ['operation', 'per op p50', 'p99', 'p50 × direct', 'p99 × direct', 'direct alone p50', 'alone p99'],
      [...rows('get', result.get), ...rows('set', result.set)],
    ),
    `   others' CPU during the measurement: ${percent(result.cpu.others)}.`,
  ];
}

export function keyValueWarnings(result: KeyValueBenchResult | undefined, othersCpuLimit: number): string[] {
  if (!result) return [];
  const warnings: string[] = [];
  if (result.failures > 0) warnings.push(`key-value: ${result.failures} runs did not answer as expected (first: ${result.firstFailure})`);
  if (result.cpu.others > othersCpuLimit) warnings.push(`key-value: other processes used ${percent(result.cpu.others)} of the CPU while measuring`);
  return warnings;
}
