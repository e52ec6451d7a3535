// A breaker per function: when its calls keep costing a worker — a deadline that kills and
// replaces the thread, a crash that takes the thread down — further calls are refused at once (503
// with Retry-After) for a cool-down instead. A trap that ends only its instance costs no worker and
// does not count. After the cool-down one call is let through; its success closes the breaker.

/** Consecutive calls that cost a worker (deadline, crash) that open the breaker. */
export const breakerFailureThreshold = 5;
/** How long an open breaker refuses calls before letting one through to probe. */
export const breakerCoolDownMs = 5_000;

interface BreakerState {
  failures: number;
  /** `now()` until which calls are refused; undefined while closed. */
  openUntil: number | undefined;
  /** A probe call is running after the cool-down: others still wait for its verdict. */
  probing: boolean;
}

export class CircuitBreakers {
  readonly #states = new Map<string, BreakerState>();
  readonly #now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** Undefined when a call of `functionName` may run now; else the seconds to tell the caller to wait. */
  refusal(functionName: string): number | undefined {
    const state = this.#states.get(functionName);
    if (!state || state.openUntil === undefined) return undefined;
    const remaining = state.openUntil - this.#now();
    if (remaining > 0 || state.probing) return Math.max(1, Math.ceil(remaining / 1000));
    state.probing = true; // half-open: this call is the probe
    return undefined;
  }

  /** A call of `functionName` ended: `costWorker` when its thread had to be killed or died. */
  record(functionName: string, costWorker: boolean): void {
    const failed = costWorker;
    let state = this.#states.get(functionName);
    if (!failed) {
      if (state) this.#states.delete(functionName); // closed again (and the map stays small)
      return;
    }
    if (!state) {
      state = { failures: 0, openUntil: undefined, probing: false };
      this.#states.set(functionName, state);
    }
    state.failures++;
    if (state.probing || state.failures >= breakerFailureThreshold) {
      state.openUntil = this.#now() + breakerCoolDownMs;
      state.probing = false;
    }
  }
}
