// The host memory budget: how much guest linear memory may be live at once, all functions together.
// Each invocation on a thread (computing or waiting) reserves its function's `memory_mb` — the cap
// written into its memory, so the most it can touch — from dispatch until it is over. A call whose
// reservation does not fit waits in its function's queue (its deadline still runs), so `memory_mb`
// × running instances never exceeds the budget, whatever the callers do. Four calls of a 4 GiB
// function cannot take a 24 GiB host to swap: the fifth waits.
import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';

const mib = 1024 * 1024;

/**
 * Default budget: 60 % of the machine's memory (or of the cgroup's limit in a container), leaving
 * the rest to the host's own heap, the workers' V8 isolates, the page cache and the OS.
 */
export const defaultMemoryBudgetShare = 0.6;
/** Below this there is no room for even a default 128 MiB function next to the host itself. */
export const minMemoryBudgetMb = 128;

export class MemoryBudget {
  readonly budgetMb: number;
  #reservedMb = 0;
  #peakMb = 0;
  #refused = 0;

  constructor(budgetMb: number) {
    if (!Number.isFinite(budgetMb) || budgetMb < 1) throw new RangeError(`memory budget must be a positive number of MiB, got ${budgetMb}`);
    this.budgetMb = budgetMb;
  }

  /** MiB reserved by invocations on threads now. */
  get reservedMb(): number {
    return this.#reservedMb;
  }

  /** The most ever reserved at once (for tests and `/v1/host/stats`). */
  get peakMb(): number {
    return this.#peakMb;
  }

  /** Calls refused because their function alone is larger than the whole budget. */
  get refused(): number {
    return this.#refused;
  }

  /** Can a call of `memoryMb` ever run here? (No: its function is bigger than the budget.) */
  canEverFit(memoryMb: number): boolean {
    const fits = memoryMb <= this.budgetMb;
    if (!fits) this.#refused++;
    return fits;
  }

  fits(memoryMb: number): boolean {
    return this.#reservedMb + memoryMb <= this.budgetMb;
  }

  reserve(memoryMb: number): void {
    this.#reservedMb += memoryMb;
    if (this.#reservedMb > this.#peakMb) this.#peakMb = this.#reservedMb;
  }

  release(memoryMb: number): void {
    this.#reservedMb = Math.max(0, this.#reservedMb - memoryMb);
  }
}

/** The budget for this machine: a share of its memory, or of the cgroup (v2 or v1) limit when that is lower. */
export function defaultMemoryBudgetMb(): number {
  const machineMb = totalmem() / mib;
  const limitMb = Math.min(machineMb, cgroupLimitMb() ?? Infinity);
  return Math.max(minMemoryBudgetMb, Math.floor(limitMb * defaultMemoryBudgetShare));
}

function cgroupLimitMb(): number | undefined {
  for (const file of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    try {
      const text = readFileSync(file, 'utf8').trim();
      const bytes = Number(text);
      // "max" (v2) or a huge sentinel (v1: 2^63 rounded to pages) mean "no limit".
      if (Number.isFinite(bytes) && bytes > 0 && bytes < 2 ** 60) return bytes / mib;
    } catch {
      // not in a cgroup that limits memory, or not Linux
    }
  }
  return undefined;
}
