// Scenario 6: what one outbound HTTP request costs a guest, against undici called directly.
// An upstream in the bench's peer process (load/peer-child.ts) answers GET /hello with 2 bytes.
//   direct (baseline): undici on the bench's main thread, one keep-alive Agent, serial requests;
//   guest: fx-outbound (test/fixtures/outbound, the C SDK's wasmlet_http_get) on an in-process host,
//          `?url=<upstream>/hello&n=N` making N serial subrequests in one invocation: guest ->
//          worker's HostLink -> main thread's OutboundHttp (undici) -> upstream, and back.
// Method, the same for both: a pair of runs, N requests and 1 request (for the guest, invocations
// with n=N and n=1, timed from the caller's side); per request = (t(N) - t(1)) / (N - 1). The slope
// drops what both runs share (the call to the host, instantiation, the first request's set-up), so
// what is left is the marginal cost of one more request; N requests in a row average it over N - 1.
// The direct side is measured the same way, so the two distributions compare like with like.
// Blocks of pairs alternate between the two, rotating who goes first.
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { startCpuWatch, type CpuShare } from '../../src/benchmark/cpu-watch.js';
import { startFixtureHost } from '../fixture-host.js';
import { startPeer } from '../load/peer-process.js';
import { progress } from '../progress.js';
import { summarize, type Summary } from '../../src/benchmark/stats.js';

export interface OutboundBenchOptions {
  /** Measured pairs per side. */
  readonly pairs: number;
  /** Unmeasured pairs per side after the cold one: JIT, connection pools, the worker's loaded code. */
  readonly warmupPairs: number;
  /** Pairs of one side in a row before the other's turn. */
  readonly blockPairs: number;
  /** Requests in the long run of a pair (the guest's `n`); fx-outbound is deployed with this many allowed. */
  readonly subrequests: number;
  readonly workers: number;
  readonly workDir: string;
}

export interface OutboundSide {
  /** (t(N) - t(1)) / (N - 1) per pair, µs. */
  readonly perRequestMicros: Summary;
  /** The long run of each pair (N requests or the n=N invocation), ms. */
  readonly manyMs: Summary;
  /** The short run of each pair (1 request or the n=1 invocation), ms. */
  readonly oneMs: Summary;
}

export interface OutboundBenchResult {
  readonly subrequests: number;
  readonly direct: OutboundSide & {
    /** Each request of the long runs timed alone, µs: the direct request's own latency distribution. */
    readonly singleRequestMicros: Summary;
  };
  readonly guest: OutboundSide;
  /** The first pair of each side, before any warm-up: ms of its long and short run, µs per request. */
  readonly cold: {
    readonly direct: { readonly manyMs: number; readonly oneMs: number; readonly perRequestMicros: number };
    readonly guest: { readonly manyMs: number; readonly oneMs: number; readonly perRequestMicros: number };
  };
  /** Runs that did not answer as expected (the guest: 200 `ok=N error=none`); the numbers are then suspect. */
  readonly failures: number;
  readonly firstFailure: string | undefined;
  /** CPU use while measuring (warm-up included); the peer's CPU counts as the bench's. */
  readonly cpu: CpuShare;
}

const route = '/bench/outbound';
/** No call here nears it; it only has to exceed N subrequests of a slow moment. */
const invocationTimeoutMs = 30_000;

interface Pair {
  readonly manyMicros: number;
  readonly oneMicros: number;
}

interface Side {
  readonly name: 'direct' | 'guest';
  pair(index: number): Promise<Pair>;
}

export async function measureOutbound(options: OutboundBenchOptions): Promise<OutboundBenchResult> {
  const n = options.subrequests;
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`subrequests must be an integer of at least 2, got ${n}`);
  const peer = await startPeer();
  let host: Awaited<ReturnType<typeof startFixtureHost>> | undefined;
  const direct = new Agent();
  const toHost = new Agent();
  try {
    host = await startFixtureHost({ dataDir: join(options.workDir, 'host'), workers: options.workers, log: (line) => progress(`outbound host: ${line}`) });
    await host.deploy(manifest(n), 'outbound');
    const origin = `http://127.0.0.1:${peer.upstreamPort}`;
    const failures = { count: 0, first: undefined as string | undefined };
    const fail = (message: string) => {
      failures.count++;
      failures.first ??= message;
    };
    const singles: number[] = [];
    let recordSingles = false;

    const directOnce = async (): Promise<number> => {
      const started = performance.now();
      const response = await direct.request({ origin, path: '/hello', method: 'GET' });
      await response.body.arrayBuffer(); // the guest, too, receives each body whole
      const micros = (performance.now() - started) * 1000;
      if (response.statusCode !== 200) fail(`direct: upstream answered ${response.statusCode}`);
      if (recordSingles) singles.push(micros);
      return micros;
    };
    const directRun = async (count: number): Promise<number> => {
      const started = performance.now();
      for (let i = 0; i < count; i++) await directOnce();
      return (performance.now() - started) * 1000;
    };
    const guestUrl = (count: number) => `${host!.url}${route}?url=${encodeURIComponent(`${origin}/hello`)}&n=${count}`;
    const guestRun = async (count: number): Promise<number> => {
      const started = performance.now();
      const response = await request(guestUrl(count), { dispatcher: toHost });
      const text = await response.body.text();
      const micros = (performance.now() - started) * 1000;
      if (response.statusCode !== 200 || text !== `ok=${count} error=none`) fail(`guest n=${count}: ${response.statusCode} ${text.slice(0, 200)}`);
      return micros;
    };
    // Which run of a pair goes first alternates, so neither always follows the other.
    const pairOf = (run: (count: number) => Promise<number>) => async (index: number): Promise<Pair> => {
      if (index % 2 === 0) {
        const manyMicros = await run(n);
        return { manyMicros, oneMicros: await run(1) };
      }
      const oneMicros = await run(1);
      return { manyMicros: await run(n), oneMicros };
    };
    const sides: Side[] = [
      { name: 'direct', pair: pairOf(directRun) },
      { name: 'guest', pair: pairOf(guestRun) },
    ];

    const watch = startCpuWatch();
    const peerCpuBefore = await peer.cpuMicros();
    progress(`outbound: cold pair of each side (N=${n}), then ${options.warmupPairs} warm-up pairs`);
    const cold = new Map<Side['name'], Pair>();
    for (const side of sides) cold.set(side.name, await side.pair(0));
    for (const side of sides) for (let i = 0; i < options.warmupPairs; i++) await side.pair(i);

    progress(`outbound: ${options.pairs} pairs per side in alternating blocks of ${options.blockPairs}`);
    const measured = new Map<Side['name'], Pair[]>(sides.map((side) => [side.name, []]));
    for (let done = 0, round = 0; done < options.pairs; done += options.blockPairs, round++) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) {
        recordSingles = side.name === 'direct';
        for (let i = done; i < Math.min(done + options.blockPairs, options.pairs); i++) measured.get(side.name)!.push(await side.pair(i));
        recordSingles = false;
      }
    }
    const cpu = watch.stop((await peer.cpuMicros()) - peerCpuBefore);
    const sideResult = (name: Side['name']): OutboundSide => {
      const pairs = measured.get(name)!;
      return {
        perRequestMicros: summarize(pairs.map((pair) => slope(pair, n))),
        manyMs: summarize(pairs.map((pair) => pair.manyMicros / 1000)),
        oneMs: summarize(pairs.map((pair) => pair.oneMicros / 1000)),
      };
    };
    const coldOf = (name: Side['name']) => {
      const pair = cold.get(name)!;
      return { manyMs: pair.manyMicros / 1000, oneMs: pair.oneMicros / 1000, perRequestMicros: slope(pair, n) };
    };
    return {
      subrequests: n,
      direct: { ...sideResult('direct'), singleRequestMicros: summarize(singles) },
      guest: sideResult('guest'),
      cold: { direct: coldOf('direct'), guest: coldOf('guest') },
      failures: failures.count,
      firstFailure: failures.first,
      cpu,
    };
  } finally {
    await Promise.all([direct.close(), toHost.close()]);
    await host?.close();
    await peer.close();
  }
}

function slope(pair: Pair, n: number): number {
  return (pair.manyMicros - pair.oneMicros) / (n - 1);
}

/** fx-outbound on its own route, granted the loopback upstream (any port but the host's own), N subrequests allowed. */
function manifest(subrequests: number): string {
  return [
    'name = "bench-outbound"',
    'component = "component.wasm"',
    'allowed_outbound_hosts = ["http://127.0.0.1:*"]',
    '',
    '[[http]]',
    `route = "${route}"`,
    '',
    '[limits]',
    `timeout_ms = ${invocationTimeoutMs}`,
    `outbound_requests = ${subrequests}`,
    '',
  ].join('\n');
}
