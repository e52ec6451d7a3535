// Scenario 2: instantiate + call on a fresh instance, in-process on the main thread, over code
// prepared exactly as the host prepares it (Toolchain transpile -> ArtifactStore -> compileCode).
// Baseline in the same run: the engine's floor, a fresh instance of an empty core module with one
// page of memory, so each example's cost is also shown as a multiple of what V8 cannot go below.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { glueBaseName, ArtifactStore } from '../../src/compile/artifact-store.js';
import { compileCode } from '../../src/compile/compile-code.js';
import { Toolchain } from '../../src/compile/toolchain.js';
import type { GuestRequest } from '../../src/runtime/outcome.js';
import { installPromisingPolyfill } from '../../src/runtime/promising-polyfill.js';
import { runInvocation, type InstantiateGlue, type LoadedCode } from '../../src/runtime/run-invocation.js';
import { sha256Hex } from '../../src/store/digest.js';
import { startCpuWatch, type CpuShare } from '../cpu-watch.js';
import type { Example } from '../examples.js';
import { progress } from '../progress.js';
import { summarize, type Summary } from '../stats.js';

export interface FreshInstanceOptions {
  /** Measured invocations per example. */
  readonly iterations: number;
  /** Unmeasured invocations first: glue JIT, lazy compilation of wasm functions, allocator steady state. */
  readonly warmup: number;
  /** Artifacts go here (a cold directory: this scenario transpiles for itself). */
  readonly workDir: string;
}

export interface FreshInstanceRow {
  readonly example: string;
  /** instantiate + call, µs. */
  readonly totalMicros: Summary;
  readonly instantiateMicros: Summary;
  readonly callMicros: Summary;
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
const grants = { env: {}, config: {}, publish: [] };
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
  for (const example of examples) {
    progress(`fresh instance: ${example.name}: transpile + compile`);
    const code = await loadCode(example, artifacts);
    progress(`fresh instance: ${example.name}: ${options.warmup} warm-up + ${options.iterations} measured invocations`);
    rows.push(measureExample(example, code, options));
  }
  return { floorMicros, rows };
}

async function loadCode(example: Example, artifacts: ArtifactStore): Promise<LoadedCode> {
  const component = new Uint8Array(await readFile(example.componentPath));
  const componentHex = sha256Hex(component);
  const files = await artifacts.ensure(componentHex, async () => {
    const toolchain = new Toolchain();
    try {
      return await toolchain.transpile(component, glueBaseName);
    } finally {
      await toolchain.close();
    }
  });
  const compiled = await compileCode(componentHex, files, example.memoryMb ?? memoryMbWhenUnset);
  const glue = (await import(pathToFileURL(compiled.gluePath).href)) as { instantiate: InstantiateGlue };
  return { instantiate: glue.instantiate, modules: compiled.modules };
}

function measureExample(example: Example, code: LoadedCode, options: FreshInstanceOptions): FreshInstanceRow {
  const request: GuestRequest = {
    method: 'GET',
    path: example.route,
    query: 'name=bench',
    headers: [['host', 'bench.local']],
    body: new Uint8Array(0),
  };
  const httpCall = { kind: 'http', request } as const;
  const total = new Float64Array(options.iterations);
  const instantiate = new Float64Array(options.iterations);
  const call = new Float64Array(options.iterations);
  let failures = 0;
  let firstFailure: string | undefined;
  const watch = startCpuWatch();
  for (let i = -options.warmup; i < options.iterations; i++) {
    const result = runInvocation(code, grants, httpCall, maxResponseBytes);
    if (result.outcome.kind !== 'ok') {
      failures++;
      firstFailure ??= `${result.outcome.kind}${'message' in result.outcome ? `: ${result.outcome.message}` : ''}`;
    }
    if (i < 0 || !result.timings) continue;
    instantiate[i] = result.timings.instantiateMicros;
    call[i] = result.timings.callMicros;
    total[i] = result.timings.instantiateMicros + result.timings.callMicros;
  }
  return {
    example: example.name,
    totalMicros: summarize(total),
    instantiateMicros: summarize(instantiate),
    callMicros: summarize(call),
    failures,
    firstFailure,
    cpu: watch.stop(),
  };
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
