// The bench's output: one record of the run (written as JSON) and its rendering as text tables.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExampleScan } from './examples.js';
import { repoRoot } from './examples.js';
import type { Machine } from './machine.js';
import type { DeployRow } from './scenarios/deploy-first-response.js';
import type { FreshInstanceResult } from './scenarios/fresh-instance.js';
import type { ThroughputOptions, ThroughputRow } from './scenarios/http-throughput.js';
import type { QueueBenchOptions, QueueBenchResult } from './scenarios/queue-throughput.js';
import { ratio } from './stats.js';
import { fixed, percent, textTable, times } from './text-table.js';

export interface BenchResults {
  readonly schemaVersion: 1;
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly machine: Machine;
  readonly loadAverageAtEnd: number;
  readonly config: {
    readonly hostWorkers: number;
    readonly freshInstance: { readonly iterations: number; readonly warmup: number };
    readonly http: ThroughputOptions;
    readonly queue: QueueBenchOptions;
  };
  readonly examples: ExampleScan;
  readonly deploy: { readonly bundleVia: string; readonly rows: readonly DeployRow[] } | undefined;
  readonly freshInstance: FreshInstanceResult | undefined;
  readonly http: readonly ThroughputRow[] | undefined;
  readonly queue?: QueueBenchResult | undefined;
  /** Scenarios that could not run, and why. */
  readonly problems: readonly { readonly scenario: string; readonly message: string }[];
  /** Things in these numbers that deserve suspicion, found by `findWarnings`. */
  readonly warnings: readonly string[];
}

export const resultsDir = join(repoRoot, 'bench', 'results');
/** Other processes using more than this share of all cores' time make a measurement suspect. */
const othersCpuLimit = 0.1;
/** The two node:http runs differing by more than this fraction means the machine's speed moved. */
const baselineDriftLimit = 0.1;

/** Writes `<ISO timestamp>.json` and `latest.json`; returns the timestamped path. */
export async function writeResults(results: BenchResults): Promise<string> {
  await mkdir(resultsDir, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  const file = join(resultsDir, `${results.startedAt.replace(/:/g, '-')}.json`);
  await writeFile(file, json);
  await writeFile(join(resultsDir, 'latest.json'), json);
  return file;
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
    if (row.cpu.others > othersCpuLimit) warnings.push(`${label}: other processes used ${percent(row.cpu.others)} of the CPUs meanwhile`);
  }
  const http = results.http ?? [];
  for (const row of http) {
    if (row.failure) warnings.push(`http ${row.label}: ${row.failure}`);
    if (row.cpu && row.cpu.others > othersCpuLimit) warnings.push(`http ${row.label}: other processes used ${percent(row.cpu.others)} of the CPUs meanwhile`);
    else if (row.load && (row.load.non2xx > 0 || row.load.errors > 0 || row.load.timeouts > 0)) {
      warnings.push(`http ${row.label}: ${row.load.non2xx} non-2xx, ${row.load.errors} errors, ${row.load.timeouts} timeouts`);
    }
  }
  const [first] = http;
  const again = http.at(-1);
  if (first?.load && again?.load && again !== first) {
    const drift = Math.abs(ratio(again.load.rps, first.load.rps) - 1);
    if (drift > baselineDriftLimit) warnings.push(`node:http baseline moved ${(drift * 100).toFixed(0)}% between the first and last run: HTTP ratios are noisy`);
  }
  return warnings;
}

export function renderText(results: BenchResults): string {
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

  if (results.http) {
    const { connections, durationSeconds, warmupSeconds } = config.http;
    out.push('', `3. HTTP, ${connections} connections, ${durationSeconds} s each after ${warmupSeconds} s warm-up (autocannon in a child process)`);
    out.push(`   Client and server share the same ${machine.cpuCount} cores: the baseline's rps is bounded by the client as much as by the server.`);
    out.push('   Latency is autocannon\'s, whole milliseconds, 2xx responses only. Ratios: against the mean of the two node:http runs.');
    out.push('   server CPU µs/req = CPU time of the bench process (the server under test) / requests, warm-up included.');
    out.push("   others' CPU = share of all cores' time used by other processes during the run (noise).");
    out.push(textTable(
      ['target', 'rps', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx', 'errors', 'rps × node:http', 'p99 × node:http', 'server CPU µs/req', '× node:http', "others' CPU"],
      results.http.map((row) => [
        row.label,
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

  for (const problem of results.problems) out.push('', `not run: ${problem.scenario}: ${problem.message}`);
  if (results.warnings.length > 0) out.push('', 'warnings:', ...results.warnings.map((warning) => `  - ${warning}`));
  return `${out.join('\n')}\n`;
}

/** Section 2: one row per example and memory mode, recycled rows with their ratio to fresh. */
export function renderFreshInstance(result: FreshInstanceResult, config: { readonly iterations: number; readonly warmup: number }): string[] {
  const { floorMicros, rows } = result;
  const freshOf = (example: string) => rows.find((row) => row.example === example && row.memory === 'fresh');
  return [
    `2. fresh instance per invocation, main thread, µs (n=${config.iterations} after ${config.warmup} warm-up)`,
    '   floor = new WebAssembly.Instance of an empty module with 1 page of memory, same run.',
    '   memory: fresh = each instance allocates its linear memory (modules as transpiled); recycled = the host\'s pool',
    '   supplies a zeroed one (discarded if it grew). The two modes alternate call by call. release = zeroing after the',
    '   response, off the latency path but on the worker; recycled % = calls whose memories all came from the pool.',
    '   per core /s = 1 s / mean(inst+call + release).',
    textTable(
      ['example', 'memory', 'inst+call p50', 'p99', 'instantiate p50', 'p99', 'call p50', 'p99', 'release p50', 'recycled', 'p50 × fresh', 'p99 × fresh', 'p50 × floor', 'per core /s', "others' CPU"],
      [
        ...rows.map((row) => {
          const fresh = row.memory === 'recycled' ? freshOf(row.example) : undefined;
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
            times(ratio(row.totalMicros.p50, floorMicros.p50)),
            fixed(1e6 / (row.totalMicros.mean + row.releaseMicros.mean)),
            percent(row.cpu.others),
          ];
        }),
        ['floor', '', fixed(floorMicros.p50, 1), fixed(floorMicros.p99, 1), '', '', '', '', '', '', '', '', '1.00×', fixed(1e6 / floorMicros.mean), ''],
      ],
    ),
  ];
}
