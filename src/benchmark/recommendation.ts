// The one-line recommendation of `wasmlet bench <target>`, with its reason: which configuration to
// pick (or to keep the baseline), from the latency at one connection and the peak throughput.
import type { ConfigurationResult } from './bench-result.js';
import { isolationNote, type Vary } from './bench-settings.js';
import { ratio } from './stats.js';
import { times } from './text-table.js';

/** Differences below this are not worth a change (and are often the machine's noise). */
const meaningful = 1.1;

export interface Recommendation {
  readonly configuration: string;
  readonly text: string;
}

/**
 * `noisy`: other processes used the machine meanwhile (a warning said so): the text says to read it with care.
 * @example recommend(result.configurations, parseVary('init_snapshot=false,true'))?.text // "init_snapshot = true: p50 2.90× lower, …"
 */
export function recommend(configs: readonly ConfigurationResult[], vary: Vary | null, noisy = false): Recommendation | null {
  const pick = recommendOn(configs, vary);
  return pick && noisy ? { ...pick, text: `${pick.text} (a busy machine: see the warnings, rerun before acting on small differences)` } : pick;
}

function recommendOn(configs: readonly ConfigurationResult[], vary: Vary | null): Recommendation | null {
  const measured = configs.filter((c) => p50AtOne(c) !== undefined && c.peak !== null);
  if (measured.length === 0) return null;
  if (configs.length === 1) return single(measured[0]!);
  const base = configs[0]!;
  if (!measured.includes(base)) return null;
  if (vary?.key === 'memory_mb') return leastMemory(measured, vary);
  // Latencies within 10% of the lowest are a tie, decided by peak throughput.
  const lowest = Math.min(...measured.map((c) => p50AtOne(c)!));
  const fastest = measured.filter((c) => p50AtOne(c)! <= lowest * meaningful).sort((a, b) => b.peak!.rps - a.peak!.rps)[0]!;
  const lower = ratio(p50AtOne(base), p50AtOne(fastest));
  const higher = ratio(fastest.peak!.rps, base.peak!.rps);
  if (fastest === base || (lower < meaningful && higher < meaningful)) {
    const other = measured.find((c) => c !== base) ?? base;
    return {
      configuration: base.label,
      text: `keep ${base.label}: no configuration was ${Math.round((meaningful - 1) * 100)}% faster (${other.label}: p50 at 1 connection ${times(ratio(p50AtOne(other), p50AtOne(base)))}, peak throughput ${times(ratio(other.peak!.rps, base.peak!.rps))})`,
    };
  }
  // Host CPU per call moves least when the machine is shared: said when the host's CPU was measured.
  const cpu = ratio(cpuAtOne(base), cpuAtOne(fastest));
  const reasons = [compared('p50', lower, 'lower', 'higher'), compared('peak throughput', higher, 'higher', 'lower')];
  if (Number.isFinite(cpu)) reasons.push(compared('host CPU per call', cpu, 'lower', 'higher'));
  const note = vary ? isolationNote(vary.key, vary.values[configs.indexOf(fastest)]!) : undefined;
  // Lower latency with clearly less throughput (or the reverse) is no clear win: say so rather than pick.
  const mixed = higher * meaningful < 1 && lower >= meaningful ? '; but its peak throughput is lower: the two disagree' : '';
  return { configuration: fastest.label, text: `${fastest.label}: ${[...reasons, ...(note ? [note] : [])].join(', ')}${mixed}` };
}

/** Lambda Power Tuning's question: the least memory within 10% of the fastest. */
function leastMemory(measured: readonly ConfigurationResult[], vary: Vary): Recommendation {
  const bestP50 = Math.min(...measured.map((c) => p50AtOne(c)!));
  const bestRps = Math.max(...measured.map((c) => c.peak!.rps));
  const good = measured.filter((c) => p50AtOne(c)! <= bestP50 * meaningful && c.peak!.rps * meaningful >= bestRps);
  const pick = [...(good.length > 0 ? good : measured)].sort((a, b) => (a.settings.memory_mb ?? 0) - (b.settings.memory_mb ?? 0))[0]!;
  const value = vary.values[measured.indexOf(pick)] ?? pick.settings.memory_mb;
  const smallest = Math.min(...measured.map((c) => c.settings.memory_mb ?? Infinity));
  const why =
    pick.settings.memory_mb === smallest
      ? `the least memory, within ${Math.round((meaningful - 1) * 100)}% of the fastest`
      : `less memory was over ${Math.round((meaningful - 1) * 100)}% slower`;
  return {
    configuration: pick.label,
    text: `${pick.label}: ${why} (p50 at 1 connection ${times(ratio(p50AtOne(pick), bestP50))} the best, peak ${times(ratio(pick.peak!.rps, bestRps))} the best); ${isolationNote('memory_mb', value as number)}`,
  };
}

function single(config: ConfigurationResult): Recommendation {
  const peak = config.peak!;
  const text =
    config.saturatedAt !== null
      ? `${config.label}: saturates at ${config.saturatedAt} connections; peak ${Math.round(peak.rps)} calls/s at ${peak.connections}: more concurrency only queues`
      : `${config.label}: still scaling at ${peak.connections} connections (${Math.round(peak.rps)} calls/s): raise --connections to find its limit`;
  return { configuration: config.label, text };
}

/** The median latency at one connection (the first level), µs. */
export function p50AtOne(config: ConfigurationResult): number | undefined {
  const level = config.levels.find((l) => l.connections === 1 && l.requests > 0);
  return level ? level.latencyMicros.p50 : undefined;
}

/** Host CPU per call at one connection, µs, when the host's CPU was measured. */
function cpuAtOne(config: ConfigurationResult): number | undefined {
  return config.levels.find((l) => l.connections === 1 && l.requests > 0)?.hostCpuMicrosPerRequest ?? undefined;
}

/** `p50 2.90× lower` for a factor in the better direction, `… 1.30× higher` in the worse, `the same p50 (within 10%)` between. */
function compared(what: string, better: number, betterWord: string, worseWord: string): string {
  if (better >= meaningful) return `${what} ${times(better)} ${betterWord}`;
  if (better * meaningful <= 1) return `${what} ${times(1 / better)} ${worseWord}`;
  return `the same ${what} (within ${Math.round((meaningful - 1) * 100)}%)`;
}
