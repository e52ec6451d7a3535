// Stuck guests: a guest computing for more than `stuckComputingMs` without pausing (a loop, a long
// job) lends its compute slot as an overflow slot to other functions, so they slow down instead of
// stopping (worker-pool.ts). This finds them, and pumps the scheduler again when the earliest
// computing guest turns stuck while work waits.
import type { Slot } from './pool-slot.js';
import { stuckComputingMs } from './worker-pool-options.js';

/** Computing slots whose guest has not paused for `stuckComputingMs`, and their functions. */
export function stuckFunctions(slots: readonly Slot[], now: number): { count: number; functions: Set<string> } {
  const functions = new Set<string>();
  let count = 0;
  for (const slot of slots) {
    if (slot.state !== 'computing' || !slot.running || now - slot.computingSince < stuckComputingMs) continue;
    count++;
    functions.add(slot.running.functionName);
  }
  return { count, functions };
}

/** One timer at a time that re-runs the pump when the earliest computing guest turns stuck. */
export class StuckWatch {
  readonly #pump: () => void;
  #timer: NodeJS.Timeout | undefined;

  constructor(pump: () => void) {
    this.#pump = pump;
  }

  /** Call with work queued and every slot busy: the pump runs again when a computing guest turns stuck. */
  watch(slots: readonly Slot[]): void {
    if (this.#timer) return;
    let earliest = Infinity;
    for (const slot of slots) if (slot.state === 'computing') earliest = Math.min(earliest, slot.computingSince);
    if (earliest === Infinity) return;
    const dueInMs = Math.max(0, earliest + stuckComputingMs - performance.now()) + 1;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#pump();
    }, dueInMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
