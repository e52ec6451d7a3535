// Entry point of `wasmlet bench` (and `npm run bench`): runs every scenario once, candidates next to their
// baselines, prints the tables on stdout (progress on stderr) and writes <timestamp>.json + .svg (and
// latest.json + latest.svg for a complete full-length run) to bench/results/.
// Options: [--only <scenario,...>] [--quick] [--out <dir>] (bench-options.ts).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchUsageError, parseBenchOptions, type ScenarioName } from './bench-options.js';
import { startHonoHello } from './baselines/hono-hello.js';
import { startNodeHttpHello } from './baselines/node-http-hello.js';
import { startWorkerdHello, WorkerdMissing, type WorkerdServer } from './baselines/workerd-hello.js';
import { startWasmtimeServe, wasiHttpHello, WasmtimeMissing, type WasmtimeServer } from './baselines/wasmtime-serve.js';
import { createPacker } from './bundle.js';
import { scanExamples, type Example, type ExampleScan } from './examples.js';
import { describeMachine } from './machine.js';
import { progress } from './progress.js';
import { findWarnings, renderText, writeResults, type BenchResults } from './report.js';
import { measureDeploys, type DeployRow } from './scenarios/deploy-first-response.js';
import { measureDensity, type DensityResult } from './scenarios/density.js';
import { measureFreshInstances, type FreshInstanceResult } from './scenarios/fresh-instance.js';
import { measureInstancePool } from './scenarios/instance-pool.js';
import { measureThroughput, type ThroughputRow } from './scenarios/http-throughput.js';
import { measureOutbound, type OutboundBenchResult } from './scenarios/outbound.js';
import { measureQueues, type QueueBenchResult } from './scenarios/queue-throughput.js';
import { measureWaiting, type WaitingBenchResult } from './scenarios/waiting.js';
import { measureKeyValue, type KeyValueBenchResult } from './scenarios/key-value.js';
import { measureObjects, type ObjectBenchResult } from './scenarios/object-throughput.js';
import { measureThumbnail, type ThumbnailBenchResult } from './scenarios/thumbnail-latency.js';
import { measureLambdaInvoke, type LambdaBenchResult } from './scenarios/lambda-invoke.js';
import { runNeighbours } from './run-neighbours.js';
import { runObservability } from './run-observability.js';
import { runNatsQueues } from './run-nats-queues.js';
import { runNatsDeploy } from './run-nats-deploy.js';

let options: ReturnType<typeof parseBenchOptions>;
try {
  options = parseBenchOptions(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof BenchUsageError)) throw err;
  process.stderr.write(`bench: ${err.message}\n`);
  process.exit(2);
}
const selected = (scenario: ScenarioName) => options.only.has(scenario);

const fullConfig = {
  /** One worker per core on the 2-core reference machine. */
  hostWorkers: 2,
  /** n >= 2000 keeps p99 at 20+ samples; 200 warm-up runs let V8 tier up the glue. */
  freshInstance: { iterations: 2000, warmup: 200 },
  /** Scenario 2b, with fresh-instance: 3 hellos × 2 arrival patterns (back-to-back, 2 ms idle) × 3 variants × 1000 calls ≈ 60 s. */
  instancePool: { iterations: 1000, warmup: 100, gapsMs: [0, 2], examples: ['hello-c', 'hello-rust', 'hello-js'] },
  /**
   * 8 s per target after 2 s of warm-up at each concurrency: 1 (latency without queueing), 16 (the
   * targets' reference point), 64 (overload on 2 cores). 6 targets × 3 concurrencies ≈ 3 min.
   */
  http: { connectionCounts: [1, 16, 64], warmupSeconds: 2, durationSeconds: 8 },
  /** 5 000 messages per drain, 3 batch sizes × 2 durability settings; 1 000 sequential publishes. */
  queue: { messages: 5000, batchSizes: [1, 10, 100], concurrency: 2, publishRequests: 1000, workers: 2 },
  /**
   * The target is 10 000 functions. A deploy of a component the host already has starts no
   * toolchain (its WIT is cached) and writes one small registry file: ~7 ms at 200 functions. But each
   * function's idle async-invocation poller runs a SQLite transaction every 100 ms, so the host's idle
   * load, and with it a deploy, grows with N, and past ~2 000 the pollers saturate the 2-core
   * machine (deploys 7 ms at 400, 52 ms at 2 000, 340 ms at 3 600): 4 000 took > 5 min, 10 000 would
   * take hours. 2 000 deploy in ~40 s. 500 random functions called: p99 from 5 samples.
   */
  density: { functions: 2000, calls: 500 },
  /**
   * Scenario 6: 500 pairs (t(50) and t(1)) per side, p99 from 5 samples above it; a guest pair takes
   * ~10 ms, so ~10 s in all. N = 50 is the default [limits] outbound_requests.
   */
  outbound: { pairs: 500, warmupPairs: 30, blockPairs: 25, subrequests: 50 },
  /**
   * Scenario 7, the case: 64 calls on a 200 ms upstream, 10 rounds after the cold one; then a
   * 2 ms CPU-bound function from 8 clients, 5 blocks of 800 calls alone and 5 beside the waiting load
   * (p99 from 40 samples above it each way). ~30 s.
   */
  waiting: { concurrency: 64, upstreamMs: 200, rounds: 10, cpuClients: 8, cpuMs: 2, cpuCallsPerBlock: 800, blockPairs: 5, cpuWarmupCalls: 200 },
  /**
   * Scenario 8: 300 pairs per side for get and for set, 100 operations in the long run of a pair
   * (p99 from 3 samples above it); a guest pair takes ~10-20 ms, so ~40 s in all. 256 bytes: a small JSON document.
   */
  keyValue: { pairs: 300, warmupPairs: 20, blockPairs: 25, operations: 100, valueBytes: 256 },
  /** Scenario 9: 4 blocks per side of 250 × 4 KiB and 6 × 8 MiB operations (1000 and 24 timed per side): ~1 min. */
  objects: { sizes: [4096, 8 * 1024 * 1024], opsPerBlock: [250, 6], blocks: 4 },
  /** Scenario 11: 200 uploads (p99 from 2 samples above it) and as many of each baseline, ~40 ms each: ~30 s. */
  thumbnail: { uploads: 200, warmup: 10, blockSize: 20, pollIntervalMs: 2, workers: 2 },
  /** Scenario 12: 3000 calls per side (p99 from 30 samples above it), ~1.5 ms each: ~10 s. */
  lambda: { calls: 3000, warmup: 200, blockSize: 50, workers: 2 },
};
/** `--quick`: a fast look (about 5 min in all on 2 cores, half of it HTTP) whose numbers are too few to quote. */
const quickConfig: Partial<typeof fullConfig> = {
  freshInstance: { iterations: 300, warmup: 50 },
  instancePool: { iterations: 200, warmup: 30, gapsMs: [0, 2], examples: ['hello-c', 'hello-rust', 'hello-js'] },
  http: { connectionCounts: [1, 16, 64], warmupSeconds: 1, durationSeconds: 2 },
  queue: { messages: 500, batchSizes: [1, 10, 100], concurrency: 2, publishRequests: 100, workers: 2 },
  density: { functions: 200, calls: 100 },
  outbound: { pairs: 60, warmupPairs: 10, blockPairs: 10, subrequests: 50 },
  waiting: { concurrency: 64, upstreamMs: 200, rounds: 3, cpuClients: 8, cpuMs: 2, cpuCallsPerBlock: 200, blockPairs: 2, cpuWarmupCalls: 50 },
  keyValue: { pairs: 40, warmupPairs: 5, blockPairs: 10, operations: 50, valueBytes: 256 },
  objects: { sizes: [4096, 8 * 1024 * 1024], opsPerBlock: [50, 2], blocks: 2 },
  thumbnail: { uploads: 30, warmup: 3, blockSize: 10, pollIntervalMs: 2, workers: 2 },
  lambda: { calls: 400, warmup: 50, blockSize: 50, workers: 2 },
};
const config = options.quick ? { ...fullConfig, ...quickConfig } : fullConfig;
/** Loopback only: the admin API then needs no token. */
const listenHost = '127.0.0.1';
/** The examples loaded over HTTP (hello-c-http: the same C hello as a standard wasi:http component, its response streamed); JS guests are ~100× slower per fresh instance and have scenario 2. */
const httpExamples = ['hello-c', 'hello-c-http', 'hello-rust'];
/** The smallest hello: density measures the host's per-function cost, not the guest's. */
const densityExample = 'hello-c';

type Problems = { scenario: string; message: string }[];

async function main(): Promise<void> {
  const startedAt = new Date();
  // Read before this run writes latest.json: the goals table's "before" column.
  const previous = await readPreviousResults(options.previous);
  const runStarted = performance.now();
  progress(`scenarios: ${[...options.only].join(', ')}${options.quick ? ' (--quick: short runs, numbers not to quote)' : ''}`);
  const machine = await describeMachine();
  const examples = await scanExamples();
  for (const skipped of examples.skipped) progress(`example ${skipped.name} skipped: ${skipped.reason}`);
  const workDir = await mkdtemp(join(tmpdir(), 'wasmlet-bench-'));
  const problems: Problems = [];
  try {
    const hosted = selected('cold') || selected('http')
      ? await runHostScenarios(examples, join(workDir, 'host'), problems)
      : { deploy: undefined, http: undefined, workerd: undefined, wasmtime: undefined };
    let freshInstance: FreshInstanceResult | undefined;
    if (selected('fresh-instance')) {
      try {
        freshInstance = await measureFreshInstances(examples.ready, { ...config.freshInstance, workDir: join(workDir, 'fresh') });
      } catch (err) {
        problems.push({ scenario: 'fresh instance', message: (err as Error).message });
      }
    }
    let instancePool: BenchResults['instancePool'];
    if (selected('warm')) {
      try {
        const { examples: names, ...counts } = config.instancePool;
        const rows = await measureInstancePool(examples.ready.filter((e) => names.includes(e.name)), { ...counts, workDir: join(workDir, 'instance-pool') });
        instancePool = { ...counts, rows };
      } catch (err) {
        problems.push({ scenario: 'instance pool', message: (err as Error).message });
      }
    }
    let queue: QueueBenchResult | undefined;
    if (selected('queue')) {
      try {
        queue = await measureQueues(config.queue);
      } catch (err) {
        problems.push({ scenario: 'queue', message: (err as Error).message });
      }
    }
    let outbound: OutboundBenchResult | undefined;
    if (selected('outbound')) {
      try {
        outbound = await measureOutbound({ ...config.outbound, workers: config.hostWorkers, workDir: join(workDir, 'outbound') });
      } catch (err) {
        problems.push({ scenario: 'outbound', message: (err as Error).message });
      }
    }
    let waiting: WaitingBenchResult | undefined;
    if (selected('waiting')) {
      try {
        waiting = await measureWaiting({ ...config.waiting, workers: config.hostWorkers, workDir: join(workDir, 'waiting') });
      } catch (err) {
        problems.push({ scenario: 'waiting', message: (err as Error).message });
      }
    }
    let keyValue: KeyValueBenchResult | undefined;
    if (selected('kv')) {
      try {
        keyValue = await measureKeyValue({ ...config.keyValue, workers: config.hostWorkers, workDir: join(workDir, 'kv') });
      } catch (err) {
        problems.push({ scenario: 'key-value', message: (err as Error).message });
      }
    }
    let objects: ObjectBenchResult | undefined;
    if (selected('objects')) {
      try {
        objects = await measureObjects({ ...config.objects, workDir: join(workDir, 'objects') });
      } catch (err) {
        problems.push({ scenario: 'objects', message: (err as Error).message });
      }
    }
    let thumbnail: ThumbnailBenchResult | undefined;
    if (selected('thumbnail')) {
      try {
        thumbnail = await measureThumbnail({ ...config.thumbnail, workDir: join(workDir, 'thumbnail') });
      } catch (err) {
        problems.push({ scenario: 'thumbnail', message: (err as Error).message });
      }
    }
    let lambda: LambdaBenchResult | undefined;
    if (selected('lambda')) {
      try {
        lambda = await measureLambdaInvoke({ ...config.lambda, workDir: join(workDir, 'lambda') });
      } catch (err) {
        problems.push({ scenario: 'lambda', message: (err as Error).message });
      }
    }
    if (selected('nats')) await runNatsQueues({ quick: options.quick, json: options.json, outDir: options.outDir, machine }, problems);
    if (selected('nats-deploy')) await runNatsDeploy({ quick: options.quick, json: options.json, outDir: options.outDir, machine }, problems);
    if (selected('neighbours')) await runNeighbours({ quick: options.quick, json: options.json, outDir: options.outDir, workDir: join(workDir, 'neighbours'), workers: config.hostWorkers, machine }, problems);
    if (selected('observability')) await runObservability({ quick: options.quick, json: options.json, outDir: options.outDir, workDir: join(workDir, 'observability'), workers: config.hostWorkers, machine }, problems);
    // Last: ten thousand registry entries and their routes stay in this process's memory afterwards.
    const density = selected('density') ? await runDensity(examples, join(workDir, 'density'), problems) : undefined;
    const partial = {
      schemaVersion: 2 as const,
      startedAt: startedAt.toISOString(),
      durationSeconds: (performance.now() - runStarted) / 1000,
      machine,
      loadAverageAtEnd: loadavg()[0] ?? NaN,
      config,
      run: { only: [...options.only], quick: options.quick },
      examples,
      ...hosted,
      freshInstance,
      instancePool,
      queue,
      outbound,
      waiting,
      keyValue,
      objects,
      thumbnail,
      lambda,
      density,
      problems,
    };
    const results: BenchResults = { ...partial, warnings: findWarnings(partial) };
    process.stdout.write(options.json ? `${JSON.stringify(results)}\n` : renderText(results, previous));
    const written = await writeResults(results, { dir: options.outDir, latest: options.writeLatest });
    progress(`results written to ${written.json} and ${written.svg}${options.writeLatest ? ' (and latest.*)' : ''}`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Scenarios 1 and 3 share one in-process host: deploy the examples cold, then load their routes. */
async function runHostScenarios(
  examples: ExampleScan,
  dataDir: string,
  problems: Problems,
): Promise<{ deploy: BenchResults['deploy']; http: readonly ThroughputRow[] | undefined; workerd: BenchResults['workerd']; wasmtime: BenchResults['wasmtime'] }> {
  let host: { urls: { http: string; admin: string }; adminToken: string; foldsSettled(): Promise<void>; close(): Promise<void> };
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
    if (selected('cold')) problems.push({ scenario: 'deploy -> first response', message });
    if (selected('http')) problems.push({ scenario: 'http throughput', message });
    return { deploy: undefined, http: undefined, workerd: undefined, wasmtime: undefined };
  }
  try {
    const packer = await createPacker();
    let rows: DeployRow[] = [];
    try {
      // Only the hellos answer a plain GET of their first route; the others need a specific request.
      // Scenario 3 needs them deployed, so this runs for --only http too (and is then not reported).
      rows = await measureDeploys({ ...host.urls, token: host.adminToken }, examples.ready.filter((e) => e.name.startsWith('hello-')), packer);
    } catch (err) {
      problems.push({ scenario: 'deploy -> first response', message: (err as Error).message });
    }
    // Throughput is the steady state: the folds the deploys started in the background are done first.
    if (selected('http')) await host.foldsSettled();
    const served = (example: Example) => httpExamples.includes(example.name) && rows.some((row) => row.example === example.name && row.cold.lastGetStatus === 200);
    const http = selected('http') ? await runThroughput(examples.ready.filter(served), host.urls.http, problems) : undefined;
    return { deploy: selected('cold') ? { bundleVia: packer.via, rows } : undefined, ...(http ?? { http: undefined, workerd: undefined, wasmtime: undefined }) };
  } finally {
    await host.close();
  }
}

/** Scenario 3 at each concurrency: node:http first and last, hono, workerd (when installed), then the host. */
async function runThroughput(
  examples: readonly Example[],
  hostUrl: string,
  problems: Problems,
): Promise<{ http: ThroughputRow[] | undefined; workerd: BenchResults['workerd']; wasmtime: BenchResults['wasmtime'] }> {
  const nodeHttp = await startNodeHttpHello(listenHost);
  const hono = await startHonoHello(listenHost);
  let workerd: WorkerdServer | undefined;
  let workerdStatus: BenchResults['workerd'];
  try {
    workerd = await startWorkerdHello(listenHost);
    workerdStatus = { version: workerd.version };
    progress(`http: workerd ${workerd.version} serving ${workerd.url}`);
  } catch (err) {
    const message = err instanceof WorkerdMissing ? `not run: ${err.message}` : `not run: ${(err as Error).message}`;
    problems.push({ scenario: 'http throughput: workerd baseline', message });
    progress(`http: workerd baseline ${message}`);
    workerdStatus = { notRun: message };
  }
  // The same wasi:http component under wasmtime serve, when `npm run anchors` built it.
  const wasiHttpExample = examples.find((example) => example.name === wasiHttpHello.example);
  let wasmtime: WasmtimeServer | undefined;
  let wasmtimeStatus: BenchResults['wasmtime'];
  try {
    if (!wasiHttpExample) throw new Error(`${wasiHttpHello.example} is not served by the host in this run`);
    wasmtime = await startWasmtimeServe(listenHost, `${wasiHttpExample.route}?name=bench`);
    wasmtimeStatus = { version: wasmtime.version };
    progress(`http: ${wasmtime.version} serving ${wasmtime.url}`);
  } catch (err) {
    const message = `not run: ${(err as Error).message}`;
    if (!(err instanceof WasmtimeMissing)) problems.push({ scenario: 'http throughput: wasmtime serve', message });
    progress(`http: wasmtime serve ${message}`);
    wasmtimeStatus = { notRun: message };
  }
  const rows: ThroughputRow[] = [];
  try {
    for (const connections of config.http.connectionCounts) {
      rows.push(...(await measureThroughput(
        { label: 'node:http hello', url: nodeHttp.url },
        [
          { label: 'hono hello', url: hono.url },
          ...(workerd ? [{ label: 'workerd hello', url: workerd.url, serverCpuMicros: () => workerd!.cpuMicros() }] : []),
          ...examples.map((example) => ({ label: `wasmlet ${example.name}`, url: `${hostUrl}${example.route}?name=bench` })),
          ...(wasmtime ? [{ label: `wasmtime serve ${wasiHttpHello.example}`, url: wasmtime.url, serverCpuMicros: () => wasmtime!.cpuMicros() }] : []),
        ],
        { connections, warmupSeconds: config.http.warmupSeconds, durationSeconds: config.http.durationSeconds },
      )));
    }
    return { http: rows, workerd: workerdStatus, wasmtime: wasmtimeStatus };
  } catch (err) {
    problems.push({ scenario: 'http throughput', message: (err as Error).message });
    return { http: rows.length > 0 ? rows : undefined, workerd: workerdStatus, wasmtime: wasmtimeStatus };
  } finally {
    await Promise.all([nodeHttp.close(), hono.close(), workerd?.close(), wasmtime?.close()]);
  }
}

/** Scenario 5 on a host of its own, so the others never see its registry of thousands. */
async function runDensity(examples: ExampleScan, dataDir: string, problems: Problems): Promise<DensityResult | undefined> {
  const example = examples.ready.find((e) => e.name === densityExample);
  if (!example) {
    problems.push({ scenario: 'density', message: `not run: example ${densityExample} is not built` });
    return undefined;
  }
  let host: { urls: { http: string; admin: string }; adminToken: string; foldsSettled(): Promise<void>; close(): Promise<void> };
  try {
    const { startHost } = await import('../src/host/start-host.js');
    host = await startHost({ host: listenHost, port: 0, adminPort: 0, dataDir, workers: config.hostWorkers, deployExamples: false, log: (line) => progress(`density host: ${line}`) });
  } catch (err) {
    problems.push({ scenario: 'density', message: `the host could not start: ${(err as Error).message}` });
    return undefined;
  }
  try {
    progress(`density: deploying ${config.density.functions} copies of ${example.name}`);
    return await measureDensity({ ...host.urls, token: host.adminToken }, dataDir, example, config.density);
  } catch (err) {
    problems.push({ scenario: 'density', message: (err as Error).message });
    return undefined;
  } finally {
    await host.close();
  }
}

await main();

/** A results file of the same schema, or undefined (absent, unreadable or older: the "before" column stays empty). */
async function readPreviousResults(file: string): Promise<BenchResults | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<BenchResults>;
    return parsed.schemaVersion === 2 ? (parsed as BenchResults) : undefined;
  } catch {
    return undefined;
  }
}
