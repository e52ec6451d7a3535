// Scenario: latency of one invocation through the real WorkerPool (main thread -> guest worker ->
// main thread), by how its instance came to be (runtime/instance-policy.ts):
//   fresh            pre-instantiation off, a new instance on every call's path (the baseline);
//   pre-instantiated the worker prepared the instance while idle, after the previous answer;
//   reuse 100        `[runtime] instance_reuse = 100`: one instance serves 100 calls in a row.
// Each example runs two arrival patterns: back-to-back (the next call is sent the moment the answer
// arrives, so preparation races it) and with an idle gap between calls (requests that find the
// worker idle, the case pre-instantiation is for). Variants alternate in blocks, so drift on a
// shared machine hits all of them alike. One worker per variant, each in its own pool.
// Part of `npm run bench`; on its own: node dist/bench/scenarios/instance-pool.js [--iterations N] [--warmup N] [example ...]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { ArtifactStore } from '../../src/compile/artifact-store.js';
import { compileCode, type CompiledCode } from '../../src/compile/compile-code.js';
import type { GuestCall } from '../../src/runtime/guest-call.js';
import type { InstanceOrigin } from '../../src/runtime/outcome.js';
import { WorkerPool } from '../../src/runtime/worker-pool.js';
import { startCpuWatch, type CpuShare } from '../../src/benchmark/cpu-watch.js';
import { scanExamples, type Example } from '../examples.js';
import { transpiledExample } from '../transpiled.js';
import { progress } from '../progress.js';
import { renderInstancePool } from '../report.js';
import { summarize, type Summary } from '../../src/benchmark/stats.js';
import { grantedNothing } from '../../src/runtime/runnable-function.js';

export interface InstancePoolOptions {
  /** Measured invocations per example, variant and arrival pattern. */
  readonly iterations: number;
  /** Unmeasured invocations first, per variant: worker start, glue JIT, wasm tier-up. */
  readonly warmup: number;
  /** Idle time between two calls, ms, one pattern per entry; 0 = back-to-back. */
  readonly gapsMs: readonly number[];
  /** Artifacts go here (this scenario transpiles for itself). */
  readonly workDir: string;
}

export interface InstancePoolVariant {
  readonly label: string;
  readonly preInstantiate: boolean;
  readonly instanceReuse: number;
}

/** The first is the baseline of the ratios: the host as it was before pre-instantiation. */
export const instancePoolVariants: readonly InstancePoolVariant[] = [
  { label: 'fresh', preInstantiate: false, instanceReuse: 1 },
  { label: 'pre-instantiated', preInstantiate: true, instanceReuse: 1 },
  { label: 'reuse 100', preInstantiate: true, instanceReuse: 100 },
];

export interface InstancePoolRow {
  readonly example: string;
  readonly variant: string;
  readonly gapMs: number;
  /** Round trip of `pool.invoke`, µs, as a caller of the pool sees it. */
  readonly latencyMicros: Summary;
  /** Instantiation on the call's path (0 for pre-instantiated and reused instances), µs. */
  readonly instantiateMicros: Summary;
  readonly callMicros: Summary;
  /** Share of measured calls by the origin of their instance. */
  readonly origins: Readonly<Record<InstanceOrigin, number>>;
  readonly failures: number;
  readonly firstFailure: string | undefined;
  /** CPU use while this example and pattern ran (all variants). */
  readonly cpu: CpuShare;
}

/** Calls of one variant in a row before the next variant's turn: long enough for reuse to show, short enough to spread drift. */
const blockCalls = 50;
/** Used when an example's manifest sets no limit. */
const memoryMbWhenUnset = 128;

export async function measureInstancePool(examples: readonly Example[], options: InstancePoolOptions): Promise<InstancePoolRow[]> {
  // Same engine set-up as the host (start-host.ts); QuickJS guests need extended-const, workers inherit it.
  setFlagsFromString('--experimental-wasm-extended-const');
  const artifacts = new ArtifactStore(join(options.workDir, 'artifacts'));
  const pools = instancePoolVariants.map((variant) => new WorkerPool({ size: 1, preInstantiate: variant.preInstantiate }));
  const rows: InstancePoolRow[] = [];
  try {
    for (const example of examples) {
      progress(`instance pool: ${example.name}: transpile + compile`);
      const code = await loadCode(example, artifacts);
      for (const gapMs of options.gapsMs) {
        progress(`instance pool: ${example.name}, gap ${gapMs} ms: ${options.warmup} warm-up + ${options.iterations} calls × ${instancePoolVariants.length} variants`);
        rows.push(...(await measureExample(example, code, gapMs, pools, options)));
      }
    }
  } finally {
    await Promise.all(pools.map((pool) => pool.close()));
  }
  return rows;
}

async function loadCode(example: Example, artifacts: ArtifactStore): Promise<CompiledCode> {
  const { componentHex, files } = await transpiledExample(example, artifacts);
  return compileCode(componentHex, files, example.memoryMb ?? memoryMbWhenUnset);
}

interface Samples {
  readonly latency: Float64Array;
  readonly instantiate: Float64Array;
  readonly call: Float64Array;
  readonly origins: Record<InstanceOrigin, number>;
  measured: number;
  failures: number;
  firstFailure: string | undefined;
}

async function measureExample(example: Example, code: CompiledCode, gapMs: number, pools: readonly WorkerPool[], options: InstancePoolOptions): Promise<InstancePoolRow[]> {
  const call: GuestCall = {
    kind: 'http',
    request: { method: 'GET', path: example.route, query: 'name=bench', headers: [['host', 'bench.local']], body: new Uint8Array(0) },
  };
  // A name per pattern: no instance prepared under one pattern serves the other.
  const fns = instancePoolVariants.map((variant) => ({
    name: `${example.name}-gap${gapMs}`,
    ...code,
    versionKey: `${example.name}-gap${gapMs}`,
    ...grantedNothing,
    timeoutMs: 10_000,
    instanceReuse: variant.instanceReuse,
  }));
  const samples = instancePoolVariants.map((): Samples => ({
    latency: new Float64Array(options.iterations),
    instantiate: new Float64Array(options.iterations),
    call: new Float64Array(options.iterations),
    origins: { fresh: 0, 'pre-instantiated': 0, reused: 0 },
    measured: 0,
    failures: 0,
    firstFailure: undefined,
  }));
  const callsPerVariant = options.warmup + options.iterations;
  const watch = startCpuWatch();
  for (let done = 0, round = 0; done < callsPerVariant; done += blockCalls, round++) {
    for (let k = 0; k < pools.length; k++) {
      const which = (k + round) % pools.length; // rotate who goes first
      const sample = samples[which]!;
      for (let i = done; i < Math.min(done + blockCalls, callsPerVariant); i++) {
        if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
        const started = performance.now();
        const result = await pools[which]!.invoke(fns[which]!, call);
        const latency = (performance.now() - started) * 1000;
        if (result.outcome.kind !== 'ok') {
          sample.failures++;
          sample.firstFailure ??= `${result.outcome.kind}${'message' in result.outcome ? `: ${result.outcome.message}` : ''}`;
        }
        const m = i - options.warmup;
        if (m < 0 || !result.timings) continue;
        sample.latency[m] = latency;
        sample.instantiate[m] = result.timings.instantiateMicros;
        sample.call[m] = result.timings.callMicros;
        sample.origins[result.timings.instance]++;
        sample.measured++;
      }
    }
  }
  const cpu = watch.stop();
  return instancePoolVariants.map((variant, k) => {
    const sample = samples[k]!;
    const share = (n: number) => (sample.measured === 0 ? NaN : n / sample.measured);
    return {
      example: example.name,
      variant: variant.label,
      gapMs,
      latencyMicros: summarize(sample.latency.subarray(0, sample.measured)),
      instantiateMicros: summarize(sample.instantiate.subarray(0, sample.measured)),
      callMicros: summarize(sample.call.subarray(0, sample.measured)),
      origins: { fresh: share(sample.origins.fresh), 'pre-instantiated': share(sample.origins['pre-instantiated']), reused: share(sample.origins.reused) },
      failures: sample.failures,
      firstFailure: sample.firstFailure,
      cpu,
    };
  });
}

/** The focused run: this scenario alone, on the examples named (default: the C, Rust and JS hellos). */
async function runAlone(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { iterations: { type: 'string' }, warmup: { type: 'string' }, gap: { type: 'string', multiple: true } },
  });
  const iterations = Number(values.iterations ?? 1000);
  const warmup = Number(values.warmup ?? 100);
  const gapsMs = values.gap?.map(Number) ?? [0, 2];
  const names = positionals.length > 0 ? positionals : ['hello-c', 'hello-rust', 'hello-js'];
  const { ready } = await scanExamples();
  const examples = ready.filter((example) => names.includes(example.name));
  const workDir = await mkdtemp(join(tmpdir(), 'wasmlet-instance-pool-'));
  try {
    const rows = await measureInstancePool(examples, { iterations, warmup, gapsMs, workDir });
    process.stdout.write(`${renderInstancePool(rows, { iterations, warmup }).join('\n')}\n`);
    for (const row of rows) if (row.failures > 0) process.stdout.write(`warning: ${row.example} (${row.variant}): ${row.failures} failures (${row.firstFailure})\n`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runAlone(process.argv.slice(2));
