// The load generator's process (forked by load-generator.ts): runs one job at a time as a closed loop
// of `connections` callers, records every completed call's latency in a µs histogram, and reports
// progress every 250 ms. Ctrl-C reaches the whole process group: this process ignores SIGINT and
// waits for its parent's `stop`, so what was measured so far is still sent back.
import { Agent } from 'undici';
import { createCaller, type FunctionCaller } from './function-callers.js';
import { LatencyHistogram } from './latency-histogram.js';
import type { ChildMessage, LoadJob, LoadResult, LoadTarget, ParentMessage } from './load-protocol.js';

const progressEveryMs = 250;
/** Distinct transport errors kept for the report. */
const maxErrorTexts = 5;

const agent = new Agent({ keepAliveTimeout: 30_000, connect: { timeout: 10_000 } });
const callers = new Map<string, FunctionCaller>();
let stopRequested = false;

process.on('SIGINT', () => undefined);
process.on('message', (message: ParentMessage) => {
  if (message.type === 'stop') stopRequested = true;
  else if (message.type === 'exit') void agent.close().finally(() => process.exit(0));
  else if (message.type === 'job') {
    stopRequested = false;
    runJob(message.job).then(
      (result) => send({ type: 'done', id: message.job.id, result }),
      (err: unknown) => send({ type: 'failed', id: message.job.id, message: err instanceof Error ? err.message : String(err) }),
    );
  }
});
process.on('disconnect', () => process.exit(0));

async function runJob(job: LoadJob): Promise<LoadResult> {
  const call = callerFor(job.target);
  const histogram = new LatencyHistogram();
  const statuses: Record<string, number> = {};
  const outcomes: Record<string, number> = {};
  const errors = new Set<string>();
  let started = 0;
  let completed = 0;
  let failed = 0;
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now();
  const deadline = job.durationMs === undefined ? Infinity : t0 + job.durationMs;
  const budget = job.requests ?? Infinity;
  const progress = setInterval(() => send({ type: 'progress', id: job.id, completed, failed }), progressEveryMs);

  const loop = async (): Promise<void> => {
    while (!stopRequested && started < budget && performance.now() < deadline) {
      started += 1;
      const begin = performance.now();
      const result = await call();
      histogram.record((performance.now() - begin) * 1000);
      completed += 1;
      const status = result.status === undefined ? 'transport' : String(result.status);
      statuses[status] = (statuses[status] ?? 0) + 1;
      outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
      if (result.outcome !== 'ok') failed += 1;
      if (result.error !== undefined && errors.size < maxErrorTexts) errors.add(result.error);
    }
  };
  await Promise.all(Array.from({ length: job.connections }, loop));
  clearInterval(progress);
  const cpu = process.cpuUsage(cpuBefore);
  return {
    requests: completed,
    elapsedMs: performance.now() - t0,
    histogram: histogram.toJson(),
    statuses,
    outcomes,
    transportErrors: [...errors],
    cpuMicros: cpu.user + cpu.system,
    interrupted: stopRequested,
  };
}

function callerFor(target: LoadTarget): FunctionCaller {
  const key = JSON.stringify(target);
  let caller = callers.get(key);
  if (!caller) callers.set(key, (caller = createCaller(target, agent)));
  return caller;
}

function send(message: ChildMessage): void {
  process.send?.(message);
}
