// Text table of scenario 11 (upload -> thumbnail latency), kept apart from report.ts, which calls it.
import type { ThumbnailBenchOptions, ThumbnailBenchResult } from './scenarios/thumbnail-latency.js';
import { fixed, percent, textTable } from '../src/benchmark/text-table.js';

export type ThumbnailConfig = Omit<ThumbnailBenchOptions, 'workDir'>;

export function renderThumbnail(result: ThumbnailBenchResult, config: ThumbnailConfig): string[] {
  const { photo, thumbnail } = result;
  const p50 = (target: string) => result.rows.find((r) => r.target === target)?.latencyMs.p50 ?? NaN;
  const eventPath = p50('upload -> thumbnail') - p50('PutObject alone') - p50('POST /thumbnail');
  return [
    `11. thumbnail: examples/thumbnail-on-upload, one upload at a time (${config.uploads} per side after ${config.warmup} warm-up, blocks of ${config.blockSize} alternating, ${config.workers} workers)`,
    `   upload -> thumbnail = PutObject of a ${photo.width}x${photo.height} JPEG (${fixed(photo.bytes / 1024)} KiB) through the S3 endpoint until a GET of its ${thumbnail.width}x${thumbnail.height} PNG succeeds (polled every ${config.pollIntervalMs} ms);`,
    '   PutObject alone = the same upload to a bucket no function watches; POST /thumbnail = the same stb work on the same bytes in examples/thumbnail.',
    textTable(
      ['target', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
      result.rows.map((row) => [row.target, fixed(row.latencyMs.p50, 1), fixed(row.latencyMs.p90, 1), fixed(row.latencyMs.p99, 1), fixed(row.latencyMs.max, 1)]),
    ),
    `   the event path (outbox, relay, queue lease, the guest's read and write) adds ~${fixed(eventPath, 1)} ms at p50 to the two baselines' sum.` +
      ` others' CPU during the measurement: ${percent(result.cpu.others)}.` +
      (result.failures > 0 ? ` ${result.failures} operation(s) failed, first: ${result.firstFailure}` : ''),
  ];
}

export function thumbnailWarnings(result: ThumbnailBenchResult): string[] {
  return result.failures > 0 ? [`thumbnail: ${result.failures} operation(s) failed (first: ${result.firstFailure}); its numbers are suspect`] : [];
}
