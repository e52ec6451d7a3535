// Child-process entry that drives autocannon: the load generator must not share an event loop with
// the server it measures (it still shares the machine's cores; the report says so).
import autocannon from 'autocannon';
import type { LoadJob, LoadReply } from './load-job.js';

process.once('message', (job: LoadJob) => {
  void run(job).then((reply) => process.send?.(reply, () => process.disconnect()));
});

async function run(job: LoadJob): Promise<LoadReply> {
  try {
    const warmup = job.warmupSeconds > 0 ? await autocannon({ url: job.url, connections: job.connections, duration: job.warmupSeconds }) : undefined;
    const result = await autocannon({ url: job.url, connections: job.connections, duration: job.durationSeconds });
    const statusCodes: Record<string, number> = {};
    for (const [code, { count }] of Object.entries(result.statusCodeStats)) statusCodes[code] = count;
    const { latency } = result;
    return {
      ok: true,
      summary: {
        rps: result.requests.average,
        totalRequests: result.requests.total,
        warmupRequests: warmup?.requests.total ?? 0,
        latencyMs: { p50: latency.p50, p90: latency.p90, p99: latency.p99, max: latency.max, mean: latency.mean },
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        statusCodes,
        durationSeconds: result.duration,
        clientCpuMicros: cpuMicros(),
      },
    };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}
