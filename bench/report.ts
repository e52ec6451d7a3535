// The bench's output: one record of the run (written as JSON) and its rendering as text tables.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderChart } from './chart.js';
import type { ExampleScan } from './examples.js';
import type { Machine } from './machine.js';
import type { DeployRow } from './scenarios/deploy-first-response.js';
import type { DensityOptions, DensityResult } from './scenarios/density.js';
import type { FreshInstanceResult } from './scenarios/fresh-instance.js';
import { instancePoolVariants, type InstancePoolRow } from './scenarios/instance-pool.js';
import type { ThroughputRow } from './scenarios/http-throughput.js';
import type { OutboundBenchResult } from './scenarios/outbound.js';
import type { QueueBenchOptions, QueueBenchResult } from './scenarios/queue-throughput.js';
import type { WaitingBenchResult } from './scenarios/waiting.js';
import { outboundWarnings, renderOutbound, renderWaiting, type OutboundConfig, type WaitingConfig } from './report-outbound.js';
import { keyValueWarnings, renderKeyValue, type KeyValueConfig } from './report-key-value.js';
import type { KeyValueBenchResult } from './scenarios/key-value.js';
import { renderObjects, type ObjectsConfig } from './report-objects.js';
import type { ObjectBenchResult } from './scenarios/object-throughput.js';
import { renderThumbnail, thumbnailWarnings, type ThumbnailConfig } from './report-thumbnail.js';
import type { ThumbnailBenchResult } from './scenarios/thumbnail-latency.js';
import { lambdaWarnings, renderLambda, type LambdaConfig } from './report-lambda.js';
import { renderFastPathGoals } from './report-fast-path-goals.js';
import type { LambdaBenchResult } from './scenarios/lambda-invoke.js';
import { othersCpuLimit, othersCpuWarning, baselineDriftWarning } from '../src/benchmark/noise-warnings.js';
import { ratio } from '../src/benchmark/stats.js';
import { fixed, percent, textTable, times } from '../src/benchmark/text-table.js';

export interface BenchResults {
  /** 2: HTTP at several concurrencies (rows carry `connections`), workerd, density, `run`. */
  readonly schemaVersion: 2;
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly machine: Machine;
  readonly loadAverageAtEnd: number;
  readonly config: {
    readonly hostWorkers: number;
    readonly freshInstance: { readonly iterations: number; readonly warmup: number };
    readonly http: { readonly connectionCounts: readonly number[]; readonly warmupSeconds: number; readonly durationSeconds: number };
    readonly queue: QueueBenchOptions;
    readonly density: DensityOptions;
    readonly outbound: OutboundConfig;
    readonly waiting: WaitingConfig;
    /** Absent in results written before scenario 8 existed. */
    readonly keyValue?: KeyValueConfig;
    /** Absent in results written before scenario 9 existed. */
    readonly objects?: ObjectsConfig;
    /** Absent in results written before scenario 11 existed. */
    readonly thumbnail?: ThumbnailConfig;
    readonly lambda?: LambdaConfig;
  };
  /** What was asked for: the scenarios (--only) and whether the counts were the --quick ones. */
  readonly run: { readonly only: readonly string[]; readonly quick: boolean };
  readonly examples: ExampleScan;
  readonly deploy: { readonly bundleVia: string; readonly rows: readonly DeployRow[] } | undefined;
  readonly freshInstance: FreshInstanceResult | undefined;
  /** Scenario 2b (runs with fresh-instance): pre-instantiation and reuse through the real WorkerPool. */
  readonly instancePool?: { readonly iterations: number; readonly warmup: number; readonly gapsMs: readonly number[]; readonly rows: readonly InstancePoolRow[] } | undefined;
  readonly http: readonly ThroughputRow[] | undefined;
  readonly queue?: QueueBenchResult | undefined;
  /** The workerd baseline of scenario 3: its version, or why it did not run. */
  readonly workerd?: { readonly version: string } | { readonly notRun: string } | undefined;
  /** The wasmtime serve peer of scenario 3 (issue 13): its version, or why it did not run. */
  readonly wasmtime?: { readonly version: string } | { readonly notRun: string } | undefined;
  readonly density?: DensityResult | undefined;
  /** Scenario 6: one outbound request from a guest against undici called directly. */
  readonly outbound?: OutboundBenchResult | undefined;
  /** Scenario 7: calls waiting on a slow upstream, and a CPU-bound function beside them. */
  readonly waiting?: WaitingBenchResult | undefined;
  /** Scenario 8: a key-value get/set from a guest against the same SQLite calls made directly. */
  readonly keyValue?: KeyValueBenchResult | undefined;
  /** Scenario 9: PutObject/GetObject through the S3 endpoint against the same bytes with fs. */
  readonly objects?: ObjectBenchResult | undefined;
  /** Scenario 11: upload -> thumbnail latency (examples/thumbnail-on-upload) against its two parts alone. */
  readonly thumbnail?: ThumbnailBenchResult | undefined;
  /** Scenario 12: an invoke through Lambda's API against the same invoke through /v1/functions/{name}/invoke. */
  readonly lambda?: LambdaBenchResult | undefined;
  /** Scenarios that could not run, and why. */
  readonly problems: readonly { readonly scenario: string; readonly message: string }[];
  /** Things in these numbers that deserve suspicion, found by `findWarnings`. */
  readonly warnings: readonly string[];
}

/** A deploy in the last tenth of the density run more than this multiple of one in the first tenth: cost grows with the registry. */
const deployGrowthLimit = 1.5;

/** HTTP rows grouped by concurrency, in run order (each group starts and ends with node:http). */
export function byConnections(rows: readonly ThroughputRow[]): Map<number, ThroughputRow[]> {
  const groups = new Map<number, ThroughputRow[]>();
  for (const row of rows) groups.set(row.connections, [...(groups.get(row.connections) ?? []), row]);
  return groups;
}

/** Writes `<ISO timestamp>.json` and `.svg` into `dir`, and `latest.json` / `latest.svg` when `latest`; returns the timestamped paths. */
export async function writeResults(results: BenchResults, where: { readonly dir: string; readonly latest: boolean }): Promise<{ json: string; svg: string }> {
  await mkdir(where.dir, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  const svg = renderChart(results);
  const stem = join(where.dir, results.startedAt.replace(/:/g, '-'));
  await writeFile(`${stem}.json`, json);
  await writeFile(`${stem}.svg`, svg);
  if (where.latest) {
    await writeFile(join(where.dir, 'latest.json'), json);
    await writeFile(join(where.dir, 'latest.svg'), svg);
  }
  return { json: `${stem}.json`, svg: `${stem}.svg` };
}

export function findWarnings(results: Omit<BenchResults, 'warnings'>): string[] {
  const warnings: string[] = [];
  const { machine } = results;
  if (machine.othersCpuBeforeStart > othersCpuLimit) {
    warnings.push(`other processes used ${percent(machine.othersCpuBeforeStart)} of the CPUs in the second before the run`);
  }
  for (const row of results.deploy?.rows ?? []) {
    for (const [kind, timing] of [['cold', row.cold], ['cached-component', row.cachedComponent]] as const) {
      if (timing.lastGetStatus !== 200) warnings.push(`deploy ${row.example} (${kind}): admin answered ${timing.postStatus}, route never answered 200 (last ${timing.lastGetStatus})`);
    }
  }
  for (const row of results.freshInstance?.rows ?? []) {
    const label = `fresh instance ${row.example} (${row.memory} memory)`;
    if (row.failures > 0) warnings.push(`${label}: ${row.failures} invocations did not return ok (${row.firstFailure})`);
    const busy = othersCpuWarning(label, row.cpu.others);
    if (busy) warnings.push(busy);
  }
  for (const row of results.instancePool?.rows ?? []) {
    const label = `instance pool ${row.example} (${row.variant}, gap ${row.gapMs} ms)`;
    if (row.failures > 0) warnings.push(`${label}: ${row.failures} invocations did not return ok (${row.firstFailure})`);
    const busy = othersCpuWarning(label, row.cpu.others);
    if (busy) warnings.push(busy);
  }
  const http = results.http ?? [];
  for (const row of http) {
    const label = `${row.label} at ${row.connections}`;
    if (row.failure) warnings.push(`http ${label}: ${row.failure}`);
    const busy = row.cpu ? othersCpuWarning(`http ${label}`, row.cpu.others) : undefined;
    if (busy) warnings.push(busy);
    else if (row.load && (row.load.non2xx > 0 || row.load.errors > 0 || row.load.timeouts > 0)) {
      warnings.push(`http ${label}: ${row.load.non2xx} non-2xx, ${row.load.errors} errors, ${row.load.timeouts} timeouts`);
    }
  }
  for (const [connections, rows] of byConnections(http)) {
    const [first] = rows;
    const again = rows.at(-1);
    if (first?.load && again?.load && again !== first) {
      const moved = baselineDriftWarning(`node:http baseline at ${connections} connections`, first.load.rps, again.load.rps, 'HTTP ratios are noisy');
      if (moved) warnings.push(moved);
    }
  }
  const density = results.density;
  if (density) {
    if (density.failedDeploys > 0) warnings.push(`density: ${density.failedDeploys} deploys failed (${density.firstFailure})`);
    if (density.failedCalls > 0) warnings.push(`density: ${density.failedCalls} calls did not answer 200`);
    const growth = ratio(density.deployMsLastTenth.p50, density.deployMsFirstTenth.p50);
    if (growth > deployGrowthLimit) warnings.push(`density: a deploy's p50 grew ${times(growth)} from the first to the last tenth: deploy cost grows with the number of functions`);
  }
  warnings.push(...outboundWarnings(results.outbound, results.waiting, othersCpuLimit));
  warnings.push(...keyValueWarnings(results.keyValue, othersCpuLimit));
  if (results.thumbnail) warnings.push(...thumbnailWarnings(results.thumbnail));
  if (results.lambda) warnings.push(...lambdaWarnings(results.lambda));
  if (results.run.quick) warnings.push('--quick run: counts and durations are cut short; do not quote these numbers');
  return warnings;
}

export function renderText(results: BenchResults, previous?: BenchResults): string {
  const { machine, config } = results;
  const out: string[] = [];
  const commit = machine.gitCommit ? `${machine.gitCommit.slice(0, 10)}${machine.gitDirty ? ' + uncommitted changes' : ''}` : 'unknown commit';
  out.push(`wasmlet bench  ${results.startedAt}  (${results.durationSeconds.toFixed(0)} s)`);
  out.push(`node ${machine.node} (V8 ${machine.v8}), ${machine.os}, ${machine.cpuCount}× ${machine.cpuModel}, ${machine.totalMemoryGiB} GiB, ${commit}`);
  out.push(`other processes used ${percent(machine.othersCpuBeforeStart)} of the CPUs in the second before the run; load average ${machine.loadAverageAtStart.toFixed(2)} at start, ${results.loadAverageAtEnd.toFixed(2)} at end`);
  for (const skipped of results.examples.skipped) out.push(`example ${skipped.name} skipped: ${skipped.reason}`);

  if (results.deploy) {
    out.push('', `1. deploy -> first 200 from its route, ms (host with ${config.hostWorkers} workers, cold data dir; bundle via ${results.deploy.bundleVia})`);
    out.push('   "cached" = the same component redeployed under a new name: no transpile, no compile.');
    out.push(textTable(
      ['example', 'cold total', 'POST', 'then first 200', 'cached total', 'cold / cached'],
      results.deploy.rows.map((row) => [
        row.example,
        fixed(row.cold.totalMs),
        fixed(row.cold.postMs),
        fixed(row.cold.firstResponseMs),
        fixed(row.cachedComponent.totalMs),
        times(ratio(row.cold.totalMs, row.cachedComponent.totalMs)),
      ]),
    ));
  }

  if (results.freshInstance) out.push('', ...renderFreshInstance(results.freshInstance, config.freshInstance));
  if (results.instancePool) out.push('', ...renderInstancePool(results.instancePool.rows, results.instancePool));

  if (results.http) {
    const { connectionCounts, durationSeconds, warmupSeconds } = config.http;
    out.push('', `3. HTTP at ${connectionCounts.join(', ')} connections, ${durationSeconds} s each after ${warmupSeconds} s warm-up (autocannon in a child process)`);
    out.push(`   Client and server share the same ${machine.cpuCount} cores: the baseline's rps is bounded by the client as much as by the server.`);
    out.push('   Latency is autocannon\'s, whole milliseconds, 2xx responses only. Ratios: against the mean of the two node:http runs.');
    out.push('   server CPU µs/req = CPU time of the bench process (the server under test) / requests, warm-up included.');
    out.push("   others' CPU = share of all cores' time used by other processes during the run (noise).");
    if (results.workerd && 'notRun' in results.workerd) out.push(`   workerd baseline ${results.workerd.notRun}`);
    else if (results.workerd) out.push(`   workerd ${results.workerd.version}: one process, its own HTTP stack, the worker in a V8 isolate.`);
    if (results.wasmtime && 'notRun' in results.wasmtime) out.push(`   wasmtime serve ${results.wasmtime.notRun}`);
    else if (results.wasmtime) out.push(`   ${results.wasmtime.version} serve: the same wasi:http component as wasmlet hello-c-http, a fresh instance per request.`);
    out.push(textTable(
      ['target', 'conns', 'rps', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx', 'errors', 'rps × node:http', 'p99 × node:http', 'server CPU µs/req', '× node:http', "others' CPU"],
      results.http.map((row) => [
        row.label,
        String(row.connections),
        fixed(row.load?.rps),
        fixed(row.load?.latencyMs.p50),
        fixed(row.load?.latencyMs.p99),
        fixed(row.load?.latencyMs.max),
        fixed(row.load?.non2xx),
        fixed(row.load ? row.load.errors + row.load.timeouts : undefined),
        times(row.rpsVsBaseline),
        times(row.p99VsBaseline),
        fixed(row.serverCpuMicrosPerRequest),
        times(row.serverCpuVsBaseline),
        row.cpu ? percent(row.cpu.others) : '–',
      ]),
    ));
  }

  if (results.queue) {
    const { messages, concurrency, publishRequests } = config.queue;
    out.push('', `4. durable queue (embedded SQLite, WAL), ${messages} messages of ~12 bytes per drain, ${config.queue.workers} workers`);
    out.push('   durability: normal = synchronous=NORMAL (survives a process crash; the default), full = synchronous=FULL (fsync per commit, survives power loss).');
    out.push(`   C guest: test/fixtures/queue-probe on a fresh instance per batch, ${concurrency} batches in flight; each message's ack and its report to a second`);
    out.push('   queue commit in one transaction. store only = the same commits by a loop with no guest (the floor). Time from the move of all messages into the queue to the last report.');
    out.push(textTable(
      ['durability', 'consumer', 'msg/s', 'seconds', '× store only'],
      results.queue.drain.map((row) => {
        const floor = results.queue!.drain.find((r) => r.durability === row.durability && r.label.startsWith('store only'));
        return [row.durability, row.label, fixed(row.messagesPerSecond), fixed(row.seconds, 2), times(ratio(row.messagesPerSecond, floor?.messagesPerSecond))];
      }),
    ));
    out.push('', `   publish: ${publishRequests} sequential single-message POST /v1/queues/{q}/messages over loopback HTTP (undici), µs`);
    out.push(textTable(
      ['durability', 'p50', 'p90', 'p99', 'max'],
      results.queue.publish.map((row) => [row.durability, fixed(row.latencyMicros.p50), fixed(row.latencyMicros.p90), fixed(row.latencyMicros.p99), fixed(row.latencyMicros.max)]),
    ));
  }

  if (results.density) out.push('', ...renderDensity(results.density));
  if (results.outbound) out.push('', ...renderOutbound(results.outbound, config.outbound));
  if (results.waiting) out.push('', ...renderWaiting(results.waiting, config.waiting));
  if (results.keyValue && config.keyValue) out.push('', ...renderKeyValue(results.keyValue, config.keyValue));
  if (results.objects && config.objects) out.push('', ...renderObjects(results.objects, config.objects));
  if (results.thumbnail && config.thumbnail) out.push('', ...renderThumbnail(results.thumbnail, config.thumbnail));
  if (results.lambda && config.lambda) out.push('', ...renderLambda(results.lambda, config.lambda));

  const goals = renderFastPathGoals(results, previous);
  if (goals.length > 0) out.push('', ...goals);

  for (const problem of results.problems) out.push('', `not run: ${problem.scenario}: ${problem.message}`);
  if (results.warnings.length > 0) out.push('', 'warnings:', ...results.warnings.map((warning) => `  - ${warning}`));
  return `${out.join('\n')}\n`;
}

/** Section 2: one row per example and memory mode, recycled rows with their ratio to fresh. */
export function renderFreshInstance(result: FreshInstanceResult, config: { readonly iterations: number; readonly warmup: number }): string[] {
  const { floorMicros, rows } = result;
  const freshOf = (example: string) => rows.find((row) => row.example === example && row.memory === 'fresh');
  const unfoldedOf = (example: string) => rows.find((row) => row.example === example && row.memory === 'unfolded');
  const recycledOf = (example: string) => rows.find((row) => row.example === example && row.memory === 'recycled');
  return [
    `2. fresh instance per invocation, main thread, µs (n=${config.iterations} after ${config.warmup} warm-up)`,
    '   floor = new WebAssembly.Instance of an empty module with 1 page of memory, same run.',
    '   memory: fresh = each instance allocates its linear memory (modules as transpiled); unfolded = the host\'s pool',
    '   supplies a zeroed one (discarded if it grew), on the glue\'s own core instances (main, adapter, shim, fixup);',
    '   recycled = the pool\'s memory and, where the deploy could, the core modules folded into one, through jco\'s glue',
    '   (compile/fold-core-modules.ts; × unfolded is its gain); direct = the host\'s default where it applies: the folded',
    '   module instantiated and called without the glue (runtime/direct-instance.ts; × recycled is its gain); snapshot = recycled, started from the state after init ([runtime]',
    '   init_snapshot, examples that set it). The modes on the pool\'s memory alternate call by call; fresh runs after them, in a block of its own (its memory per call brings GCs that would land on their calls). release = zeroing after the',
    '   response, off the latency path but on the worker; recycled % = calls whose memories all came from the pool.',
    '   per core /s = 1 s / mean(inst+call + release).',
    textTable(
      ['example', 'memory', 'inst+call p50', 'p99', 'instantiate p50', 'p99', 'call p50', 'p99', 'release p50', 'recycled', 'p50 × fresh', 'p99 × fresh', 'p50 × unfolded', 'p99 × unfolded', 'p50 × recycled', 'p99 × recycled', 'p50 × floor', 'per core /s', "others' CPU"],
      [
        ...rows.map((row) => {
          const fresh = row.memory !== 'fresh' ? freshOf(row.example) : undefined;
          const unfolded = row.memory === 'recycled' || row.memory === 'direct' ? unfoldedOf(row.example) : undefined;
          const recycled = row.memory === 'direct' ? recycledOf(row.example) : undefined;
          return [
            row.example,
            row.memory,
            fixed(row.totalMicros.p50),
            fixed(row.totalMicros.p99),
            fixed(row.instantiateMicros.p50),
            fixed(row.instantiateMicros.p99),
            fixed(row.callMicros.p50, 1),
            fixed(row.callMicros.p99, 1),
            fixed(row.releaseMicros.p50, 1),
            percent(row.recycledShare),
            times(ratio(row.totalMicros.p50, fresh?.totalMicros.p50)),
            times(ratio(row.totalMicros.p99, fresh?.totalMicros.p99)),
            times(ratio(row.totalMicros.p50, unfolded?.totalMicros.p50)),
            times(ratio(row.totalMicros.p99, unfolded?.totalMicros.p99)),
            times(ratio(row.totalMicros.p50, recycled?.totalMicros.p50)),
            times(ratio(row.totalMicros.p99, recycled?.totalMicros.p99)),
            times(ratio(row.totalMicros.p50, floorMicros.p50)),
            fixed(1e6 / (row.totalMicros.mean + row.releaseMicros.mean)),
            percent(row.cpu.others),
          ];
        }),
        ['floor', '', fixed(floorMicros.p50, 1), fixed(floorMicros.p99, 1), '', '', '', '', '', '', '', '', '', '', '', '', '1.00×', fixed(1e6 / floorMicros.mean), ''],
      ],
    ),
  ];
}

/** Section 5: deploy cost as the registry grows, a cold function's first call next to its second, memory. */
function renderDensity(result: DensityResult): string[] {
  const { deployMs, deployMsFirstTenth: early, deployMsLastTenth: late, firstCallMs, secondCallMs, rssMiB, heapUsedMiB } = result;
  const perFunctionKiB = ((rssMiB.afterDeploys - rssMiB.before) * 1024) / result.functions;
  return [
    `5. density: ${result.functions} functions (${result.example} under ${result.functions} names and routes) on one host, deployed one by one in ${fixed(result.deploySeconds)} s`,
    '   deploy = POST of the bundle -> admin answered (the component is deduped and its WIT cached: no toolchain worker, transpile or compile after the first).',
    `   registry at the end: ${result.registryBytes === undefined ? '–' : `${(result.registryBytes / 1024 / 1024).toFixed(1)} MiB in ${result.registryFiles ?? '–'} files`}, one per function; a deploy writes only its own function's file.`,
    `   calls: ${firstCallMs.n} functions chosen at random, each called twice over HTTP; the second call is the baseline. RSS = the bench process (host + workers).`,
    textTable(
      ['measure', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'n'],
      [
        ['deploy, all', fixed(deployMs.p50, 1), fixed(deployMs.p90, 1), fixed(deployMs.p99, 1), fixed(deployMs.max, 1), String(deployMs.n)],
        ['deploy, first tenth', fixed(early.p50, 1), fixed(early.p90, 1), fixed(early.p99, 1), fixed(early.max, 1), String(early.n)],
        ['deploy, last tenth', fixed(late.p50, 1), fixed(late.p90, 1), fixed(late.p99, 1), fixed(late.max, 1), String(late.n)],
        ['first call', fixed(firstCallMs.p50, 2), fixed(firstCallMs.p90, 2), fixed(firstCallMs.p99, 2), fixed(firstCallMs.max, 2), String(firstCallMs.n)],
        ['second call', fixed(secondCallMs.p50, 2), fixed(secondCallMs.p90, 2), fixed(secondCallMs.p99, 2), fixed(secondCallMs.max, 2), String(secondCallMs.n)],
      ],
    ),
    `   last tenth / first tenth (deploy p50): ${times(ratio(late.p50, early.p50))}; first call / second call (p50): ${times(ratio(firstCallMs.p50, secondCallMs.p50))}`,
    `   RSS MiB: ${fixed(rssMiB.before)} before, ${fixed(rssMiB.afterDeploys)} after the deploys (${fixed(perFunctionKiB, 1)} KiB per function), ${fixed(rssMiB.afterCalls)} after the calls;` +
      ` JS heap used ${fixed(heapUsedMiB.before)} -> ${fixed(heapUsedMiB.afterDeploys)} -> ${fixed(heapUsedMiB.afterCalls)} MiB`,
  ];
}

/** Section 2b: latency through the WorkerPool per instance origin, each variant against fresh in the same example and pattern. */
export function renderInstancePool(rows: readonly InstancePoolRow[], config: { readonly iterations: number; readonly warmup: number }): string[] {
  const [baseline] = instancePoolVariants;
  const baselineOf = (row: InstancePoolRow) => rows.find((r) => r.example === row.example && r.gapMs === row.gapMs && r.variant === baseline?.label);
  return [
    `2b. one invocation through the WorkerPool (1 worker), main thread -> worker -> main thread, µs (n=${config.iterations} per row after ${config.warmup} warm-up)`,
    '   fresh = pre-instantiation off (the baseline); pre-instantiated = the worker instantiated it while idle, after its previous answer;',
    '   reuse 100 = [runtime] instance_reuse = 100 (state persists across 100 calls). gap = idle time before each call (0 = back-to-back:',
    '   the next call races the preparation). Variants alternate in blocks of 50. inst on path = instantiation inside the latency.',
    '   origin = share of calls served by a fresh (f), pre-instantiated (p) or reused (r) instance.',
    textTable(
      ['example', 'gap ms', 'variant', 'p50', 'p90', 'p99', 'inst on path p50', 'call p50', 'origin f/p/r', 'p50 × fresh', 'p99 × fresh', "others' CPU"],
      rows.map((row) => {
        const base = row.variant === baseline?.label ? undefined : baselineOf(row);
        return [
          row.example,
          String(row.gapMs),
          row.variant,
          fixed(row.latencyMicros.p50),
          fixed(row.latencyMicros.p90),
          fixed(row.latencyMicros.p99),
          fixed(row.instantiateMicros.p50),
          fixed(row.callMicros.p50),
          [row.origins.fresh, row.origins['pre-instantiated'], row.origins.reused].map((share) => percent(share)).join('/'),
          times(ratio(row.latencyMicros.p50, base?.latencyMicros.p50)),
          times(ratio(row.latencyMicros.p99, base?.latencyMicros.p99)),
          percent(row.cpu.others),
        ];
      }),
    ),
  ];
}
