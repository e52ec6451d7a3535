// Micro-benchmark of the ways to give the next instance a clean memory (src/runtime/memory-clearing.ts),
// on the examples' real guests: a worker's cost per invocation is instantiate + call + clearing the
// memory afterwards, and a strategy that clears less may make the next instance pay for it (page
// faults in a fresh memory, a GC to drop the old one), so all three are measured together.
// Strategies alternate call by call (rotating who goes first), so drift on a shared machine hits all
// alike; blocks of calls per strategy, also alternated, catch the GC a strategy causes but another's
// call may pay for. `--evict-mib N` writes N MiB before each alternated call (not in the blocks), as
// a busy host's other work (HTTP, the hop, other guests) evicts the caches; 0 measures a hot cache.
// node dist/bench/memory-clearing.js [--iterations 2000] [--warmup 200] [--evict-mib 0] [example ...]
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { noGrants } from '../src/capabilities/instance-imports.js';
import { ArtifactStore } from '../src/compile/artifact-store.js';
import { takeSnapshot } from '../src/compile/code-cache.js';
import { compileCode } from '../src/compile/compile-code.js';
import { summarize, type Summary } from '../src/benchmark/stats.js';
import { memoryClearings, type MemoryClearing } from '../src/runtime/memory-clearing.js';
import { IdleMemoryBudget, MemoryPool } from '../src/runtime/memory-pool.js';
import { installPromisingPolyfill } from '../src/runtime/promising-polyfill.js';
import { runInvocation, type InstantiateGlue, type LoadedCode } from '../src/runtime/run-invocation.js';
import { scanExamples, type Example } from './examples.js';
import { transpiledExample } from './transpiled.js';

const defaultExamples = ['hello-c', 'hello-rust', 'hello-go', 'json-api', 'hello-js'];
/** Calls per strategy in one block of the block-alternated pass. */
const blockCalls = 50;
const memoryMbWhenUnset = 128;
const maxResponseBytes = 6 * 1024 * 1024;

interface Row {
  readonly example: string;
  readonly strategy: string;
  readonly memoryBytes: number;
  /** instantiate + call, µs. */
  readonly runMicros: Summary;
  /** clearing after the call (release), µs. */
  readonly clearMicros: Summary;
  /** run + clear, µs: the worker's cost per invocation. */
  readonly totalMicros: Summary;
  /** Mean µs per call over alternated blocks of `blockCalls`, GC included; never with eviction. */
  readonly blockMeanMicros: number;
  readonly failures: number;
}

async function loadCodes(example: Example, workDir: string, clearings: readonly MemoryClearing[]): Promise<{ codes: LoadedCode[]; memoryBytes: number }> {
  const artifacts = new ArtifactStore(join(workDir, 'artifacts'));
  const { componentHex, files } = await transpiledExample(example, artifacts);
  const glue = (await import(pathToFileURL(files.gluePath).href)) as { instantiate: InstantiateGlue };
  const memoryMb = example.memoryMb ?? memoryMbWhenUnset;
  let replaced: Record<string, Uint8Array> | undefined;
  if (example.initSnapshot) {
    const snapshot = await takeSnapshot(files, memoryMb, {});
    if (snapshot.kind === 'baked') replaced = { [snapshot.module]: snapshot.bytes };
  }
  const compiled = await compileCode(componentHex, files, memoryMb, replaced ? { replaced } : {});
  const memoryBytes = Object.values(compiled.memories).reduce((sum, limits) => sum + limits.initialPages * 65536, 0);
  const codes = clearings.map((clearing) => ({
    instantiate: glue.instantiate,
    modules: compiled.modules,
    memories: MemoryPool.forModules(compiled.modules, compiled.memories, new IdleMemoryBudget(), clearing),
  }));
  return { codes, memoryBytes };
}

function measure(example: Example, codes: LoadedCode[], clearings: readonly MemoryClearing[], memoryBytes: number, options: { iterations: number; warmup: number; evictBytes: number }): Row[] {
  const call = { kind: 'http', request: { method: 'GET', path: example.route, query: 'name=bench', headers: [['host', 'bench.local']], body: new Uint8Array(0) } } as const;
  const evict = new Uint8Array(options.evictBytes);
  const n = codes.length;
  const run = codes.map(() => new Float64Array(options.iterations));
  const clear = codes.map(() => new Float64Array(options.iterations));
  const failures = new Array<number>(n).fill(0);
  const once = (k: number, evicting = true): [number, number] => {
    if (evicting && evict.length > 0) evict.fill(evict[0]! + 1);
    const code = codes[k]!;
    const lease = code.memories.lease();
    const started = performance.now();
    const result = runInvocation(code, lease, noGrants, call as never, maxResponseBytes);
    const ran = performance.now();
    lease.release();
    const cleared = performance.now();
    if (result.outcome.kind !== 'ok') failures[k]!++;
    return [(ran - started) * 1000, (cleared - ran) * 1000];
  };
  for (let i = -options.warmup; i < options.iterations; i++) {
    for (let j = 0; j < n; j++) {
      const k = (j + (i >= 0 ? i : 0)) % n; // rotate who goes first
      const [runMicros, clearMicros] = once(k);
      if (i >= 0) {
        run[k]![i] = runMicros;
        clear[k]![i] = clearMicros;
      }
    }
  }
  const blockTotals = new Float64Array(n);
  const blocks = Math.max(1, Math.floor(options.iterations / blockCalls / 2));
  for (let b = 0; b < blocks; b++) {
    for (let j = 0; j < n; j++) {
      const k = (j + b) % n;
      const started = performance.now();
      for (let c = 0; c < blockCalls; c++) once(k, false); // no eviction: its own cost would swamp the difference
      blockTotals[k] = blockTotals[k]! + (performance.now() - started) * 1000;
    }
  }
  return codes.map((_, k) => ({
    example: example.name,
    strategy: clearings[k]!.name,
    memoryBytes,
    runMicros: summarize(run[k]!),
    clearMicros: summarize(clear[k]!),
    totalMicros: summarize(run[k]!.map((r, i) => r + clear[k]![i]!)),
    blockMeanMicros: blockTotals[k]! / (blocks * blockCalls),
    failures: failures[k]!,
  }));
}

function render(rows: readonly Row[]): string[] {
  const f = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
  const lines = ['| example (memory) | strategy | run p50/p99 µs | clear p50/p99 µs | run+clear p50/p99 µs | × typed-fill p50 | block mean µs | × typed-fill |', '|---|---|---|---|---|---|---|---|'];
  for (const row of rows) {
    const base = rows.find((r) => r.example === row.example && r.strategy === 'typed-fill');
    const x = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}×` : '–');
    lines.push(
      `| ${row.example} (${(row.memoryBytes / 1024).toFixed(0)} KiB) | ${row.strategy} | ${f(row.runMicros.p50)} / ${f(row.runMicros.p99)} | ${f(row.clearMicros.p50)} / ${f(row.clearMicros.p99)} | ${f(row.totalMicros.p50)} / ${f(row.totalMicros.p99)} | ${x(row.totalMicros.p50, base?.totalMicros.p50)} | ${f(row.blockMeanMicros)} | ${x(row.blockMeanMicros, base?.blockMeanMicros)} |${row.failures ? ` ${row.failures} failures` : ''}`,
    );
  }
  return lines;
}

async function main(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { iterations: { type: 'string' }, warmup: { type: 'string' }, 'evict-mib': { type: 'string' }, strategies: { type: 'string' } },
  });
  const options = { iterations: Number(values.iterations ?? 2000), warmup: Number(values.warmup ?? 200), evictBytes: Number(values['evict-mib'] ?? 0) * 1024 * 1024 };
  const names = values.strategies?.split(',');
  const clearings = names ? memoryClearings.filter((c) => names.includes(c.name)) : memoryClearings;
  // The host's engine set-up (guest-worker.ts): QuickJS guests need extended-const.
  setFlagsFromString('--experimental-wasm-extended-const');
  installPromisingPolyfill();
  const wanted = positionals.length > 0 ? positionals : defaultExamples;
  const { ready } = await scanExamples();
  const examples = ready.filter((example) => wanted.includes(example.name));
  const workDir = await mkdtemp(join(tmpdir(), 'wasmlet-memory-clearing-'));
  const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
  try {
    process.stdout.write(`memory clearing: ${options.iterations} calls per strategy (+${options.warmup} warm-up), evicting ${values['evict-mib'] ?? 0} MiB between calls; load average at start ${load()}\n`);
    const rows: Row[] = [];
    for (const example of examples) {
      const { codes, memoryBytes } = await loadCodes(example, workDir, clearings);
      rows.push(...measure(example, codes, clearings, memoryBytes, options));
      process.stderr.write(`${example.name} done (load ${load()})\n`);
    }
    process.stdout.write(`${render(rows).join('\n')}\nload average at end ${load()}\n`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
