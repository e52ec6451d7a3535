// The profiled process of `npm run profile:http` (profile-http.ts starts it under `--cpu-prof`):
// a host on loopback (2 compute slots, as the bench's), one example deployed, a warm-up load, then
// the measured load. It writes the measured window (in the clock of the CPU profiles'
// timestamps: CLOCK_MONOTONIC, µs) and the load's figures to the JSON file named by its argument.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { createPacker } from './bundle.js';
import { scanExamples } from './examples.js';
import { runLoad } from './load/run-load.js';
import type { LoadSummary } from './load/load-job.js';
import { threadCpu, threadCpuSince, type ThreadCpu } from './thread-cpu.js';

export interface ProfiledRun {
  readonly pid: number;
  /** `process.hrtime` at the measured load's start and end, µs: the same clock as a .cpuprofile's timestamps. */
  readonly windowStartMicros: number;
  readonly windowEndMicros: number;
  /** This process's CPU time (every thread) over the window, µs. */
  readonly processCpuMicros: number;
  /** The same split by thread: the main thread's and all others' (thread-cpu.ts); absent without /proc. */
  readonly threadCpuMicros?: ThreadCpu;
  readonly load: LoadSummary;
  readonly url: string;
}

export interface ProfileJob {
  readonly example: string;
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly seconds: number;
  readonly workers: number;
  readonly outFile: string;
}

const job = JSON.parse(process.argv[2] ?? '{}') as ProfileJob;
// The load client is a child of this process: it must not inherit --cpu-prof.
const loadClientExecArgv: string[] = [];

async function main(): Promise<void> {
  const example = (await scanExamples()).ready.find((e) => e.name === job.example);
  if (!example) throw new Error(`example ${job.example} is not built`);
  const dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-profile-'));
  const { startHost } = await import('../src/host/start-host.js');
  const host = await startHost({ host: '127.0.0.1', port: 0, adminPort: 0, dataDir, workers: job.workers, deployExamples: false, log: () => {} });
  try {
    const zip = await (await createPacker()).pack(example);
    const posted = await request(`${host.urls.admin}/v1/functions`, { method: 'POST', body: zip, headers: { 'content-type': 'application/zip', authorization: `Bearer ${host.adminToken}` } });
    const answer = await posted.body.text();
    if (posted.statusCode >= 300) throw new Error(`deploy answered ${posted.statusCode}: ${answer.slice(0, 300)}`);
    await host.foldsSettled(); // the profile is of the steady state: the component's background fold is done
    const url = `${host.urls.http}${example.route}?name=bench`;
    const first = await request(url);
    await first.body.dump();
    if (first.statusCode !== 200) throw new Error(`${url} answered ${first.statusCode}`);
    await runLoad({ url, connections: job.connections, warmupSeconds: 0, durationSeconds: job.warmupSeconds }, loadClientExecArgv);
    const cpuBefore = process.cpuUsage();
    const threadsBefore = threadCpu();
    const windowStartMicros = Number(process.hrtime.bigint() / 1000n);
    const load = await runLoad({ url, connections: job.connections, warmupSeconds: 0, durationSeconds: job.seconds }, loadClientExecArgv);
    const windowEndMicros = Number(process.hrtime.bigint() / 1000n);
    const cpu = process.cpuUsage(cpuBefore);
    const threadCpuMicros = threadCpuSince(threadsBefore, threadCpu());
    const run: ProfiledRun = { pid: process.pid, windowStartMicros, windowEndMicros, processCpuMicros: cpu.user + cpu.system, ...(threadCpuMicros ? { threadCpuMicros } : {}), load, url };
    await writeFile(job.outFile, JSON.stringify(run, null, 2));
  } finally {
    await host.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : String(err));
    process.exit(1);
  },
);
