// One HTTP call timed into a record: latency of 200 answers, the rest counted with the first one's
// reason. Shared by the peer's load client (peer-child.ts) and the scenarios' in-process clients.
import { request, type Dispatcher } from 'undici';

/** What a set of calls measured. Latency in ms, 200 answers only; the others counted. */
export interface CallRecord {
  readonly latenciesMs: readonly number[];
  /** Answers that were not 200, and requests that failed outright. */
  readonly failures: number;
  readonly firstFailure: string | undefined;
}

export interface MutableCallRecord extends CallRecord {
  readonly latenciesMs: number[];
  failures: number;
  firstFailure: string | undefined;
}

/** Characters of a failed answer's body kept for the report. */
const failureExcerptChars = 160;

export function newCallRecord(): MutableCallRecord {
  return { latenciesMs: [], failures: 0, firstFailure: undefined };
}

export function mergeCallRecord(into: MutableCallRecord, record: CallRecord): void {
  for (const latency of record.latenciesMs) into.latenciesMs.push(latency);
  into.failures += record.failures;
  into.firstFailure ??= record.firstFailure;
}

/** GETs `url` through `dispatcher`, reads the whole body, and records the call. */
export async function timedCall(dispatcher: Dispatcher, url: string, record: MutableCallRecord): Promise<void> {
  const started = performance.now();
  try {
    const response = await request(url, { dispatcher });
    const body = await response.body.text();
    if (response.statusCode === 200) return void record.latenciesMs.push(performance.now() - started);
    record.failures++;
    record.firstFailure ??= `${response.statusCode}: ${body.slice(0, failureExcerptChars)}`;
  } catch (err) {
    record.failures++;
    record.firstFailure ??= `request failed: ${(err as Error).message}`;
  }
}

/** `clients` loops calling `url` back to back until `calls` calls were made in all. */
export async function callsFromClients(dispatcher: Dispatcher, url: string, clients: number, calls: number): Promise<CallRecord> {
  const record = newCallRecord();
  let left = calls;
  const loop = async () => {
    while (left > 0) {
      left--; // taken before the call, so the loops together make exactly `calls`
      await timedCall(dispatcher, url, record);
    }
  };
  await Promise.all(Array.from({ length: clients }, loop));
  return record;
}
