// The two signs that a measurement on a shared machine is suspect, with one wording for every bench:
// other processes used the CPUs meanwhile, or a baseline measured twice in the same run moved.
import { ratio } from './stats.js';
import { percent } from './text-table.js';

/** Other processes using more than this share of all cores' time make a measurement suspect. */
export const othersCpuLimit = 0.1;
/** A baseline's two runs differing by more than this fraction means the machine's speed moved. */
export const baselineDriftLimit = 0.1;

/** `<label>: other processes used 23% of the CPUs meanwhile`, or undefined under the limit (or unknown). */
export function othersCpuWarning(label: string, othersShare: number): string | undefined {
  return othersShare > othersCpuLimit ? `${label}: other processes used ${percent(othersShare)} of the CPUs meanwhile` : undefined;
}

/** How far a repeated measurement moved from the first (0.12 = 12%); NaN when either is missing. */
export function baselineDrift(first: number | undefined, again: number | undefined): number {
  return Math.abs(ratio(again, first) - 1);
}

/** `<what> moved 14% between the first and last run: <consequence>`, or undefined within the limit. */
export function baselineDriftWarning(what: string, first: number | undefined, again: number | undefined, consequence: string): string | undefined {
  const drift = baselineDrift(first, again);
  return drift > baselineDriftLimit ? `${what} moved ${(drift * 100).toFixed(0)}% between the first and last run: ${consequence}` : undefined;
}
