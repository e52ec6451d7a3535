// `wasmlet bench <target>`: benchmark one function (deployed, a folder or a zip), alone or beside other
// configurations of it (--vary, --against), on the host of --admin-url or an in-process one (--local).
// The measuring is src/benchmark/; this file turns the command line into it, starts and stops what
// it needs (the local host, the load generator), handles Ctrl-C and writes the table, JSON and SVG.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { AdminClient } from '../../client/admin-client.js';
import { WasmletError } from '../../errors/wasmlet-error.js';
import { hostVersion } from '../../host/host-version.js';
import { isLoopback } from '../../host/host-options.js';
import { planConfigurations, resolveTarget, type TargetSource } from '../../benchmark/bench-configurations.js';
import type { FunctionBenchResult } from '../../benchmark/bench-result.js';
import { parseVary } from '../../benchmark/bench-settings.js';
import { renderBenchChart } from '../../benchmark/bench-chart.js';
import { renderBenchText } from '../../benchmark/bench-report.js';
import { findBenchWarnings } from '../../benchmark/bench-warnings.js';
import { runFunctionBench } from '../../benchmark/function-bench.js';
import { adminMetricsUsage, inProcessUsage, type HostUsageSource } from '../../benchmark/host-usage.js';
import { startLoadGenerator } from '../../benchmark/load-generator.js';
import { othersCpuLimit } from '../../benchmark/noise-warnings.js';
import { recommend } from '../../benchmark/recommendation.js';
import { tokenFor } from '../client-token.js';
import { runCommand, type CommandContext } from '../command-context.js';
import { progressLine } from '../progress-line.js';

export interface BenchTargetOptions {
  readonly local?: boolean | undefined;
  readonly path?: string | undefined;
  readonly method?: string | undefined;
  /** `name: value`, repeatable. */
  readonly header?: readonly string[] | undefined;
  /** The body as text, or `@file` for a file's bytes. */
  readonly body?: string | undefined;
  readonly contentType?: string | undefined;
  readonly invoke?: boolean | undefined;
  /** `--queue` alone (true): the function's own queue; `--queue <name>`: that one. */
  readonly queue?: string | boolean | undefined;
  readonly vary?: string | undefined;
  readonly against?: string | undefined;
  readonly duration?: number | undefined;
  readonly requests?: number | undefined;
  readonly connections?: number | undefined;
  readonly rounds?: number | undefined;
  readonly out?: string | undefined;
  readonly httpUrl?: string | undefined;
  readonly workers?: number | undefined;
}

/** Without --duration or --requests: 5 s per configuration and level. */
const defaultDurationSeconds = 5;
const defaultMaxConnections = 64;
const defaultRounds = 2;
/** The options that only mean something with a target, as the command line spells them, among those given. */
export function targetOnlyOptions(options: BenchTargetOptions): string[] {
  const given = Object.entries(options).filter(([key, value]) => key in targetOptionFlags && value !== undefined && value !== false);
  return given.map(([key]) => targetOptionFlags[key as keyof typeof targetOptionFlags]);
}

const targetOptionFlags = {
  local: '--local', path: '--path', method: '--method', header: '--header', body: '--body', contentType: '--content-type', invoke: '--invoke', queue: '--queue',
  vary: '--vary', against: '--against', duration: '--duration', requests: '--requests', connections: '--connections', rounds: '--rounds', httpUrl: '--http-url', workers: '--workers',
} as const satisfies Partial<Record<keyof BenchTargetOptions, string>>;

/** `--duration 2.5`: seconds, a positive number (decimals allowed, for short runs). */
export function parseSeconds(value: string): number {
  if (!/^\d{1,6}(\.\d{1,3})?$/.test(value) || Number(value) <= 0) throw new InvalidArgumentError('expected a positive number of seconds, e.g. 5 or 0.5');
  return Number(value);
}

/** `wasmlet serve`'s function port, beside its admin port. */
const defaultHttpPort = '8080';
/** The exit status after Ctrl-C (128 + SIGINT), once the partial report is out. */
export const exitInterrupted = 130;

export function benchTargetCommand(target: string, options: BenchTargetOptions, ctx: CommandContext): Promise<number> {
  return runCommand(ctx, async () => {
    if (options.vary !== undefined && options.against !== undefined) throw new WasmletError('bad_request', 'use --vary or --against, not both');
    const vary = options.vary === undefined ? undefined : parseVary(options.vary);
    const triggerKind = options.invoke ? 'invoke' : options.queue !== undefined && options.queue !== false ? 'queue' : options.path !== undefined ? 'http' : undefined;
    if (options.invoke && options.queue) throw new WasmletError('bad_request', 'use --invoke or --queue, not both');
    const body = await bodyOf(options.body);
    const headers = headersOf(options.header ?? []);
    const bounds = {
      durationSeconds: options.duration ?? (options.requests === undefined ? defaultDurationSeconds : undefined),
      requests: options.requests,
      maxConnections: options.connections ?? defaultMaxConnections,
      rounds: options.rounds ?? defaultRounds,
    };

    const cleanup: (() => Promise<void>)[] = [];
    const abort = new AbortController();
    const line = progressLine(ctx.output);
    let generatorStop = () => undefined as void;
    const onSigint = () => {
      if (abort.signal.aborted) process.exit(exitInterrupted);
      line.note('Ctrl-C: stopping; the report shows what was measured so far (Ctrl-C again to quit at once)');
      abort.abort();
      generatorStop();
    };
    process.on('SIGINT', onSigint);
    try {
      const host = await openHost(options, ctx, cleanup);
      const main = await resolveTarget(target, host.admin, options.local === true);
      const against = options.against === undefined ? undefined : await resolveTarget(options.against, host.admin, options.local === true);
      const plan = planConfigurations(main, { vary, against }, { kind: triggerKind, path: options.path, method: options.method?.toUpperCase(), headers, queue: typeof options.queue === 'string' ? options.queue : undefined, body, contentType: options.contentType ?? 'application/json' }, host);
      const generator = startLoadGenerator();
      cleanup.push(() => generator.close());
      generatorStop = () => generator.stop();
      const startedAt = new Date().toISOString();
      const run = await runFunctionBench(plan.configurations, bounds, {
        admin: host.admin,
        generator,
        usage: host.usage,
        progress: (text) => line.update(text),
        signal: abort.signal,
        swapRoutes: plan.swapRoutes,
        remoteHostOnThisMachine: !options.local && isLoopback(new URL(host.adminUrl).hostname.replace(/^\[(.*)\]$/, '$1')),
      });
      line.done();
      const partial = {
        tool: 'wasmlet bench' as const,
        version: hostVersion,
        startedAt,
        finishedAt: new Date().toISOString(),
        interrupted: run.interrupted,
        target: { kind: main.kind, name: nameOf(main), path: main.kind === 'deployed' ? null : main.spec, local: options.local === true, adminUrl: options.local ? 'in-process' : host.adminUrl },
        trigger: plan.trigger,
        vary: vary ?? null,
        against: options.against ?? null,
        bounds: { durationSeconds: bounds.durationSeconds ?? null, requests: bounds.requests ?? null, maxConnections: bounds.maxConnections, rounds: bounds.rounds },
        machine: { node: process.version, cpuCount: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? 'unknown' },
        hostMetrics: host.usage.kind,
        loadGenerator: { process: 'child' as const, cpuShare: run.loadGeneratorCpuShare },
        configurations: run.configurations,
      };
      const warnings = findBenchWarnings(run.configurations, run);
      const noisy = run.configurations.some((c) => c.levels.some((l) => l.othersCpuShare > othersCpuLimit));
      const result: FunctionBenchResult = { ...partial, recommendation: recommend(run.configurations, vary ?? null, noisy), warnings };
      const files = await writeResults(result, options.out ?? 'wasmlet-bench');
      if (ctx.json) ctx.output.out(`${JSON.stringify(result)}\n`);
      else ctx.output.out(`${renderBenchText(result)}\nJSON: ${files.json}\nchart: ${files.svg}\n`);
      return run.interrupted ? exitInterrupted : 0;
    } finally {
      line.done();
      process.off('SIGINT', onSigint);
      for (const step of cleanup.reverse()) await step().catch(() => undefined);
    }
  });
}

interface BenchHost {
  readonly admin: AdminClient;
  readonly adminUrl: string;
  readonly httpUrl: string;
  readonly token?: string | undefined;
  readonly usage: HostUsageSource;
}

/** The host of --admin-url, or with --local one started in this process on a temporary data dir. */
async function openHost(options: BenchTargetOptions, ctx: CommandContext, cleanup: (() => Promise<void>)[]): Promise<BenchHost> {
  if (options.local) {
    const dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-bench-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    // Loaded only here: the other commands never load the runtime.
    const { startHost } = await import('../../host/start-host.js');
    const running = await startHost({ host: '127.0.0.1', port: 0, adminPort: 0, dataDir, workers: options.workers ?? availableParallelism(), deployExamples: false, log: () => undefined });
    cleanup.push(() => running.close());
    const admin = new AdminClient({ url: running.urls.admin, token: running.adminToken });
    cleanup.push(() => admin.close());
    return { admin, adminUrl: running.urls.admin, httpUrl: running.urls.http, token: running.adminToken, usage: inProcessUsage };
  }
  const token = await tokenFor(ctx, ctx.adminUrl);
  const admin = new AdminClient({ url: ctx.adminUrl, token });
  cleanup.push(() => admin.close());
  const httpUrl = (options.httpUrl ?? defaultHttpUrl(admin.url)).replace(/\/+$/, '');
  return { admin, adminUrl: admin.url, httpUrl, token, usage: await adminMetricsUsage(admin.url, token) };
}

/** The function port of a `wasmlet serve` whose admin API is `adminUrl`: same address, port 8080. */
function defaultHttpUrl(adminUrl: string): string {
  const url = new URL(adminUrl);
  url.port = defaultHttpPort;
  return url.origin;
}

function nameOf(source: TargetSource): string {
  return source.kind === 'deployed' ? source.info.name : source.bundle.manifest.name;
}

async function bodyOf(body: string | undefined): Promise<Uint8Array | undefined> {
  if (body === undefined) return undefined;
  if (!body.startsWith('@')) return new TextEncoder().encode(body);
  const path = body.slice(1);
  return new Uint8Array(
    await readFile(path).catch((err: unknown) => {
      throw new WasmletError('bad_request', `cannot read --body ${body}: ${(err as Error).message}`, { path }, { cause: err });
    }),
  );
}

function headersOf(lines: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const at = line.indexOf(':');
    if (at < 1) throw new WasmletError('bad_request', `--header takes "name: value", got ${JSON.stringify(line)}`);
    headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  return headers;
}

/** `<out>/<function>-<timestamp>.json` and `.svg`. */
async function writeResults(result: FunctionBenchResult, dir: string): Promise<{ json: string; svg: string }> {
  await mkdir(dir, { recursive: true });
  const stem = join(dir, `${basename(result.target.name)}-${result.startedAt.replace(/[:.]/g, '-')}`);
  await writeFile(`${stem}.json`, `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(`${stem}.svg`, renderBenchChart(result));
  return { json: `${stem}.json`, svg: `${stem}.svg` };
}
