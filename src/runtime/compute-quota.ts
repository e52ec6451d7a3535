// A compute quota for long-running functions while the host is contended. Fair queueing orders
// turns, but a function whose every call computes for tens of milliseconds (a loop cut by its
// deadline, a memory bomb, a heavy job) still takes a slot whenever one is free at that instant,
// and holds it for the whole call: on a 2-slot host a healthy function's calls then wait behind it
// and it gets a fraction of its throughput. So, while a call of another function has arrived
// recently, a function whose calls are long:
// - computes on at most half of the slots (at least one), and
// - starts a call only while its compute balance is positive: the balance refills at
//   `contendedCoreShare` of the slots' time and each call is charged what it computed, so over
//   any second it gets about that share of the cores, however long each call is.
// Alone on the host (no other function's call for `contendedWindowMs`) it is not limited at all:
// the quota never leaves a core idle for nothing. Short calls (the common case) are never limited:
// they free their slot before anyone waits long for it.

/**
 * A function whose calls compute this long on average counts as long-running. Well above what a
 * short call can be made to look like on a busy host (the pool measures a call in the worker; see
 * `callEnded`), well below a memory bomb's or a deadline-cut loop's.
 */
export const longCallMs = 10;
/** A call of another function arrived this recently: the host is contended. */
export const contendedWindowMs = 1_000;
/** A long-running function's share of all slots' time while contended (0.2 of 2 slots = 0.4 of a core). */
export const contendedCoreShare = 0.2;
/** Credit a long-running function may bank while idle (ms of compute): bounds its burst. */
const maxBalanceMs = 100;
/**
 * A response's bytes cost the main thread (copied from the worker, written to the socket) about
 * this much per MiB; charged like compute, so a function answering 16 MiB per call is long-running
 * even though its guest computes little.
 */
export const responseMsPerMebibyte = 2;
/** Weight of the newest call in a function's mean call length. */
const meanWeight = 0.3;

interface FunctionQuota {
  /** Calls that ended: until one has, nothing is known of its length. */
  calls: number;
  meanCallMs: number;
  balanceMs: number;
  refilledAt: number;
  computing: number;
}

/** The last two distinct functions a call arrived for, newest first: enough to tell "someone else". */
interface RecentStart {
  readonly functionName: string;
  at: number;
}

export class ComputeQuota {
  readonly #slots: number;
  readonly #functions = new Map<string, FunctionQuota>();
  readonly #recent: RecentStart[] = [];

  constructor(slots: number) {
    this.#slots = slots;
  }

  /**
   * May `functionName` start a call now? `undefined` when it may; otherwise how many ms until its
   * balance is positive again (0 when it waits for one of its own calls to end instead).
   */
  waitBeforeStart(functionName: string, now: number): number | undefined {
    const quota = this.#functions.get(functionName);
    // The common case first: a short function is never held back, contended or not.
    if (!quota || (quota.calls > 0 && quota.meanCallMs < longCallMs) || !this.#contended(functionName, now)) return undefined;
    // A function none of whose calls has ended yet may be long (two 59 s jobs arriving together):
    // it too keeps to half the slots until one ends.
    const halfSlots = Math.max(1, Math.floor(this.#slots / 2));
    if (quota.computing >= halfSlots) return 0;
    if (quota.calls === 0) return undefined;
    this.#refill(quota, now);
    if (quota.balanceMs > 0) return undefined;
    return Math.ceil(-quota.balanceMs / this.#rate) + 1;
  }

  /** Its calls have ended, and took under `ms` on average (the pool hands such a function's calls ahead). */
  callsShorterThan(functionName: string, ms: number): boolean {
    const quota = this.#functions.get(functionName);
    return quota !== undefined && quota.calls > 0 && quota.meanCallMs < ms;
  }

  /** A call of `functionName` arrived: it wants the host (contention starts with wanting, not running). */
  arrived(functionName: string, now: number): void {
    const [newest] = this.#recent;
    if (newest?.functionName === functionName) {
      newest.at = now;
      return;
    }
    this.#recent.unshift({ functionName, at: now });
    this.#recent.length = Math.min(this.#recent.length, 2);
  }

  /** A call of `functionName` started computing (dispatched or woken). */
  started(functionName: string, now: number): void {
    this.#quotaOf(functionName, now).computing++;
  }

  /** It stopped computing (it waits, or it is over). */
  stopped(functionName: string, now: number): void {
    const quota = this.#quotaOf(functionName, now);
    quota.computing = Math.max(0, quota.computing - 1);
  }

  /**
   * A call is over: it computed `computedMs` in all and answered `responseBytes`. Both are charged
   * to its balance and move the function's mean call length. The caller measures `computedMs` in
   * the worker when it can: seen from a busy main thread, a 50 µs call can take milliseconds.
   */
  callEnded(functionName: string, computedMs: number, now: number, responseBytes = 0): void {
    const quota = this.#quotaOf(functionName, now);
    const callMs = computedMs + (responseBytes / (1024 * 1024)) * responseMsPerMebibyte;
    this.#refill(quota, now);
    quota.balanceMs -= callMs;
    quota.meanCallMs = quota.calls === 0 ? callMs : quota.meanCallMs + meanWeight * (callMs - quota.meanCallMs);
    quota.calls++;
  }

  /** ms of compute credited per ms of wall time. */
  get #rate(): number {
    return this.#slots * contendedCoreShare;
  }

  #quotaOf(functionName: string, now: number): FunctionQuota {
    let quota = this.#functions.get(functionName);
    if (!quota) {
      quota = { calls: 0, meanCallMs: 0, balanceMs: maxBalanceMs, refilledAt: now, computing: 0 };
      this.#functions.set(functionName, quota);
    }
    return quota;
  }

  #refill(quota: FunctionQuota, now: number): void {
    quota.balanceMs = Math.min(maxBalanceMs, quota.balanceMs + (now - quota.refilledAt) * this.#rate);
    quota.refilledAt = now;
  }

  #contended(functionName: string, now: number): boolean {
    return this.#recent.some((start) => start.functionName !== functionName && now - start.at < contendedWindowMs);
  }
}
