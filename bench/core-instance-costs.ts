// Where a fresh instance's time goes, core module by core module: the host's own instantiation
// (runtime/run-invocation.ts `instantiate`, recycled memories) with jco's `instantiateCore` hook
// timed around every core instance it creates; what is left of `instantiate` is the glue's own
// setup (its closures, generator, import wiring), or on the direct path (runtime/direct-instance.ts,
// the host's default where it applies: `path` says which ran) the host's own. Also each core module instantiated alone with
// stub imports, the figure shared/notes quote. Issue 13's lever is the number of core instances.
// node dist/bench/core-instance-costs.js [--iterations N] [--warmup N] [--no-fold] [example ...]
// Each example is measured on the glue's four core instances and, unless --no-fold, folded into one.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { noGrants } from '../src/capabilities/instance-imports.js';
import { ArtifactStore } from '../src/compile/artifact-store.js';
import { compileCode, type CompileOptions } from '../src/compile/compile-code.js';
import { IdleMemoryBudget, MemoryPool, type MemoryLease } from '../src/runtime/memory-pool.js';
import { installPromisingPolyfill } from '../src/runtime/promising-polyfill.js';
import { instantiate, callInstance, instantiationPathOf, type InstantiateGlue, type LoadedCode } from '../src/runtime/run-invocation.js';
import { summarize, type Summary } from '../src/benchmark/stats.js';
import { fixed, textTable } from '../src/benchmark/text-table.js';
import { scanExamples, type Example } from './examples.js';
import { transpiledExample } from './transpiled.js';

export interface CoreInstanceCosts {
  readonly example: string;
  /** 'glue': jco's four-instance wiring; 'folded': the deploy-time merged module (compile/fold-core-modules.ts). */
  readonly path: string;
  /** Core instances per fresh instance. */
  readonly coreInstances: number;
  readonly instantiate: Summary;
  /** Per core module, in the order the glue instantiates them: its time inside `instantiate`. */
  readonly perModule: readonly { readonly module: string; readonly micros: Summary }[];
  /** `instantiate` minus its core instances: the glue's own work. */
  readonly glueSetup: Summary;
  readonly call: Summary;
  /** Each core module instantiated on its own with stub imports (the notes' figure). */
  readonly alone: readonly { readonly module: string; readonly micros: Summary }[];
}

const request = { method: 'GET', path: '/', query: 'name=bench', headers: [['host', 'bench.local']] as [string, string][], body: new Uint8Array(0) };

export async function measureCoreInstanceCosts(example: Example, workDir: string, iterations: number, warmup: number, options: CompileOptions = {}): Promise<CoreInstanceCosts> {
  const artifacts = new ArtifactStore(join(workDir, 'artifacts'));
  const { componentHex, files } = await transpiledExample(example, artifacts);
  const glue = (await import(pathToFileURL(files.gluePath).href)) as { instantiate: InstantiateGlue };
  const compiled = await compileCode(componentHex, files, example.memoryMb ?? 128, options);
  const code: LoadedCode = { instantiate: glue.instantiate, modules: compiled.modules, memories: MemoryPool.forModules(compiled.modules, compiled.memories, new IdleMemoryBudget()) };
  const nameOf = new Map<WebAssembly.Module, string>(Object.entries(compiled.modules).map(([name, module]) => [module, name]));
  const perModule = new Map<string, Float64Array>();
  const total = new Float64Array(iterations);
  const setup = new Float64Array(iterations);
  const call = new Float64Array(iterations);
  let coreInstances = 0;
  for (let i = -warmup; i < iterations; i++) {
    const lease = code.memories.lease();
    let inCore = 0;
    let count = 0;
    const timed: MemoryLease = {
      ...lease,
      get recycled() {
        return lease.recycled;
      },
      get created() {
        return lease.created;
      },
      release: () => lease.release(),
      instantiateCore: (module, imports) => {
        const started = performance.now();
        try {
          return lease.instantiateCore(module, imports);
        } finally {
          const micros = (performance.now() - started) * 1000;
          inCore += micros;
          count++;
          const name = nameOf.get(module) ?? '?';
          let samples = perModule.get(name);
          if (!samples) perModule.set(name, (samples = new Float64Array(iterations)));
          if (i >= 0) samples[i] = micros;
        }
      },
      memoryFor: (module) => lease.memoryFor(module),
    };
    const made = instantiate(code, timed, noGrants);
    if (!made.ok) throw new Error(`${example.name}: instantiation failed: ${JSON.stringify(made.outcome)}`);
    const result = callInstance(made.instance, { kind: 'http', request }, 1 << 20, 'fresh');
    if (result.outcome.kind !== 'ok') throw new Error(`${example.name}: call failed: ${JSON.stringify(result.outcome)}`);
    lease.release();
    coreInstances = count;
    if (i < 0) continue;
    total[i] = made.instance.instantiateMicros;
    setup[i] = made.instance.instantiateMicros - inCore;
    call[i] = result.timings!.callMicros;
  }
  return {
    example: example.name,
    path: instantiationPathOf(code),
    coreInstances,
    instantiate: summarize(total),
    perModule: [...perModule].map(([module, samples]) => ({ module, micros: summarize(samples) })),
    glueSetup: summarize(setup),
    call: summarize(call),
    alone: Object.entries(compiled.modules).map(([module, compiledModule]) => ({ module, micros: aloneCost(compiledModule, compiled.memories[module], iterations, warmup) })),
  };
}

/** Instantiates one core module with stub imports (functions that trap if called) and a fresh memory if it imports one. */
function aloneCost(module: WebAssembly.Module, memory: { initialPages: number; maximumPages: number | undefined } | undefined, iterations: number, warmup: number): Summary {
  const imports: Record<string, Record<string, unknown>> = {};
  const hostMemory = memory ? new WebAssembly.Memory({ initial: memory.initialPages, ...(memory.maximumPages !== undefined ? { maximum: memory.maximumPages } : {}) }) : undefined;
  for (const entry of WebAssembly.Module.imports(module)) {
    const stub =
      entry.kind === 'function'
        ? () => {
            throw new Error('stub');
          }
        : entry.kind === 'memory'
          ? (hostMemory ?? new WebAssembly.Memory({ initial: 1 }))
          : entry.kind === 'table'
            ? new WebAssembly.Table({ initial: 64, element: 'anyfunc' })
            : new WebAssembly.Global({ value: 'i32', mutable: true }, 0);
    (imports[entry.module] ??= {})[entry.name] = stub;
  }
  const samples = new Float64Array(iterations);
  for (let i = -warmup; i < iterations; i++) {
    const started = performance.now();
    try {
      new WebAssembly.Instance(module, imports as WebAssembly.Imports);
    } catch {
      // A start function that calls a stub: the instance was still built; its time counts.
    }
    if (i >= 0) samples[i] = (performance.now() - started) * 1000;
  }
  return summarize(samples);
}

export function renderCoreInstanceCosts(rows: readonly CoreInstanceCosts[]): string[] {
  const lines: string[] = [];
  const us = (s: Summary) => `${fixed(s.p50, 1)} / ${fixed(s.p99, 1)}`;
  for (const row of rows) {
    lines.push(`${row.example} (${row.path}, ${row.coreInstances} core instances): instantiate p50/p99 ${us(row.instantiate)} µs, call ${us(row.call)} µs`);
    const modules = new Set([...row.perModule.map((m) => m.module), ...row.alone.map((m) => m.module)]);
    lines.push(
      textTable(
        ['part', 'inside instantiate p50 / p99 µs', 'alone p50 / p99 µs'],
        [
          ...[...modules].map((module) => {
            const inside = row.perModule.find((m) => m.module === module);
            const alone = row.alone.find((m) => m.module === module);
            return [module, inside ? us(inside.micros) : '–', alone ? us(alone.micros) : '–'];
          }),
          [row.path === 'direct' ? 'host setup (the rest)' : 'glue setup (the rest)', us(row.glueSetup), '–'],
        ],
      ),
    );
  }
  return lines;
}

async function runAlone(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { iterations: { type: 'string' }, warmup: { type: 'string' }, 'no-fold': { type: 'boolean' } } });
  setFlagsFromString('--experimental-wasm-extended-const');
  installPromisingPolyfill();
  const iterations = Number(values.iterations ?? 2000);
  const warmup = Number(values.warmup ?? 200);
  const { ready } = await scanExamples();
  const wanted = positionals.length > 0 ? positionals : ['hello-rust', 'hello-c'];
  const workDir = await mkdtemp(join(tmpdir(), 'wasmlet-core-costs-'));
  try {
    const rows: CoreInstanceCosts[] = [];
    for (const example of ready.filter((e) => wanted.includes(e.name))) {
      rows.push(await measureCoreInstanceCosts(example, workDir, iterations, warmup, { fold: false }));
      if (!values['no-fold']) rows.push(await measureCoreInstanceCosts(example, workDir, iterations, warmup));
    }
    process.stdout.write(`${renderCoreInstanceCosts(rows).join('\n')}\n`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runAlone(process.argv.slice(2));
