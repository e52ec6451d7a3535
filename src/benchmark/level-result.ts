// Folds the blocks (rounds) one configuration ran at one concurrency into its LevelResult.
import type { LevelResult } from './bench-result.js';
import { LatencyHistogram } from './latency-histogram.js';
import type { LoadResult } from './load-protocol.js';

/** What one block measured, beside the load generator's own result. */
export interface BlockMeasurement {
  readonly round: number;
  readonly load: LoadResult;
  readonly warmup: LoadResult;
  /** Host CPU used during the measured part, µs; undefined when the host's CPU is not known. */
  readonly hostCpuMicros: number | undefined;
  readonly hostRssBytes: number | undefined;
  readonly loadGeneratorCpuShare: number;
  readonly othersCpuShare: number;
}

/** A level reached this fraction above the best lower level's throughput still scales. */
export const scalingThreshold = 1.1;

export function levelResult(connections: number, blocks: readonly BlockMeasurement[], bestLowerRps: number | undefined): LevelResult {
  const histogram = new LatencyHistogram();
  const statuses: Record<string, number> = {};
  const outcomes: Record<string, number> = {};
  const errors = new Set<string>();
  let requests = 0;
  let seconds = 0;
  let warmRequests = 0;
  let warmSeconds = 0;
  let hostCpu: number | undefined = 0;
  let rss: number | undefined;
  let loadShare = 0;
  let othersShare = 0;
  for (const block of blocks) {
    const { load } = block;
    histogram.merge(load.histogram);
    add(statuses, load.statuses);
    add(outcomes, load.outcomes);
    load.transportErrors.forEach((e) => errors.add(e));
    requests += load.requests;
    const blockSeconds = load.elapsedMs / 1000;
    seconds += blockSeconds;
    warmRequests += block.warmup.requests;
    warmSeconds += block.warmup.elapsedMs / 1000;
    hostCpu = hostCpu === undefined || block.hostCpuMicros === undefined ? undefined : hostCpu + block.hostCpuMicros;
    if (block.hostRssBytes !== undefined) rss = Math.max(rss ?? 0, block.hostRssBytes);
    loadShare += block.loadGeneratorCpuShare * blockSeconds;
    othersShare += block.othersCpuShare * blockSeconds;
  }
  const rps = seconds > 0 ? requests / seconds : 0;
  const failed = requests - (outcomes.ok ?? 0);
  const saturated = requests > 0 && (failed > 0 || (bestLowerRps !== undefined && rps < bestLowerRps * scalingThreshold));
  return {
    connections,
    requests,
    seconds,
    rps,
    latencyMicros: histogram.summary(),
    histogram: histogram.toJson(),
    statuses,
    outcomes,
    transportErrors: [...errors].slice(0, 5),
    warmup: { requests: warmRequests, seconds: warmSeconds },
    blocks: blocks.map((b) => ({
      round: b.round,
      requests: b.load.requests,
      rps: b.load.elapsedMs > 0 ? b.load.requests / (b.load.elapsedMs / 1000) : 0,
      p50Micros: LatencyHistogram.fromJson(b.load.histogram).percentile(50),
    })),
    hostCpuMicrosPerRequest: hostCpu === undefined || requests === 0 || blocks.length === 0 ? null : hostCpu / requests,
    hostRssBytes: rss ?? null,
    loadGeneratorCpuShare: seconds > 0 ? loadShare / seconds : NaN,
    othersCpuShare: seconds > 0 ? othersShare / seconds : NaN,
    saturated,
    interrupted: blocks.some((b) => b.load.interrupted || b.warmup.interrupted),
  };
}

function add(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const [key, count] of Object.entries(from)) into[key] = (into[key] ?? 0) + count;
}
