// What tracing costs an HTTP route: wasmlet with `--otlp-endpoint` (exporting every span to a local
// OTLP/HTTP receiver) against the same host without it, in the same run, under the same keep-alive
// load (autocannon in a child process, as scenario 3). `fx-echo` (test/fixtures/echo, committed)
// serves GET /fx/echo. Order: node:http, tracing off, tracing on, tracing off again, node:http
// again; the two "off" runs bracket the "on" run, so a steady drift cancels in their mean.
// The traced host is started just before its run and closed after it: tracing registers the
// AsyncLocalStorage context manager, whose async hooks would otherwise tax the runs after it.
// The receiver runs in a child process of its own (as a collector would), parsing every export and
// counting spans; its CPU is reported apart, never counted as the host's.
//
//   node dist/bench/tracing-overhead.js [--connections 16] [--warmup 3] [--duration 10]
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { zipSync } from 'fflate';
import { startNodeHttpHello } from './baselines/node-http-hello.js';
import { fixtureComponentPath } from './fixture-host.js';
import { runLoad } from './load/run-load.js';
import type { LoadSummary } from './load/load-job.js';
import { startCpuWatch, type CpuShare } from '../src/benchmark/cpu-watch.js';

interface SinkReport {
  readonly exports: number;
  readonly spans: number;
  readonly cpuMicros: number;
}

/** The receiver's side (this same file, forked with --sink): counts what it is sent, answers when asked. */
function runSink(): void {
  let exports = 0;
  let spans = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      exports++;
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { resourceSpans: Array<{ scopeSpans: Array<{ spans?: unknown[] }> }> };
      for (const resource of body.resourceSpans) for (const scope of resource.scopeSpans) spans += scope.spans?.length ?? 0;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1', () => process.send!({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  process.on('message', () => {
    const cpu = process.cpuUsage();
    process.send!({ exports, spans, cpuMicros: cpu.user + cpu.system } satisfies SinkReport, () => process.exit(0));
  });
}

async function startSink(): Promise<{ url: string; report(): Promise<SinkReport> }> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--sink'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { url: string }) => resolve(message.url));
    child.once('exit', (code) => reject(new Error(`the receiver exited with code ${code}`)));
  });
  return {
    url,
    report: () =>
      new Promise<SinkReport>((resolve) => {
        child.once('message', (message: SinkReport) => resolve(message));
        child.send('report');
      }),
  };
}

interface Running {
  readonly url: string;
  close(): Promise<void>;
}

async function startWasmlet(otlpEndpoint: string | undefined): Promise<Running> {
  const { createHost } = await import('../src/host/start-host.js');
  const { listen } = await import('../src/host/listen.js');
  const dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-bench-tracing-'));
  const host = await createHost({ host: '127.0.0.1', port: 0, adminPort: 0, dataDir, workers: 2, deployExamples: false, log: () => undefined, otlpEndpoint });
  const trigger = await listen(host.httpTrigger, '127.0.0.1', 0);
  const manifest = 'name = "fx-echo"\ncomponent = "component.wasm"\n\n[[http]]\nroute = "/fx/echo"\nmethods = ["GET"]\n';
  const zip = zipSync({ 'wasmlet.toml': new TextEncoder().encode(manifest), 'component.wasm': new Uint8Array(await readFile(fixtureComponentPath('echo'))) });
  const deployed = await host.adminApp.request('/v1/functions', { method: 'POST', body: zip, headers: { 'content-type': 'application/zip', authorization: `Bearer ${host.adminToken}` } });
  if (deployed.status !== 201) throw new Error(`deploy answered ${deployed.status}: ${await deployed.text()}`);
  return {
    url: `${trigger.url}/fx/echo`,
    async close() {
      await trigger.close();
      await host.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

interface Row {
  readonly label: string;
  readonly load: LoadSummary;
  readonly cpu: CpuShare;
  /** This process's CPU per request served (warm-up included), µs: the server's work. */
  readonly cpuMicrosPerRequest: number;
}

async function measure(label: string, url: string, options: { connections: number; warmupSeconds: number; durationSeconds: number }): Promise<Row> {
  process.stderr.write(`tracing bench: ${label}: ${options.warmupSeconds} s warm-up + ${options.durationSeconds} s at ${options.connections} connections\n`);
  const watch = startCpuWatch();
  const load = await runLoad({ url, ...options });
  const cpu = watch.stop(load.clientCpuMicros);
  return { label, load, cpu, cpuMicrosPerRequest: cpu.ownMicros / (load.totalRequests + load.warmupRequests) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { connections: { type: 'string', default: '16' }, warmup: { type: 'string', default: '3' }, duration: { type: 'string', default: '10' } } });
  const options = { connections: Number(values.connections), warmupSeconds: Number(values.warmup), durationSeconds: Number(values.duration) };
  const sink = await startSink();
  const node = await startNodeHttpHello('127.0.0.1');
  const off = await startWasmlet(undefined);
  const rows: Row[] = [];
  rows.push(await measure('node:http hello', node.url, options));
  rows.push(await measure('wasmlet fx-echo, tracing off', off.url, options));
  const on = await startWasmlet(sink.url);
  rows.push(await measure('wasmlet fx-echo, tracing on (exporting to a local receiver)', on.url, options));
  await on.close(); // flushes the last batch, unregisters the context manager
  const exported = await sink.report();
  rows.push(await measure('wasmlet fx-echo, tracing off (again)', off.url, options));
  rows.push(await measure('node:http hello (again)', node.url, options));
  await off.close();
  await node.close();

  const offRuns = [rows[1]!, rows[3]!];
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const offRps = mean(offRuns.map((r) => r.load.rps));
  const offCpu = mean(offRuns.map((r) => r.cpuMicrosPerRequest));
  const traced = rows[2]!;
  const lines = [
    `| run | rps | p50 ms | p99 ms | non-2xx | server CPU µs/req | others' CPU |`,
    `|---|---:|---:|---:|---:|---:|---:|`,
    ...rows.map((r) => `| ${r.label} | ${Math.round(r.load.rps)} | ${r.load.latencyMs.p50} | ${r.load.latencyMs.p99} | ${r.load.non2xx + r.load.errors} | ${r.cpuMicrosPerRequest.toFixed(0)} | ${(r.cpu.others * 100).toFixed(0)}% |`),
    '',
    `tracing on / off (mean of the two off runs): rps ×${(traced.load.rps / offRps).toFixed(3)}, server CPU per request ×${(traced.cpuMicrosPerRequest / offCpu).toFixed(3)}`,
    `off runs apart: ${((Math.abs(offRuns[0]!.load.rps - offRuns[1]!.load.rps) / offRps) * 100).toFixed(1)}% (the noise floor of this comparison)`,
    `receiver: ${exported.spans} spans in ${exported.exports} exports (${(exported.spans / (traced.load.totalRequests + traced.load.warmupRequests)).toFixed(2)} per request), its own CPU ${(exported.cpuMicros / 1000).toFixed(0)} ms`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (process.argv.includes('--sink')) runSink();
else await main();
