// Scenario 8: what one key-value get or set costs a guest, against the same SQLite calls made directly.
//   direct (baseline): SqliteKeyValueStore.get/set on the bench's main thread, awaited one after
//          another, on a store file of its own (WAL, synchronous=NORMAL, as the host's);
//   guest: fx-kv-probe (test/fixtures/kv-probe, the JS SDK's openStore) on an in-process host, a
//          `repeat` call doing N gets (or sets) of one key in one invocation: guest -> worker's
//          HostLink -> main thread's KeyValueHost -> the same SqliteKeyValueStore, and back.
// Method, as scenario 6: a pair of runs, N operations and 1 (for the guest, invocations with n=N and
// n=1, timed from the caller's side); per operation = (t(N) - t(1)) / (N - 1), which drops what both
// runs share (the HTTP call, instantiation). Blocks of pairs alternate between direct and guest,
// rotating who goes first; gets and sets are measured in turn, each on a key holding `valueBytes`.
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { startCpuWatch, type CpuShare } from '../../src/benchmark/cpu-watch.js';
import { startFixtureHost } from '../fixture-host.js';
import { progress } from '../progress.js';
import { summarize, type Summary } from '../../src/benchmark/stats.js';

export interface KeyValueBenchOptions {
  /** Measured pairs per side and operation. */
  readonly pairs: number;
  /** Unmeasured pairs per side after the cold one. */
  readonly warmupPairs: number;
  /** Pairs of one side in a row before the other's turn. */
  readonly blockPairs: number;
  /** Operations in the long run of a pair (the guest's `n`). */
  readonly operations: number;
  /** Size of the value read and written: a small JSON document. */
  readonly valueBytes: number;
  readonly workers: number;
  readonly workDir: string;
}

export interface KeyValueSide {
  /** (t(N) - t(1)) / (N - 1) per pair, µs. */
  readonly perOpMicros: Summary;
  /** The long run of each pair, ms. */
  readonly manyMs: Summary;
  /** The short run of each pair, ms. */
  readonly oneMs: Summary;
}

export interface KeyValueOperationResult {
  readonly direct: KeyValueSide & {
    /** Each direct call of the long runs timed alone, µs. */
    readonly singleOpMicros: Summary;
  };
  readonly guest: KeyValueSide;
}

export interface KeyValueBenchResult {
  readonly operations: number;
  readonly valueBytes: number;
  readonly get: KeyValueOperationResult;
  readonly set: KeyValueOperationResult;
  /** Runs that did not answer as expected (the guest: 200 `[{"ok":n}]`); the numbers are then suspect. */
  readonly failures: number;
  readonly firstFailure: string | undefined;
  readonly cpu: CpuShare;
}

const route = '/bench/kv';
const store = 'default';
const key = 'bench:key';
/** No call here nears it. */
const invocationTimeoutMs = 30_000;

type Operation = 'get' | 'set';

interface Pair {
  readonly manyMicros: number;
  readonly oneMicros: number;
}

interface Side {
  readonly name: 'direct' | 'guest';
  pair(index: number): Promise<Pair>;
}

export async function measureKeyValue(options: KeyValueBenchOptions): Promise<KeyValueBenchResult> {
  const n = options.operations;
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`operations must be an integer of at least 2, got ${n}`);
  // Loaded lazily, as run.ts loads the host: a tree whose store does not build fails this scenario only.
  const { SqliteKeyValueStores } = await import('../../src/kv/sqlite-key-value-stores.js');
  const directStores = new SqliteKeyValueStores({ dir: join(options.workDir, 'direct-kv') });
  let host: Awaited<ReturnType<typeof startFixtureHost>> | undefined;
  const toHost = new Agent();
  try {
    const directStore = await directStores.open(store);
    host = await startFixtureHost({ dataDir: join(options.workDir, 'host'), workers: options.workers, log: (line) => progress(`kv host: ${line}`) });
    await host.deploy(manifest(), 'kv-probe');
    const value = new Uint8Array(options.valueBytes).fill(0x78);
    await directStore.set(key, value);
    const failures = { count: 0, first: undefined as string | undefined };
    const fail = (message: string) => {
      failures.count++;
      failures.first ??= message;
    };
    const singles: number[] = [];
    let recordSingles = false;

    const directRun = (operation: Operation) => async (count: number): Promise<number> => {
      const started = performance.now();
      for (let i = 0; i < count; i++) {
        const one = performance.now();
        if (operation === 'get') {
          if ((await directStore.get(key))?.byteLength !== options.valueBytes) fail('direct: get returned another value');
        } else await directStore.set(key, value);
        if (recordSingles) singles.push((performance.now() - one) * 1000);
      }
      return (performance.now() - started) * 1000;
    };
    const guestRun = (operation: Operation) => async (count: number): Promise<number> => {
      const body = JSON.stringify([{ op: 'repeat', what: operation, store, key, n: count, size: options.valueBytes }]);
      const started = performance.now();
      const response = await request(`${host!.url}${route}`, { method: 'POST', body, dispatcher: toHost });
      const text = await response.body.text();
      const micros = (performance.now() - started) * 1000;
      if (response.statusCode !== 200 || text.trim() !== `[{"ok":${count}}]`) fail(`guest ${operation} n=${count}: ${response.statusCode} ${text.slice(0, 200)}`);
      return micros;
    };
    const pairOf = (run: (count: number) => Promise<number>) => async (index: number): Promise<Pair> => {
      if (index % 2 === 0) {
        const manyMicros = await run(n);
        return { manyMicros, oneMicros: await run(1) };
      }
      const oneMicros = await run(1);
      return { manyMicros: await run(n), oneMicros };
    };

    const watch = startCpuWatch();
    const results = {} as Record<Operation, KeyValueOperationResult>;
    for (const operation of ['get', 'set'] as const) {
      // The guest writes the same bytes: gets on either side read a value of the same size.
      const sides: Side[] = [
        { name: 'direct', pair: pairOf(directRun(operation)) },
        { name: 'guest', pair: pairOf(guestRun(operation)) },
      ];
      singles.length = 0;
      progress(`kv ${operation}: cold pair of each side (N=${n}), then ${options.warmupPairs} warm-up pairs`);
      for (const side of sides) for (let i = 0; i <= options.warmupPairs; i++) await side.pair(i);
      progress(`kv ${operation}: ${options.pairs} pairs per side in alternating blocks of ${options.blockPairs}`);
      const measured = new Map<Side['name'], Pair[]>(sides.map((side) => [side.name, []]));
      for (let done = 0, round = 0; done < options.pairs; done += options.blockPairs, round++) {
        const order = round % 2 === 0 ? sides : [...sides].reverse();
        for (const side of order) {
          recordSingles = side.name === 'direct';
          for (let i = done; i < Math.min(done + options.blockPairs, options.pairs); i++) measured.get(side.name)!.push(await side.pair(i));
          recordSingles = false;
        }
      }
      const sideResult = (name: Side['name']): KeyValueSide => {
        const pairs = measured.get(name)!;
        return {
          perOpMicros: summarize(pairs.map((pair) => (pair.manyMicros - pair.oneMicros) / (n - 1))),
          manyMs: summarize(pairs.map((pair) => pair.manyMicros / 1000)),
          oneMs: summarize(pairs.map((pair) => pair.oneMicros / 1000)),
        };
      };
      results[operation] = { direct: { ...sideResult('direct'), singleOpMicros: summarize(singles) }, guest: sideResult('guest') };
    }
    const cpu = watch.stop(0);
    return { operations: n, valueBytes: options.valueBytes, get: results.get, set: results.set, failures: failures.count, firstFailure: failures.first, cpu };
  } finally {
    await toHost.close();
    await host?.close();
    await directStores.close();
  }
}

/** fx-kv-probe on its own route, granted the store, values up to its size. */
function manifest(): string {
  return [
    'name = "bench-kv"',
    'component = "component.wasm"',
    `key_value_stores = ["${store}"]`,
    '',
    '[[http]]',
    `route = "${route}"`,
    '',
    '[limits]',
    `timeout_ms = ${invocationTimeoutMs}`,
    '',
  ].join('\n');
}
