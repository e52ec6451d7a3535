// Scenario 2: instantiate + call on a fresh instance, in-process on the main thread, over code
// prepared exactly as the host prepares it (Toolchain transpile -> ArtifactStore -> compileCode).
// Baselines in the same run: the engine's floor, a fresh instance of an empty core module with one
// page of memory, so each example's cost is also shown as a multiple of what V8 cannot go below;
// and, per example, each instance with a fresh linear memory (modules as transpiled) against one
// with a recycled memory (the host's default: wasm/import-memory.ts, runtime/memory-pool.ts). The
// modes on the pool's memory alternate call by call so that drift on a shared machine hits them
// alike; `fresh` runs in a block of its own after them (its GCs would land on their calls).
// Part of `npm run bench`; on its own: node dist/bench/scenarios/fresh-instance.js [--iterations N] [--warmup N] [example ...]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { noGrants } from '../../src/capabilities/instance-imports.js';
import { ArtifactStore, type Artifacts } from '../../src/compile/artifact-store.js';
import { takeSnapshot } from '../../src/compile/code-cache.js';
import { compileCode } from '../../src/compile/compile-code.js';
import type { GuestRequest } from '../../src/runtime/outcome.js';
import { IdleMemoryBudget, MemoryPool } from '../../src/runtime/memory-pool.js';
import { installPromisingPolyfill } from '../../src/runtime/promising-polyfill.js';
import { instantiationPathOf, runInvocation, type InstantiateGlue, type LoadedCode } from '../../src/runtime/run-invocation.js';
import { startCpuWatch, type CpuShare } from '../../src/benchmark/cpu-watch.js';
import { scanExamples, type Example } from '../examples.js';
import { transpiledExample } from '../transpiled.js';
import { progress } from '../progress.js';
import { renderFreshInstance } from '../report.js';
import { summarize, type Summary } from '../../src/benchmark/stats.js';

export interface FreshInstanceOptions {
  /** Measured invocations per example. */
  readonly iterations: number;
  /** Unmeasured invocations first: glue JIT, lazy compilation of wasm functions, allocator steady state. */
  readonly warmup: number;
  /** Artifacts go here (a cold directory: this scenario transpiles for itself). */
  readonly workDir: string;
  /** Linear-memory modes measured, interleaved; default both, so recycling is compared with its baseline. */
  readonly memoryModes?: readonly MemoryMode[];
}

/**
 * fresh: every instance allocates its memory (modules as transpiled); unfolded: the worker's pool
 * supplies a zeroed one, on the glue's own core instances (main, adapter, shim, fixup); recycled:
 * the pool's memory and the core modules folded into one where the deploy could
 * (compile/fold-core-modules.ts), instantiated through jco's glue; direct: the host's default where
 * it applies, the folded module instantiated and called without the glue (runtime/direct-instance.ts;
 * measured only for examples it applies to); snapshot: recycled, and the main module starts from
 * its state after init (`[runtime] init_snapshot`; measured only for examples whose manifest sets it).
 */
export type MemoryMode = 'fresh' | 'unfolded' | 'recycled' | 'direct' | 'snapshot';
export const memoryModes: readonly MemoryMode[] = ['fresh', 'unfolded', 'recycled', 'direct'];

export interface FreshInstanceRow {
  readonly example: string;
  readonly memory: MemoryMode;
  /** instantiate + call, µs. */
  readonly totalMicros: Summary;
  readonly instantiateMicros: Summary;
  readonly callMicros: Summary;
  /** Releasing the instance's memories after the call (zeroing recycled ones), µs: worker time off the latency path. */
  readonly releaseMicros: Summary;
  /** Share of invocations whose every host-supplied memory came from the pool (0 when fresh). */
  readonly recycledShare: number;
  /** Invocations whose outcome was not `ok` (the numbers are then suspect). */
  readonly failures: number;
  readonly firstFailure: string | undefined;
  /** CPU use while measuring; others' share is noise from outside the bench. */
  readonly cpu: CpuShare;
}

export interface FreshInstanceResult {
  readonly floorMicros: Summary;
  readonly rows: readonly FreshInstanceRow[];
}

/** Used when an example's manifest sets no limit; the cap only rewrites the memory maximum. */
const memoryMbWhenUnset = 128;
const grants = noGrants;
/** The same cap the worker pool applies by default (6 MiB, Lambda's synchronous limit). */
const maxResponseBytes = 6 * 1024 * 1024;
/** An empty core module: one memory of one page (min 1, no max). */
const emptyModuleBytes = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01);

export async function measureFreshInstances(examples: readonly Example[], options: FreshInstanceOptions): Promise<FreshInstanceResult> {
  // Same engine set-up as the host (createHost and guest-worker.ts); QuickJS guests need extended-const.
  setFlagsFromString('--experimental-wasm-extended-const');
  installPromisingPolyfill();
  const artifacts = new ArtifactStore(join(options.workDir, 'artifacts'));

  progress(`fresh instance: engine floor (empty module), ${options.iterations} iterations`);
  const floorMicros = measureFloor(options);
  const rows: FreshInstanceRow[] = [];
  const modes = options.memoryModes ?? memoryModes;
  for (const example of examples) {
    progress(`fresh instance: ${example.name}: transpile + compile`);
    const exampleModes = example.initSnapshot ? [...modes, 'snapshot' as const] : modes;
    const codes = await loadCode(example, artifacts, exampleModes);
    progress(`fresh instance: ${example.name}: ${options.warmup} warm-up + ${options.iterations} measured invocations × ${exampleModes.join(' + ')} memory`);
    rows.push(...measureExample(example, codes, options));
  }
  return { floorMicros, rows };
}

/** Code per memory mode; both share one glue module, so the JIT state of the glue is common to both. */
async function loadCode(example: Example, artifacts: ArtifactStore, modes: readonly MemoryMode[]): Promise<Map<MemoryMode, LoadedCode>> {
  const { componentHex, files } = await transpiledExample(example, artifacts);
  const glue = (await import(pathToFileURL(files.gluePath).href)) as { instantiate: InstantiateGlue };
  const codes = new Map<MemoryMode, LoadedCode>();
  for (const mode of modes) {
    const memoryMb = example.memoryMb ?? memoryMbWhenUnset;
    const replaced = mode === 'snapshot' ? await snapshotModules(files, memoryMb) : undefined;
    const compiled = await compileCode(componentHex, files, memoryMb, { importMemories: mode !== 'fresh', fold: mode !== 'unfolded', ...(replaced ? { replaced } : {}) });
    const memories = MemoryPool.forModules(compiled.modules, compiled.memories, new IdleMemoryBudget());
    // Only the direct row may take the direct path; the others are the glue's, as before it existed.
    const code: LoadedCode = { instantiate: glue.instantiate, modules: compiled.modules, memories, ...(mode === 'direct' ? {} : { direct: false }) };
    if (mode === 'direct' && instantiationPathOf(code) !== 'direct') continue;
    codes.set(mode, code);
  }
  return codes;
}

/** The example's main module baked after init, exactly as the host's code cache takes it (compile/code-cache.ts). */
async function snapshotModules(files: Artifacts, memoryMb: number): Promise<Record<string, Uint8Array>> {
  const result = await takeSnapshot(files, memoryMb, {});
  if (result.kind !== 'baked') throw new Error('init_snapshot is set but the component has no initialisation');
  return { [result.module]: result.bytes };
}

interface Samples {
  readonly total: Float64Array;
  readonly instantiate: Float64Array;
  readonly call: Float64Array;
  readonly release: Float64Array;
  recycled: number;
  failures: number;
  firstFailure: string | undefined;
}

function measureExample(example: Example, codes: ReadonlyMap<MemoryMode, LoadedCode>, options: FreshInstanceOptions): FreshInstanceRow[] {
  const request: GuestRequest = {
    method: 'GET',
    path: example.route,
    query: 'name=bench',
    headers: [['host', 'bench.local']],
    body: new Uint8Array(0),
  };
  const httpCall = { kind: 'http', request } as const;
  const entries = [...codes];
  const samples = entries.map((): Samples => ({
    total: new Float64Array(options.iterations),
    instantiate: new Float64Array(options.iterations),
    call: new Float64Array(options.iterations),
    release: new Float64Array(options.iterations),
    recycled: 0,
    failures: 0,
    firstFailure: undefined,
  }));
  const watch = startCpuWatch();
  // `fresh` allocates a linear memory per call, and V8 answers that external memory with garbage
  // collections ("external memory pressure") that land on whichever call runs next: interleaved, they
  // made the pooled modes' p99 the fresh mode's GC (hello-rust direct p99 31x its p50 beside it,
  // 4x alone, --trace-gc). So the pooled modes alternate among themselves, and fresh runs after them.
  const pooled = entries.flatMap(([memory], k) => (memory === 'fresh' ? [] : [k]));
  const fresh = entries.flatMap(([memory], k) => (memory === 'fresh' ? [k] : []));
  for (const group of [pooled, fresh]) {
    for (let i = -options.warmup; i < options.iterations; i++) {
      for (let g = 0; g < group.length; g++) {
        const which = group[i % 2 === 0 ? g : group.length - 1 - g]!; // alternate who goes first
        const code = entries[which]![1];
        const sample = samples[which]!;
        const lease = code.memories.lease();
        const result = runInvocation(code, lease, grants, httpCall, maxResponseBytes);
        const released = performance.now();
        lease.release();
        const releaseMicros = (performance.now() - released) * 1000;
        if (result.outcome.kind !== 'ok') {
          sample.failures++;
          sample.firstFailure ??= `${result.outcome.kind}${'message' in result.outcome ? `: ${result.outcome.message}` : ''}`;
        }
        if (i < 0 || !result.timings) continue;
        const { timings } = result;
        sample.instantiate[i] = timings.instantiateMicros;
        sample.call[i] = timings.callMicros;
        sample.total[i] = timings.instantiateMicros + timings.callMicros;
        sample.release[i] = releaseMicros;
        if (timings.memoriesRecycled > 0 && timings.memoriesCreated === 0) sample.recycled++;
      }
    }
  }
  const cpu = watch.stop();
  return entries.map(([memory], k) => {
    const sample = samples[k]!;
    return {
      example: example.name,
      memory,
      totalMicros: summarize(sample.total),
      instantiateMicros: summarize(sample.instantiate),
      callMicros: summarize(sample.call),
      releaseMicros: summarize(sample.release),
      recycledShare: sample.recycled / options.iterations,
      failures: sample.failures,
      firstFailure: sample.firstFailure,
      cpu,
    };
  });
}

function measureFloor(options: FreshInstanceOptions): Summary {
  const module = new WebAssembly.Module(emptyModuleBytes);
  const micros = new Float64Array(options.iterations);
  for (let i = -options.warmup; i < options.iterations; i++) {
    const started = performance.now();
    new WebAssembly.Instance(module, {});
    const elapsed = (performance.now() - started) * 1000;
    if (i >= 0) micros[i] = elapsed;
  }
  return summarize(micros);
}

/** The focused run: this scenario alone, on the examples named (all ready ones by default). */
async function runAlone(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { iterations: { type: 'string' }, warmup: { type: 'string' } } });
  const iterations = Number(values.iterations ?? 2000);
  const warmup = Number(values.warmup ?? 200);
  const { ready } = await scanExamples();
  const examples = positionals.length > 0 ? ready.filter((example) => positionals.includes(example.name)) : ready;
  const workDir = await mkdtemp(join(tmpdir(), 'wasmlet-fresh-instance-'));
  try {
    const result = await measureFreshInstances(examples, { iterations, warmup, workDir });
    process.stdout.write(`${renderFreshInstance(result, { iterations, warmup }).join('\n')}\n`);
    for (const row of result.rows) if (row.failures > 0) process.stdout.write(`warning: ${row.example} (${row.memory}): ${row.failures} failures (${row.firstFailure})\n`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runAlone(process.argv.slice(2));
