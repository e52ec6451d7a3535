// `wasmlet queue stats`: the queues' counts as an aligned table, ages as people say them.
import type { QueueStats, QueueStatsBody } from '../../client/api-types.js';
import { alignColumns } from './function-table.js';

const header = ['QUEUE', 'VISIBLE', 'IN-FLIGHT', 'DELAYED', 'OLDEST'];

/** Every queue (`GET /v1/queues`). */
export function queueTable(queues: ReadonlyArray<{ readonly queue: string } & QueueStats>): string {
  if (queues.length === 0) return 'no queues hold messages\n';
  return alignColumns([header, ...queues.map(countCells)]);
}

/** One queue (`GET /v1/queues/{queue}`), with the function consuming it (`-` for none). */
export function queueStatsTable(stats: QueueStatsBody): string {
  return alignColumns([
    [...header, 'CONSUMER'],
    [...countCells(stats), stats.consumer ?? '-'],
  ]);
}

/**
 * The age of the oldest message, two units at most: `850 ms`, `42 s`, `3 min 5 s`, `2 h 5 min`,
 * `3 d 4 h`; `-` for an empty queue.
 */
export function formatAge(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const units: Array<[string, number]> = [
    ['d', 86_400],
    ['h', 3_600],
    ['min', 60],
    ['s', 1],
  ];
  const seconds = Math.floor(ms / 1000);
  const first = units.findIndex(([, size]) => seconds >= size);
  const [bigName, bigSize] = units[first]!;
  const big = `${Math.floor(seconds / bigSize)} ${bigName}`;
  const next = units[first + 1];
  if (!next) return big;
  const small = Math.floor((seconds % bigSize) / next[1]);
  return small === 0 ? big : `${big} ${small} ${next[0]}`;
}

function countCells(stats: { readonly queue: string } & QueueStats): string[] {
  return [stats.queue, String(stats.visible), String(stats.inFlight), String(stats.delayed), formatAge(stats.oldestAgeMs)];
}
