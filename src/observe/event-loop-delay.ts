// The host's event-loop delay as the console shows it: p99 over the last complete window (or the
// current one, before the first window ends). Node's own histogram (perf_hooks), sampled every
// `resolutionMs`, costs nothing on the request path.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** The sampling timer's period: Node's default, small enough to see a 20 ms stall. */
const resolutionMs = 10;
/** The p99 covers about the last minute: long enough to hold a spike, short enough to show it pass. */
export const eventLoopWindowMs = 60_000;

export class EventLoopDelay {
  readonly #histogram: IntervalHistogram;
  readonly #now: () => number;
  #windowStartedAt: number;
  #lastWindowP99Ms: number | undefined;

  constructor(now: () => number = Date.now) {
    this.#now = now;
    this.#histogram = monitorEventLoopDelay({ resolution: resolutionMs });
    this.#histogram.enable();
    this.#windowStartedAt = now();
  }

  /** p99 of the delay in ms (0 before any sample). */
  p99Ms(): number {
    if (this.#now() - this.#windowStartedAt >= eventLoopWindowMs) {
      this.#lastWindowP99Ms = this.#currentP99Ms();
      this.#histogram.reset();
      this.#windowStartedAt = this.#now();
    }
    return this.#lastWindowP99Ms ?? this.#currentP99Ms();
  }

  close(): void {
    this.#histogram.disable();
  }

  #currentP99Ms(): number {
    // The histogram is in ns; the timer's own period is part of every sample's reading, not delay.
    return this.#histogram.count === 0 ? 0 : Math.max(0, this.#histogram.percentile(99) / 1e6 - resolutionMs);
  }
}
