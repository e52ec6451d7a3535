// Scenario 7: waiting is not working. A guest waiting on the network blocks its thread but frees its
// compute slot (runtime/worker-pool.ts), so slow upstreams neither cap concurrency at the slot count
// nor starve the functions that compute. On an in-process host with 2 compute slots:
//   rounds: `concurrency` (64) calls at once of fx-outbound GETting an upstream that answers after
//           200 ms (`/wait?ms=200`, in the bench's peer process, which also sends the calls): the
//           wall time of a round and each call's latency. The first round is reported apart: the
//           pool grows its threads on demand and each new worker takes ~77 ms to boot.
//   cpu-bound: fx-slow?ms=2 (2 ms busy guest) from 8 concurrent clients in the bench process,
//           in blocks that alternate between alone (baseline) and beside the 64 waiting calls kept
//           running back to back by the peer (candidate), rotating which goes first; p50/p99 of both.
// Threads: the bench process's count (thread-watch.ts), idle before the first round and at its peak.
import { join } from 'node:path';
import { Agent } from 'undici';
import { startCpuWatch, type CpuShare } from '../../src/benchmark/cpu-watch.js';
import { startFixtureHost, type FixtureHost } from '../fixture-host.js';
import { callsFromClients, mergeCallRecord, newCallRecord, type CallRecord } from '../load/call-record.js';
import { startPeer } from '../load/peer-process.js';
import { progress } from '../progress.js';
import { ratio, summarize, type Summary } from '../../src/benchmark/stats.js';
import { peakOf, startThreadWatch, threadCount, type ThreadSample } from '../thread-watch.js';

export interface WaitingBenchOptions {
  /** Calls waiting on the slow upstream at once (the 64). */
  readonly concurrency: number;
  /** How long the upstream takes to answer, ms (the 200). */
  readonly upstreamMs: number;
  /** Rounds of `concurrency` calls after the cold one. */
  readonly rounds: number;
  /** Concurrent clients of the CPU-bound function. */
  readonly cpuClients: number;
  /** How long each CPU-bound call computes, ms. */
  readonly cpuMs: number;
  /** CPU-bound calls per block (spread over the clients). */
  readonly cpuCallsPerBlock: number;
  /** Pairs of blocks (one alone, one beside the waiting load). */
  readonly blockPairs: number;
  /** Unmeasured CPU-bound calls first (its code loaded into the workers, JIT). */
  readonly cpuWarmupCalls: number;
  /** Compute slots of the host. */
  readonly workers: number;
  readonly workDir: string;
}

export interface CallSummary {
  /** 200 answers only, ms. */
  readonly latencyMs: Summary;
  readonly failures: number;
  readonly firstFailure: string | undefined;
}

export interface WaitingBenchResult {
  readonly concurrency: number;
  readonly upstreamMs: number;
  readonly workers: number;
  /** The first round: threads grow from the pool's baseline. */
  readonly cold: CallSummary & { readonly wallMs: number };
  /** Every later round: wall time per round, latency of all their calls. */
  readonly steady: CallSummary & { readonly rounds: number; readonly wallMs: Summary };
  readonly cpuBound: {
    readonly alone: CallSummary;
    readonly besideWaiting: CallSummary;
    /** besideWaiting / alone. */
    readonly p50Ratio: number;
    readonly p99Ratio: number;
    /** Others' share of the CPUs, mean over each condition's blocks: noise that hit one condition more than the other. */
    readonly othersCpu: { readonly alone: number; readonly besideWaiting: number };
  };
  /** The waiting calls that ran beside the CPU-bound blocks (from their start to their stop). */
  readonly waitingLoad: CallSummary & { readonly callsPerSecond: number };
  /** The bench process's threads (host workers + Node's own), undefined without /proc; RSS in MiB. */
  readonly process: {
    readonly idleThreads: number | undefined;
    readonly cold: ThreadSample;
    readonly steady: ThreadSample;
    readonly besideWaiting: ThreadSample;
  };
  /** CPU use over the whole scenario; the peer's CPU counts as the bench's. */
  readonly cpu: CpuShare;
}

const waitingRoute = '/bench/waiting';
const cpuRoute = '/bench/cpu';
/** Far above a round's worst case on 2 cores (the cold round boots ~64 workers); only a stuck call reaches it. */
const invocationTimeoutMs = 30_000;
/** The waiting load's calls cycle once (each waits upstreamMs) before a block is measured beside them. */
const loadSettleRounds = 2;

export async function measureWaiting(options: WaitingBenchOptions): Promise<WaitingBenchResult> {
  const peer = await startPeer();
  let host: FixtureHost | undefined;
  const client = new Agent({ connections: null });
  try {
    host = await startFixtureHost({ dataDir: join(options.workDir, 'host'), workers: options.workers, log: (line) => progress(`waiting host: ${line}`) });
    await host.deploy(manifest('bench-waiting', waitingRoute, ['http://127.0.0.1:*']), 'outbound');
    await host.deploy(manifest('bench-cpu', cpuRoute, []), 'slow');
    const upstream = `http://127.0.0.1:${peer.upstreamPort}/wait?ms=${options.upstreamMs}`;
    const waitingUrl = `${host.url}${waitingRoute}?url=${encodeURIComponent(upstream)}`;
    const cpuUrl = `${host.url}${cpuRoute}?ms=${options.cpuMs}`;
    const cpuBlock = (calls: number) => callsFromClients(client, cpuUrl, options.cpuClients, calls);

    const watch = startCpuWatch();
    const peerCpuBefore = await peer.cpuMicros();
    const idleThreads = threadCount();

    progress(`waiting: cold round of ${options.concurrency} calls waiting ${options.upstreamMs} ms upstream (threads ${idleThreads ?? '?'} idle)`);
    let threads = startThreadWatch();
    const [coldRound] = await peer.rounds(waitingUrl, options.concurrency, 1);
    const coldThreads = threads.stop();
    progress(`waiting: ${options.rounds} more rounds`);
    threads = startThreadWatch();
    const rounds = await peer.rounds(waitingUrl, options.concurrency, options.rounds);
    const steadyThreads = threads.stop();

    progress(`waiting: ${options.cpuWarmupCalls} warm-up calls of the ${options.cpuMs} ms CPU-bound function, then ${options.blockPairs} × 2 blocks of ${options.cpuCallsPerBlock}`);
    await cpuBlock(options.cpuWarmupCalls);
    const alone = newCallRecord();
    const beside = newCallRecord();
    const others = { alone: [] as number[], besideWaiting: [] as number[] };
    /** Runs one block under its own CPU watch, the peer's CPU counted as the bench's. */
    const watched = async (into: number[], block: () => Promise<void>) => {
      const blockWatch = startCpuWatch();
      const peerBefore = await peer.cpuMicros();
      await block();
      into.push(blockWatch.stop((await peer.cpuMicros()) - peerBefore).others);
    };
    const load = newCallRecord();
    let loadSeconds = 0;
    let besideThreads: ThreadSample = { maxThreads: undefined, maxRssMiB: 0 };
    const besideWaiting = async () => {
      await peer.startLoad(waitingUrl, options.concurrency);
      await new Promise((resolve) => setTimeout(resolve, loadSettleRounds * options.upstreamMs));
      const watchThreads = startThreadWatch();
      await watched(others.besideWaiting, async () => mergeCallRecord(beside, await cpuBlock(options.cpuCallsPerBlock)));
      besideThreads = peakOf(besideThreads, watchThreads.stop());
      const stopped = await peer.stopLoad();
      mergeCallRecord(load, stopped.calls);
      loadSeconds += stopped.seconds;
    };
    for (let pair = 0; pair < options.blockPairs; pair++) {
      const measureAlone = () => watched(others.alone, async () => mergeCallRecord(alone, await cpuBlock(options.cpuCallsPerBlock)));
      for (const block of pair % 2 === 0 ? [measureAlone, besideWaiting] : [besideWaiting, measureAlone]) await block();
    }
    const cpu = watch.stop((await peer.cpuMicros()) - peerCpuBefore);

    const steadyRecord = newCallRecord();
    for (const round of rounds) mergeCallRecord(steadyRecord, round);
    const aloneSummary = summaryOf(alone);
    const besideSummary = summaryOf(beside);
    return {
      concurrency: options.concurrency,
      upstreamMs: options.upstreamMs,
      workers: options.workers,
      cold: { ...summaryOf(coldRound ?? newCallRecord()), wallMs: coldRound?.wallMs ?? NaN },
      steady: { ...summaryOf(steadyRecord), rounds: rounds.length, wallMs: summarize(rounds.map((round) => round.wallMs)) },
      cpuBound: {
        alone: aloneSummary,
        besideWaiting: besideSummary,
        p50Ratio: ratio(besideSummary.latencyMs.p50, aloneSummary.latencyMs.p50),
        p99Ratio: ratio(besideSummary.latencyMs.p99, aloneSummary.latencyMs.p99),
        othersCpu: { alone: mean(others.alone), besideWaiting: mean(others.besideWaiting) },
      },
      waitingLoad: { ...summaryOf(load), callsPerSecond: load.latenciesMs.length / loadSeconds },
      process: { idleThreads, cold: coldThreads, steady: steadyThreads, besideWaiting: besideThreads },
      cpu,
    };
  } finally {
    await client.close();
    await host?.close();
    await peer.close();
  }
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function summaryOf(record: CallRecord): CallSummary {
  return { latencyMs: summarize(record.latenciesMs), failures: record.failures, firstFailure: record.firstFailure };
}

function manifest(name: string, route: string, grants: readonly string[]): string {
  return [
    `name = "${name}"`,
    'component = "component.wasm"',
    ...(grants.length > 0 ? [`allowed_outbound_hosts = ${JSON.stringify(grants)}`] : []),
    '',
    '[[http]]',
    `route = "${route}"`,
    '',
    '[limits]',
    `timeout_ms = ${invocationTimeoutMs}`,
    '',
  ].join('\n');
}
