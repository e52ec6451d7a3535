// A latency histogram with log-spaced bins (four per doubling) and the percentile math of the
// console's charts. Fixed size whatever the traffic, so a minute of a busy function costs the
// same memory as a minute of an idle one.

/** The lowest bin's upper bound: below it everything lands in bin 0 (a hello call is ~0.2 ms). */
export const smallestBinMs = 0.01;
/** Bins per doubling: neighbouring bounds differ by 2^(1/4) ≈ 19 %, so a percentile is off by at most that, less after interpolation. */
export const binsPerDoubling = 4;
/** 28 doublings above 0.01 ms reach ~44 min, past any deadline a function can set. */
const binCount = 28 * binsPerDoubling + 1;
const log2Step = 1 / binsPerDoubling;

/** Upper bound (ms) of bin `i`; the last bin is unbounded. */
export function binUpperMs(i: number): number {
  return smallestBinMs * 2 ** (i * log2Step);
}

function binOf(ms: number): number {
  if (!(ms > smallestBinMs)) return 0; // also NaN and negatives: a clock step never throws here
  return Math.min(binCount - 1, Math.ceil(Math.log2(ms / smallestBinMs) / log2Step));
}

export class LatencyHistogram {
  readonly #bins = new Uint32Array(binCount);
  #count = 0;
  #minMs = Infinity;
  #maxMs = -Infinity;

  get count(): number {
    return this.#count;
  }

  record(ms: number): void {
    this.#bins[binOf(ms)]!++;
    this.#count++;
    if (ms < this.#minMs) this.#minMs = ms;
    if (ms > this.#maxMs) this.#maxMs = ms;
  }

  /**
   * The `p`-quantile (0 < p ≤ 1) in ms, or null when empty: the bin holding the rank-th smallest
   * value, interpolated geometrically inside it and clamped to the values seen (so one sample, or
   * all-equal samples, come back exact).
   */
  percentile(p: number): number | null {
    if (this.#count === 0) return null;
    const rank = Math.max(1, Math.ceil(p * this.#count));
    let below = 0;
    for (let i = 0; i < binCount; i++) {
      const inBin = this.#bins[i]!;
      if (below + inBin < rank) {
        below += inBin;
        continue;
      }
      const lower = i === 0 ? Math.min(this.#minMs, smallestBinMs) : binUpperMs(i - 1);
      const upper = i === binCount - 1 ? this.#maxMs : binUpperMs(i);
      const fraction = (rank - below) / inBin;
      const estimate = lower > 0 ? lower * (upper / lower) ** fraction : lower + (upper - lower) * fraction;
      return Math.min(this.#maxMs, Math.max(this.#minMs, estimate));
    }
    return this.#maxMs;
  }
}
