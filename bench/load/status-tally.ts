// One HTTP call counted by its answer: latency of 2xx answers, every status counted, 503s that carry
// Retry-After apart (the breaker's fast refusal), client-side failures and calls cut when a load
// stopped. The noisy-neighbour scenario's record, for the healthy clients and the attacking ones.
import { request, type Dispatcher } from 'undici';

export interface StatusTally {
  /** 2xx answers only, ms from the request sent to the body read. */
  readonly latenciesMs: readonly number[];
  /** Answers by HTTP status, e.g. { "200": 812, "504": 3 }. */
  readonly statuses: Readonly<Record<string, number>>;
  /** 503 answers with a Retry-After header: the function's breaker refused the call. */
  readonly retryAfter503: number;
  /** Requests that got no answer (reset, client timeout). */
  readonly clientErrors: number;
  /** Calls still in flight when their load was stopped, aborted then (an attacker's long calls). */
  readonly cutAtStop: number;
  /** The first answer that was not 2xx, or the first client error, with a body excerpt. */
  readonly firstFailure: string | undefined;
}

/** A tally without its latencies: what a report keeps once the percentiles are taken. */
export type StatusCounts = Omit<StatusTally, 'latenciesMs'>;

export interface MutableStatusTally extends StatusTally {
  readonly latenciesMs: number[];
  readonly statuses: Record<string, number>;
  retryAfter503: number;
  clientErrors: number;
  cutAtStop: number;
  firstFailure: string | undefined;
}

/** Characters of a failed answer's body kept for the report. */
const failureExcerptChars = 160;

export function newStatusTally(): MutableStatusTally {
  return { latenciesMs: [], statuses: {}, retryAfter503: 0, clientErrors: 0, cutAtStop: 0, firstFailure: undefined };
}

export function countsOf({ latenciesMs: _latencies, ...counts }: StatusTally): StatusCounts {
  return counts;
}

/** Every answer, 2xx or not. */
export function answered(tally: StatusCounts): number {
  let sum = 0;
  for (const count of Object.values(tally.statuses)) sum += count;
  return sum;
}

/** Calls that ended (answered or failed on the client), the ones cut at the stop not counted. */
export function finished(tally: StatusCounts): number {
  return answered(tally) + tally.clientErrors;
}

/** Answers with status `status`, or within a class given as e.g. "5xx". */
export function countOf(tally: StatusCounts, status: string): number {
  if (!status.endsWith('xx')) return tally.statuses[status] ?? 0;
  let sum = 0;
  for (const [code, count] of Object.entries(tally.statuses)) if (code[0] === status[0]) sum += count;
  return sum;
}

/**
 * `method`s `url` through `dispatcher`, reads the whole body, and counts the call. `signal` aborts it
 * (counted as cut, not as a failure); any other failure counts as a client error.
 */
export async function tallyCall(dispatcher: Dispatcher, url: string, tally: MutableStatusTally, signal?: AbortSignal): Promise<void> {
  const started = performance.now();
  try {
    const response = await request(url, { dispatcher, ...(signal ? { signal } : {}) });
    const body = await response.body.text();
    const status = response.statusCode;
    tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
    if (status >= 200 && status < 300) return void tally.latenciesMs.push(performance.now() - started);
    if (status === 503 && response.headers['retry-after'] !== undefined) tally.retryAfter503++;
    tally.firstFailure ??= `${status}: ${body.slice(0, failureExcerptChars)}`;
  } catch (err) {
    if (signal?.aborted) return void tally.cutAtStop++;
    tally.clientErrors++;
    tally.firstFailure ??= `request failed: ${(err as Error).message}`;
  }
}
