// `npm run profile:http`: a CPU profile of the HTTP path, every thread of the host process, and
// where a request's microseconds go. It starts bench/profile-http-host.ts under
// `node --cpu-prof` (each worker thread writes its own profile), loads `/hello/rust` at 16
// connections, then sums the samples inside the measured window per part of the path
// (cpu-profile-breakdown.ts) and divides by the requests served. The .cpuprofile files stay in the
// output directory: open them in Chrome DevTools (Performance → Load profile) for the details.
//
//   node dist/bench/profile-http.js [--example hello-rust] [--connections 16] [--seconds 8] [--workers 2] [--interval-us 100] [--out DIR]
//   node dist/bench/profile-http.js --no-profile …   # the same load without the profiler: rps, p50/p99, CPU µs/request only
//
// The profiler costs CPU itself (a sample every 100 µs): compare the parts with each other and
// between two builds profiled the same way, and take absolute CPU per request from the bench.
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { addProfile, busyMicros, classifyGuestWorker, classifyMainThread, emptyBreakdown, type Breakdown, type CpuProfile } from './cpu-profile-breakdown.js';
import { partialResultsDir } from './bench-options.js';
import type { ProfiledRun, ProfileJob } from './profile-http-host.js';

const { values } = parseArgs({
  options: {
    example: { type: 'string', default: 'hello-rust' },
    connections: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    workers: { type: 'string', default: '2' },
    'interval-us': { type: 'string', default: '100' },
    'no-profile': { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const outDir = resolve(values.out ?? join(partialResultsDir, `profile-http-${stamp}`));
const hostScript = fileURLToPath(new URL('./profile-http-host.js', import.meta.url));

async function main(): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const runFile = join(outDir, 'run.json');
  const job: ProfileJob = {
    example: values.example!,
    connections: Number(values.connections),
    warmupSeconds: Number(values.warmup),
    seconds: Number(values.seconds),
    workers: Number(values.workers),
    outFile: runFile,
  };
  const loadBefore = loadavg();
  process.stderr.write(`profile:http: ${job.example} at ${job.connections} connections, ${job.warmupSeconds} s warm-up + ${job.seconds} s profiled; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}\n`);
  await new Promise<void>((done, fail) => {
    const profiler = values['no-profile'] ? [] : ['--cpu-prof', '--cpu-prof-dir', outDir, '--cpu-prof-interval', values['interval-us']!];
    const child = spawn(process.execPath, [...profiler, hostScript, JSON.stringify(job)], { stdio: 'inherit' });
    child.once('error', fail);
    child.once('exit', (code) => (code === 0 ? done() : fail(new Error(`profiled host exited with code ${code}`))));
  });
  const run = JSON.parse(await readFile(runFile, 'utf8')) as ProfiledRun;
  const main = emptyBreakdown();
  const workers = emptyBreakdown();
  let workerThreads = 0;
  for (const name of await readdir(outDir)) {
    // CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile; thread 0 is the main thread.
    const parts = name.split('.');
    if (!name.endsWith('.cpuprofile') || Number(parts[3]) !== run.pid) continue;
    const profile = JSON.parse(await readFile(join(outDir, name), 'utf8')) as CpuProfile;
    const window = { start: run.windowStartMicros, end: run.windowEndMicros };
    if (Number(parts[4]) === 0) addProfile(main, profile, window, classifyMainThread);
    else if (isGuestWorker(profile)) {
      workerThreads++;
      addProfile(workers, profile, window, classifyGuestWorker);
    }
  }
  const requests = run.load.totalRequests;
  const summary = {
    example: job.example,
    connections: job.connections,
    seconds: job.seconds,
    samplingIntervalMicros: Number(values['interval-us']),
    loadAverage: { before: loadBefore, after: loadavg() },
    requests,
    rps: run.load.rps,
    latencyMs: run.load.latencyMs,
    non2xx: run.load.non2xx,
    processCpuMicrosPerRequest: run.processCpuMicros / requests,
    // Read from /proc, not sampled: the main thread's real CPU per request (thread-cpu.ts).
    mainThreadCpuMicrosPerRequest: run.threadCpuMicros ? run.threadCpuMicros.mainMicros / requests : undefined,
    mainThreadSystemCpuMicrosPerRequest: run.threadCpuMicros ? run.threadCpuMicros.mainSystemMicros / requests : undefined,
    otherThreadsCpuMicrosPerRequest: run.threadCpuMicros ? run.threadCpuMicros.otherMicros / requests : undefined,
    guestWorkerThreads: workerThreads,
    mainThread: perRequest(main, requests),
    guestWorkers: perRequest(workers, requests),
  };
  await writeFile(join(outDir, 'summary.json'), JSON.stringify(summary, null, 2));
  console.log(render(summary));
  console.log(`\nprofiles and summary.json in ${outDir}`);
}

/** A worker thread that ran guest code (the deploy's toolchain worker does not). */
function isGuestWorker(profile: CpuProfile): boolean {
  return profile.nodes.some((node) => node.callFrame.url.includes('src/runtime/guest-worker.js'));
}

function perRequest(breakdown: Breakdown, requests: number) {
  const round = (micros: number) => Math.round((micros / requests) * 10) / 10;
  const parts = [...breakdown.parts].sort((a, b) => b[1] - a[1]).map(([part, micros]) => ({ part, microsPerRequest: round(micros) }));
  const topFunctions = [...breakdown.functions].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([fn, micros]) => ({ fn, microsPerRequest: round(micros) }));
  return { busyMicrosPerRequest: round(busyMicros(breakdown)), parts, topFunctions };
}

function render(summary: { requests: number; rps: number; processCpuMicrosPerRequest: number; mainThreadCpuMicrosPerRequest: number | undefined; mainThreadSystemCpuMicrosPerRequest: number | undefined; otherThreadsCpuMicrosPerRequest: number | undefined; latencyMs: { p50: number; p99: number }; mainThread: ReturnType<typeof perRequest>; guestWorkers: ReturnType<typeof perRequest>; loadAverage: { before: number[] } }): string {
  const lines: string[] = [];
  const profiled = summary.mainThread.parts.length > 0;
  const byThread = summary.mainThreadCpuMicrosPerRequest === undefined ? '' : ` (main thread ${summary.mainThreadCpuMicrosPerRequest.toFixed(0)}, ${summary.mainThreadSystemCpuMicrosPerRequest!.toFixed(0)} of it in the kernel; other threads ${summary.otherThreadsCpuMicrosPerRequest!.toFixed(0)})`;
  lines.push(`${summary.requests} requests, ${Math.round(summary.rps)} rps, p50 ${summary.latencyMs.p50} ms, p99 ${summary.latencyMs.p99} ms; process CPU ${summary.processCpuMicrosPerRequest.toFixed(0)} µs/request${byThread} (profiler ${profiled ? 'on' : 'off'})`);
  if (!profiled) return lines.join('\n');
  for (const [title, group] of [['main thread', summary.mainThread], ['guest workers (all)', summary.guestWorkers]] as const) {
    lines.push('', `${title}: ${group.busyMicrosPerRequest} µs/request busy`);
    for (const { part, microsPerRequest } of group.parts) lines.push(`  ${microsPerRequest.toFixed(1).padStart(7)}  ${part}`);
    lines.push('  top functions (self):');
    for (const { fn, microsPerRequest } of group.topFunctions.slice(0, 12)) lines.push(`  ${microsPerRequest.toFixed(1).padStart(7)}  ${fn}`);
  }
  return lines.join('\n');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exit(1);
});
