// Scenario 10: noisy neighbours. Healthy traffic (fx-echo from `healthyClients` concurrent clients)
// measured alone and beside each hostile neighbour, on an in-process host with 2 compute slots:
//   infinite loop (timeout_ms 500), slow (4.9 s busy), 59 s busy (timeout_ms 60 000, 2 calls),
//   memory bomb (malloc until out of memory), huge response (16 MiB, over the 6 MiB limit), and an
//   async backlog (400 Event invocations of a 200 ms guest, submitted at the start of the block).
// Each attacker gets a host of its own (the same data dir, restarted): a warm-up, a baseline block
// (healthy alone), then the attack block (healthy beside the attacker, measured from the attacker's
// start), then the host is closed, which also stops what the attacker left running (the 59 s guests,
// the rest of the backlog). So the run alternates baseline and attack blocks, and each attack is
// compared with the baseline just before it, on the same host. The healthy clients and the attacker
// run in two peer processes of their own (load/tally-peer.ts), apart from the host's event loop.
import { join } from 'node:path';
import { startCpuWatch } from '../../src/benchmark/cpu-watch.js';
import { startNeighbourHost, type NeighbourHost } from '../neighbour-host.js';
import { countOf, countsOf, finished, type StatusCounts } from '../load/status-tally.js';
import { startTallyPeer, type TallyPeer } from '../load/tally-peer.js';
import { progress } from '../progress.js';
import { ratio, summarize, type Summary } from '../../src/benchmark/stats.js';

export interface NeighboursBenchOptions {
  /** Concurrent clients of the healthy function. */
  readonly healthyClients: number;
  /** Unmeasured healthy load on each new host first (code loaded into the workers, JIT). */
  readonly warmupSeconds: number;
  /** Healthy alone, before each attack. */
  readonly baselineSeconds: number;
  /** Healthy beside the attacker. */
  readonly attackSeconds: number;
  /** Compute slots of the host. */
  readonly workers: number;
  readonly workDir: string;
}

/** How the attacker loads the host. */
export type AttackLoad =
  /** `clients` loops calling `path` back to back, at most `maxCalls` calls in all. */
  | { readonly kind: 'http'; readonly path: string; readonly clients: number; readonly maxCalls?: number }
  /** `calls` async invocations through the admin API, submitted one after another when the block starts. */
  | { readonly kind: 'async'; readonly calls: number };

export interface Attacker {
  /** Stable key for the JSON, e.g. "infinite-loop". */
  readonly key: string;
  /** What the table prints. */
  readonly label: string;
  readonly fixture: string;
  readonly functionName: string;
  /** The [limits] lines of its manifest. */
  readonly limits: readonly string[];
  readonly load: AttackLoad;
}

/** The healthy clients in one block. */
export interface HealthySide {
  /** 2xx answers per second over the block (its drain included). */
  readonly rps: number;
  /** 2xx answers, ms. */
  readonly latencyMs: Summary;
  /** 2xx / every call that ended (non-2xx and client errors count as failures). */
  readonly successRate: number;
  readonly calls: number;
  readonly tally: StatusCounts;
}

export interface AttackerSide {
  /** The HTTP attacker's calls (none for the async backlog). */
  readonly tally: StatusCounts | undefined;
  /** The async backlog: the submissions' statuses, and where the invocations were when the block ended. */
  readonly async?: { readonly submitted: Readonly<Record<string, number>>; readonly statesAtEnd: Readonly<Record<string, number>> };
}

export interface BlockResult {
  readonly seconds: number;
  readonly healthy: HealthySide;
  readonly attacker: AttackerSide | undefined;
  /** Workers the pool replaced during the block, by reason. */
  readonly replacements: Readonly<Record<string, number>>;
  readonly replacementCount: number;
  /** Others' share of all cores' time during the block (both peers count as the bench's). */
  readonly othersCpu: number;
}

export interface ConditionResult {
  readonly key: string;
  readonly label: string;
  readonly baseline: BlockResult;
  readonly beside: BlockResult;
  /** beside / baseline. */
  readonly rpsRatio: number;
  readonly p99Ratio: number;
  /** The goal: healthy success 100 % and at least `minRpsRatio` of the baseline rps. */
  readonly meetsGoal: boolean;
}

export interface NeighboursBenchResult {
  readonly workers: number;
  readonly healthyClients: number;
  readonly conditions: readonly ConditionResult[];
}

/** The goal: beside any attacker, healthy traffic keeps at least half its rps... */
export const minRpsRatio = 0.5;
/** ...and every healthy call succeeds. */
export const requiredSuccessRate = 1;

const healthyFunction = 'nb-echo';
const healthyRoute = '/nb/echo';

/**
 * In run order. The async backlog goes last: what it leaves queued stays in the data dir that the
 * next host would start from. The fixtures' own manifests are followed except where said.
 */
export const attackers: readonly Attacker[] = [
  { key: 'infinite-loop', label: 'infinite loop', fixture: 'infinite-loop', functionName: 'nb-loop', limits: ['timeout_ms = 500'], load: { kind: 'http', path: '/nb/loop', clients: 8 } },
  { key: 'slow', label: 'slow 4.9 s', fixture: 'slow', functionName: 'nb-slow', limits: ['timeout_ms = 5000'], load: { kind: 'http', path: '/nb/slow?ms=4900', clients: 8 } },
  // A legal deadline, two calls: both compute for the whole block (the host is closed after it).
  { key: 'busy-59s', label: '59 s busy ×2', fixture: 'slow', functionName: 'nb-busy', limits: ['timeout_ms = 60000'], load: { kind: 'http', path: '/nb/busy?ms=59000', clients: 2, maxCalls: 2 } },
  // 64 MiB instead of the fixture's 16: each call touches its whole cap (~16 000 first-touch page faults), a heavier neighbour.
  { key: 'memory-bomb', label: 'memory bomb 64 MiB', fixture: 'memory-bomb', functionName: 'nb-bomb', limits: ['memory_mb = 64'], load: { kind: 'http', path: '/nb/bomb', clients: 8 } },
  { key: 'huge-response', label: 'huge response 16 MiB', fixture: 'huge-response', functionName: 'nb-huge', limits: ['memory_mb = 128'], load: { kind: 'http', path: '/nb/huge?mb=16', clients: 8 } },
  // Delivered as POST / without a query: the fixture's default, 200 ms of computing each.
  { key: 'async-backlog', label: 'async backlog 400×200 ms', fixture: 'slow', functionName: 'nb-backlog', limits: [], load: { kind: 'async', calls: 400 } },
];

export async function measureNeighbours(options: NeighboursBenchOptions): Promise<NeighboursBenchResult> {
  const dataDir = join(options.workDir, 'host');
  const healthyPeer = await startTallyPeer();
  const attackerPeer = await startTallyPeer().catch(async (err: unknown) => {
    await healthyPeer.close();
    throw err;
  });
  const conditions: ConditionResult[] = [];
  let host: NeighbourHost | undefined;
  try {
    host = await startHost(dataDir, options.workers);
    progress(`neighbours: deploying ${healthyFunction} and ${attackers.length} attackers`);
    await host.deploy(manifest(healthyFunction, healthyRoute, []), 'echo');
    for (const attacker of attackers) await host.deploy(manifest(attacker.functionName, routeOf(attacker), attacker.limits), attacker.fixture);
    for (const [index, attacker] of attackers.entries()) {
      // A fresh host per attacker (the first one is already up): no breaker, stuck guest or backlog carries over.
      host ??= await startHost(dataDir, options.workers);
      const healthyUrl = `${host.url}${healthyRoute}`;
      progress(`neighbours ${index + 1}/${attackers.length}: warm-up ${options.warmupSeconds} s, alone ${options.baselineSeconds} s, beside ${attacker.label} ${options.attackSeconds} s`);
      await healthyPeer.startLoad(healthyUrl, options.healthyClients);
      await sleep(options.warmupSeconds * 1000);
      await healthyPeer.stopLoad(false);
      const blocks = { host, healthyPeer, attackerPeer, healthyUrl, healthyClients: options.healthyClients };
      const baseline = await measureBlock(blocks, undefined, options.baselineSeconds);
      const beside = await measureBlock(blocks, attacker, options.attackSeconds);
      await host.close();
      host = undefined;
      conditions.push(compare(attacker, baseline, beside));
      const last = conditions[conditions.length - 1]!;
      progress(`neighbours: ${attacker.label}: healthy ${beside.healthy.rps.toFixed(0)} rps (${(last.rpsRatio * 100).toFixed(0)}% of ${baseline.healthy.rps.toFixed(0)}), success ${(beside.healthy.successRate * 100).toFixed(2)}%`);
    }
    return { workers: options.workers, healthyClients: options.healthyClients, conditions };
  } finally {
    await host?.close();
    await Promise.all([healthyPeer.close(), attackerPeer.close()]);
  }
}

interface BlockContext {
  readonly host: NeighbourHost;
  readonly healthyPeer: TallyPeer;
  readonly attackerPeer: TallyPeer;
  readonly healthyUrl: string;
  readonly healthyClients: number;
}

/** Healthy load for `seconds`, beside `attacker` when given (started right after the healthy clients). */
async function measureBlock(context: BlockContext, attacker: Attacker | undefined, seconds: number): Promise<BlockResult> {
  const { host, healthyPeer, attackerPeer } = context;
  const replacedBefore = host.replacements();
  const watch = startCpuWatch();
  const peersBefore = (await healthyPeer.cpuMicros()) + (await attackerPeer.cpuMicros());
  await healthyPeer.startLoad(context.healthyUrl, context.healthyClients);
  let submitted: { readonly ids: readonly string[]; readonly statuses: Readonly<Record<string, number>> } | undefined;
  if (attacker?.load.kind === 'http') await attackerPeer.startLoad(`${host.url}${attacker.load.path}`, attacker.load.clients, attacker.load.maxCalls);
  const started = performance.now();
  if (attacker?.load.kind === 'async') submitted = await host.submitAsync(attacker.functionName, attacker.load.calls);
  await sleep(Math.max(0, seconds * 1000 - (performance.now() - started)));
  // The healthy calls in flight finish (their deadline bounds them); the attacker's are cut at once.
  const healthy = await healthyPeer.stopLoad(false);
  const attacked = attacker?.load.kind === 'http' ? await attackerPeer.stopLoad(true) : undefined;
  const statesAtEnd = submitted ? await host.invocationStates(submitted.ids) : undefined;
  const cpu = watch.stop((await healthyPeer.cpuMicros()) + (await attackerPeer.cpuMicros()) - peersBefore);
  const replacements = since(replacedBefore, host.replacements());
  const calls = finished(healthy.tally);
  const ok = countOf(healthy.tally, '2xx');
  let attackerSide: AttackerSide | undefined;
  if (attacked) attackerSide = { tally: countsOf(attacked.tally) };
  else if (submitted && statesAtEnd) attackerSide = { tally: undefined, async: { submitted: submitted.statuses, statesAtEnd } };
  return {
    seconds: healthy.seconds,
    healthy: { rps: ok / healthy.seconds, latencyMs: summarize(healthy.tally.latenciesMs), successRate: calls === 0 ? NaN : ok / calls, calls, tally: countsOf(healthy.tally) },
    attacker: attackerSide,
    replacements,
    replacementCount: Object.values(replacements).reduce((sum, count) => sum + count, 0),
    othersCpu: cpu.others,
  };
}

function compare(attacker: Attacker, baseline: BlockResult, beside: BlockResult): ConditionResult {
  const rpsRatio = ratio(beside.healthy.rps, baseline.healthy.rps);
  return {
    key: attacker.key,
    label: attacker.label,
    baseline,
    beside,
    rpsRatio,
    p99Ratio: ratio(beside.healthy.latencyMs.p99, baseline.healthy.latencyMs.p99),
    meetsGoal: beside.healthy.successRate >= requiredSuccessRate && rpsRatio >= minRpsRatio,
  };
}

async function startHost(dataDir: string, workers: number): Promise<NeighbourHost> {
  return startNeighbourHost({ dataDir, workers, log: (line) => progress(`neighbours host: ${line}`) });
}

/** The route an attacker's manifest declares: its load's path without the query (async: one it is never called on). */
function routeOf(attacker: Attacker): string {
  return attacker.load.kind === 'http' ? attacker.load.path.replace(/\?.*$/, '') : `/nb/${attacker.key}`;
}

function since(before: Readonly<Record<string, number>>, after: Readonly<Record<string, number>>): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [reason, count] of Object.entries(after)) if (count > (before[reason] ?? 0)) delta[reason] = count - (before[reason] ?? 0);
  return delta;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function manifest(name: string, route: string, limits: readonly string[]): string {
  return [`name = "${name}"`, 'component = "component.wasm"', '', '[[http]]', `route = "${route}"`, '', ...(limits.length > 0 ? ['[limits]', ...limits, ''] : [])].join('\n');
}
