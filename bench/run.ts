// Entry point of `npm run bench`: runs every scenario once, candidates next to their baselines,
// prints the tables on stdout (progress on stderr) and writes bench/results/<timestamp>.json + latest.json.
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHonoHello } from './baselines/hono-hello.js';
import { startNodeHttpHello } from './baselines/node-http-hello.js';
import { createPacker } from './bundle.js';
import { scanExamples, type Example, type ExampleScan } from './examples.js';
import { describeMachine } from './machine.js';
import { progress } from './progress.js';
import { findWarnings, renderText, writeResults, type BenchResults } from './report.js';
import { measureDeploys, type DeployRow } from './scenarios/deploy-first-response.js';
import { measureFreshInstances, type FreshInstanceResult } from './scenarios/fresh-instance.js';
import { measureThroughput, type ThroughputRow } from './scenarios/http-throughput.js';
import { measureQueues, type QueueBenchResult } from './scenarios/queue-throughput.js';

const config = {
  /** One worker per core on the 2-core reference machine. */
  hostWorkers: 2,
  /** n >= 2000 keeps p99 at 20+ samples; 200 warm-up runs let V8 tier up the glue. */
  freshInstance: { iterations: 2000, warmup: 200 },
  /** 16 connections for 8 s per target after 2 s of warm-up: about 10 s per target, 5 targets. */
  http: { connections: 16, warmupSeconds: 2, durationSeconds: 8 },
  /** 5 000 messages per drain, 3 batch sizes × 2 durability settings; 1 000 sequential publishes. */
  queue: { messages: 5000, batchSizes: [1, 10, 100], concurrency: 2, publishRequests: 1000, workers: 2 },
} as const;
/** Loopback only: the admin API then needs no token. */
const listenHost = '127.0.0.1';
/** The examples loaded over HTTP; JS guests are ~100× slower per fresh instance and have scenario 2. */
const httpExamples = ['hello-c', 'hello-rust'];

type Problems = { scenario: string; message: string }[];

async function main(): Promise<void> {
  const startedAt = new Date();
  const runStarted = performance.now();
  const machine = await describeMachine();
  const examples = await scanExamples();
  for (const skipped of examples.skipped) progress(`example ${skipped.name} skipped: ${skipped.reason}`);
  const workDir = await mkdtemp(join(tmpdir(), 'wasmlet-bench-'));
  const problems: Problems = [];
  try {
    const hosted = await runHostScenarios(examples, join(workDir, 'host'), problems);
    let freshInstance: FreshInstanceResult | undefined;
    try {
      freshInstance = await measureFreshInstances(examples.ready, { ...config.freshInstance, workDir: join(workDir, 'fresh') });
    } catch (err) {
      problems.push({ scenario: 'fresh instance', message: (err as Error).message });
    }
    let queue: QueueBenchResult | undefined;
    try {
      queue = await measureQueues(config.queue);
    } catch (err) {
      problems.push({ scenario: 'queue', message: (err as Error).message });
    }
    const partial = {
      schemaVersion: 1 as const,
      startedAt: startedAt.toISOString(),
      durationSeconds: (performance.now() - runStarted) / 1000,
      machine,
      loadAverageAtEnd: loadavg()[0] ?? NaN,
      config,
      examples,
      ...hosted,
      freshInstance,
      queue,
      problems,
    };
    const results: BenchResults = { ...partial, warnings: findWarnings(partial) };
    process.stdout.write(renderText(results));
    progress(`results written to ${await writeResults(results)}`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Scenarios 1 and 3 share one in-process host: deploy the examples cold, then load their routes. */
async function runHostScenarios(
  examples: ExampleScan,
  dataDir: string,
  problems: Problems,
): Promise<{ deploy: BenchResults['deploy']; http: readonly ThroughputRow[] | undefined }> {
  let host: { urls: { http: string; admin: string }; close(): Promise<void> };
  try {
    // Loaded lazily so that scenario 2 still runs while the host does not build.
    const { startHost } = await import('../src/host/start-host.js');
    progress(`host: starting with ${config.hostWorkers} workers`);
    host = await startHost({
      host: listenHost,
      port: 0,
      adminPort: 0,
      dataDir,
      workers: config.hostWorkers,
      deployExamples: false,
      log: (line) => progress(`host: ${line}`),
    });
  } catch (err) {
    const message = `the host could not start: ${(err as Error).message}`;
    problems.push({ scenario: 'deploy -> first response', message }, { scenario: 'http throughput', message });
    return { deploy: undefined, http: undefined };
  }
  try {
    const packer = await createPacker();
    let rows: DeployRow[] = [];
    try {
      // Only the hellos answer a plain GET of their first route; the others need a specific request.
      rows = await measureDeploys(host.urls, examples.ready.filter((e) => e.name.startsWith('hello-')), packer);
    } catch (err) {
      problems.push({ scenario: 'deploy -> first response', message: (err as Error).message });
    }
    const served = (example: Example) => httpExamples.includes(example.name) && rows.some((row) => row.example === example.name && row.cold.lastGetStatus === 200);
    const http = await runThroughput(examples.ready.filter(served), host.urls.http, problems);
    return { deploy: { bundleVia: packer.via, rows }, http };
  } finally {
    await host.close();
  }
}

async function runThroughput(examples: readonly Example[], hostUrl: string, problems: Problems): Promise<ThroughputRow[] | undefined> {
  const nodeHttp = await startNodeHttpHello(listenHost);
  const hono = await startHonoHello(listenHost);
  try {
    return await measureThroughput(
      { label: 'node:http hello', url: nodeHttp.url },
      [
        { label: 'hono hello', url: hono.url },
        ...examples.map((example) => ({ label: `wasmlet ${example.name}`, url: `${hostUrl}${example.route}?name=bench` })),
      ],
      config.http,
    );
  } catch (err) {
    problems.push({ scenario: 'http throughput', message: (err as Error).message });
    return undefined;
  } finally {
    await Promise.all([nodeHttp.close(), hono.close()]);
  }
}

await main();
