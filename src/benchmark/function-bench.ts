// The measurement of `wasmlet bench <target>`: deploys the temporary copies, takes each configuration's
// first call after deploy, then rises through the concurrency levels. At every level each configuration
// runs `rounds` blocks, in ABBA order (A B, then B A), so a drift of the machine falls on all of them;
// each block starts with a warm-up whose calls are counted apart. The copies are removed at the end,
// also after Ctrl-C (the abort signal), which ends the current block with what it measured.
import { cpus } from 'node:os';
import type { AdminClient } from '../client/admin-client.js';
import { WasmletError } from '../errors/wasmlet-error.js';
import type { CallSample, ConfigurationResult, LevelResult } from './bench-result.js';
import { startCpuWatch } from './cpu-watch.js';
import type { HostUsageSource } from './host-usage.js';
import { LatencyHistogram } from './latency-histogram.js';
import { levelResult, scalingThreshold, type BlockMeasurement } from './level-result.js';
import type { LoadGenerator } from './load-generator.js';
import type { LoadJob, LoadResult, LoadTarget } from './load-protocol.js';

export interface BenchConfiguration {
  readonly label: string;
  readonly settings: ConfigurationResult['settings'];
  readonly source:
    | { readonly kind: 'deployed'; readonly name: string }
    /** A temporary copy: `parkedZip` keeps its HTTP routes out of the way, `liveZip` serves them while it is measured. */
    | { readonly kind: 'copy'; readonly name: string; readonly liveZip: Uint8Array; readonly parkedZip: Uint8Array };
  readonly target: LoadTarget;
  /** Configurations with the same key run the same compiled code on the host (component, memory_mb, init_snapshot). */
  readonly codeKey: string;
}

export interface BenchBounds {
  /** Measured seconds per configuration and level (split over the rounds). */
  readonly durationSeconds?: number | undefined;
  /** Measured calls per configuration and level (split over the rounds). */
  readonly requests?: number | undefined;
  /** The highest concurrency tried. */
  readonly maxConnections: number;
  readonly rounds: number;
}

export interface FunctionBenchDeps {
  readonly admin: Pick<AdminClient, 'deploy' | 'delete' | 'get'>;
  readonly generator: LoadGenerator;
  readonly usage: HostUsageSource;
  /** A progress line (what runs now and its counts). */
  readonly progress: (line: string) => void;
  /** Aborted by Ctrl-C: no new block starts. */
  readonly signal: AbortSignal;
  /** HTTP trigger: copies of one function take the real routes in turn. */
  readonly swapRoutes: boolean;
  /** The host runs on this machine in another process: its CPU is the bench's, not "others'". */
  readonly remoteHostOnThisMachine: boolean;
}

export interface FunctionBenchRun {
  readonly configurations: ConfigurationResult[];
  readonly interrupted: boolean;
  /** The load generator's share of all cores' time over the measured blocks. */
  readonly loadGeneratorCpuShare: number;
}

/** Warm-up before each block: a fifth of it, at most 1 s (or a fifth of its calls, at least one per connection). */
const warmupShare = 0.2;
const maxWarmupMs = 1000;

/** 1, 2, 4, ... up to `max`, with `max` itself last. */
export function connectionLevels(max: number): number[] {
  const levels: number[] = [];
  for (let c = 1; c < max; c *= 2) levels.push(c);
  levels.push(max);
  return levels;
}

/**
 * @example
 * const run = await runFunctionBench(plan.configurations, { requests: 200, maxConnections: 16, rounds: 2 }, { admin, generator, usage, progress, signal, swapRoutes, remoteHostOnThisMachine: false });
 * run.configurations[0].levels[0].latencyMicros.p50;
 */
export async function runFunctionBench(configs: readonly BenchConfiguration[], bounds: BenchBounds, deps: FunctionBenchDeps): Promise<FunctionBenchRun> {
  const deployed: string[] = [];
  let live: BenchConfiguration | undefined;
  const activate = async (config: BenchConfiguration) => {
    if (!deps.swapRoutes || config.source.kind !== 'copy' || live === config) return;
    if (live?.source.kind === 'copy') await deps.admin.deploy(live.source.parkedZip);
    await deps.admin.deploy(config.source.liveZip).catch((err: unknown) => {
      if (!(err instanceof WasmletError) || err.code !== 'route_conflict') throw err;
      throw new WasmletError(
        'route_conflict',
        `${err.message}: the copy ${config.source.name} (${config.label}) must serve the same route while it is measured. Bench the deployed function by name, use --local (a host of its own) or --invoke (no route needed)`,
        err.details,
        { cause: err },
      );
    });
    live = config;
  };
  const cold = new Map<BenchConfiguration, ConfigurationResult['cold']>();
  const levels = new Map<BenchConfiguration, LevelResult[]>(configs.map((c) => [c, []]));
  let loadCpuMicros = 0;
  let measuredMs = 0;
  try {
    for (const config of configs) {
      if (deps.signal.aborted || config.source.kind !== 'copy') continue;
      deps.progress(`deploying ${config.label} as ${config.source.name}`);
      deployed.push(config.source.name);
      await deps.admin.deploy(config.source.parkedZip);
    }
    for (const config of configs) {
      if (deps.signal.aborted) break;
      await activate(config);
      deps.progress(`${config.label}: first call`);
      const first = await deps.generator.run({ target: config.target, connections: 1, requests: 1 });
      // The host compiles a component once per code key: a later copy with the same key finds it compiled.
      const sharesCodeWith = configs.slice(0, configs.indexOf(config)).find((c) => c.codeKey === config.codeKey)?.label ?? null;
      cold.set(config, { ...firstSample(first), afterDeploy: config.source.kind === 'copy', sharesCodeWith });
    }
    // The cold call ran on what a deploy serves first; the levels measure the steady state, after
    // the host's background fold switched the function to its folded code.
    for (const config of configs) {
      if (deps.signal.aborted) break;
      await waitForFold(config, deps);
    }
    const best = new Map<BenchConfiguration, number>();
    for (const connections of connectionLevels(bounds.maxConnections)) {
      if (deps.signal.aborted) break;
      const blocks = new Map<BenchConfiguration, BlockMeasurement[]>(configs.map((c) => [c, []]));
      for (let round = 0; round < bounds.rounds && !deps.signal.aborted; round++) {
        const order = round % 2 === 0 ? configs : [...configs].reverse();
        for (const config of order) {
          if (deps.signal.aborted) break;
          await activate(config);
          const block = await runBlock(config, connections, round, bounds, deps);
          blocks.get(config)!.push(block);
          loadCpuMicros += block.load.cpuMicros;
          measuredMs += block.load.elapsedMs;
        }
      }
      let allSaturated = true;
      for (const config of configs) {
        const measured = blocks.get(config)!;
        if (measured.length === 0) continue;
        const level = levelResult(connections, measured, best.get(config));
        levels.get(config)!.push(level);
        best.set(config, Math.max(best.get(config) ?? 0, level.rps));
        // The latest level decides: a dip at one level that a higher one grows out of was noise.
        if (!level.saturated) allSaturated = false;
      }
      if (allSaturated) break;
    }
  } finally {
    // Copies go whatever happened; a failure to delete one is reported, not thrown over the first error.
    for (const name of deployed) {
      await deps.admin.delete(name).catch((err: unknown) => deps.progress(`could not delete the temporary function ${name}: ${(err as Error).message}`));
    }
  }
  const cores = cpus().length;
  return {
    configurations: configs.map((config, index) => configurationResult(config, index === 0, cold.get(config) ?? null, levels.get(config)!)),
    interrupted: deps.signal.aborted,
    loadGeneratorCpuShare: measuredMs > 0 ? loadCpuMicros / 1000 / (measuredMs * cores) : NaN,
  };
}

async function runBlock(config: BenchConfiguration, connections: number, round: number, bounds: BenchBounds, deps: FunctionBenchDeps): Promise<BlockMeasurement> {
  const blockMs = bounds.durationSeconds === undefined ? undefined : (bounds.durationSeconds * 1000) / bounds.rounds;
  const blockRequests = bounds.requests === undefined ? undefined : shareOf(bounds.requests, bounds.rounds, round);
  const job = (durationMs: number | undefined, requests: number | undefined): Omit<LoadJob, 'id'> => ({ target: config.target, connections, durationMs, requests });
  const what = `${config.label} · ${connections} connection${connections === 1 ? '' : 's'} · round ${round + 1}/${bounds.rounds}`;
  deps.progress(`${what} · warm-up`);
  // A stop sent between two jobs is not seen by the next one: the abort signal is checked before each.
  const warmup = deps.signal.aborted
    ? emptyLoad()
    : await deps.generator.run(
        job(blockMs === undefined ? undefined : Math.min(maxWarmupMs, blockMs * warmupShare), blockRequests === undefined ? undefined : Math.max(connections, Math.ceil(blockRequests * warmupShare))),
      );
  const before = await deps.usage.read();
  const watch = startCpuWatch();
  const load = deps.signal.aborted
    ? emptyLoad()
    : await deps.generator.run(job(blockMs, blockRequests), (p) => deps.progress(`${what} · ${p.completed} calls${p.failed > 0 ? `, ${p.failed} failed` : ''}`));
  const after = await deps.usage.read();
  const hostCpuMicros = before && after ? after.cpuMicros - before.cpuMicros : undefined;
  const share = watch.stop(load.cpuMicros + (deps.remoteHostOnThisMachine && hostCpuMicros !== undefined ? hostCpuMicros : 0));
  const cores = cpus().length;
  return {
    round,
    load,
    warmup,
    hostCpuMicros,
    hostRssBytes: after?.rssBytes,
    loadGeneratorCpuShare: load.elapsedMs > 0 ? load.cpuMicros / 1000 / (load.elapsedMs * cores) : NaN,
    othersCpuShare: share.others,
  };
}

/** Round `round`'s part of `total` calls: the remainder goes to the first rounds. */
function shareOf(total: number, rounds: number, round: number): number {
  return Math.floor(total / rounds) + (round < total % rounds ? 1 : 0);
}

function firstSample(load: LoadResult): CallSample {
  const histogram = LatencyHistogram.fromJson(load.histogram);
  return {
    latencyMicros: histogram.percentile(100),
    status: Object.keys(load.statuses)[0] ?? 'none',
    outcome: Object.keys(load.outcomes)[0] ?? 'none',
  };
}

function emptyLoad(): LoadResult {
  return { requests: 0, elapsedMs: 0, histogram: new LatencyHistogram().toJson(), statuses: {}, outcomes: {}, transportErrors: [], cpuMicros: 0, interrupted: true };
}

function configurationResult(config: BenchConfiguration, baseline: boolean, cold: ConfigurationResult['cold'], levels: LevelResult[]): ConfigurationResult {
  const measured = levels.filter((l) => l.requests > 0);
  const peak = measured.reduce<LevelResult | undefined>((top, l) => (top === undefined || l.rps > top.rps ? l : top), undefined);
  return {
    label: config.label,
    baseline,
    function: config.source.name,
    temporary: config.source.kind === 'copy',
    settings: config.settings,
    cold,
    levels,
    peak: peak ? { connections: peak.connections, rps: peak.rps } : null,
    saturatedAt: saturationPoint(levels),
  };
}

/** The first saturated level that no higher level outgrew by 10% (a dip it later grew out of was noise), or null. */
export function saturationPoint(levels: readonly LevelResult[]): number | null {
  for (const [index, level] of levels.entries()) {
    if (!level.saturated) continue;
    const bestSoFar = Math.max(...levels.slice(0, index + 1).map((l) => l.rps));
    if (levels.slice(index + 1).every((later) => later.rps < bestSoFar * scalingThreshold)) return level.connections;
  }
  return null;
}

/** How long the bench waits for a component's fold before it measures anyway (the host's own fold timeout is 120 s). */
const foldWaitMs = 150_000;

/** Waits while the host reports the configuration's fold `pending` (hosts that do not report it: no wait). */
async function waitForFold(config: BenchConfiguration, deps: FunctionBenchDeps): Promise<void> {
  const until = Date.now() + foldWaitMs;
  for (let said = false; !deps.signal.aborted; said = true) {
    const { function: info } = await deps.admin.get(config.source.name);
    if (info.fold?.state !== 'pending') return;
    if (Date.now() > until) {
      deps.progress(`${config.label}: the host is still folding its component after ${foldWaitMs / 1000} s; measuring anyway`);
      return;
    }
    if (!said) deps.progress(`${config.label}: waiting for the host to fold its component (its instances become one core instance)`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
