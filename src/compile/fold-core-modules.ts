// Folds a component's core modules (main, the preview1 adapter, jco's shim and fixup) into one
// core module at deploy, so that a fresh instance is one `new WebAssembly.Instance` instead of four
// (bench/core-instance-costs.ts: each costs ~10–55 µs on the hellos). The glue stays jco's: its
// wiring is recorded (compile/glue-wiring.ts), each import that one core instance takes from
// another is renamed to point at that export, wasm-merge (binaryen) links them, and what the glue
// made itself (the lowered imports) stays an import of the folded module, under "wasmlet:glue".
// At run time runtime/folded-instantiation.ts plays the glue's `instantiateCore` calls against it.
// Start functions (the fixup's, which calls `_initialize`) become exports the host calls right
// after instantiation, in the glue's order: a start function runs before the instance's exports
// exist, and the lowered imports it may call need them.
// Anything this cannot express leaves the component on the glue's own wiring (the general path).
// It runs in a toolchain worker after the deploy, which activates on the glue's path at once
// (compile/fold-queue.ts): a fold costs about a second of CPU even for a hello.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import type { FoldedCall, FoldPlan, LoweredImport } from '../runtime/fold-plan.js';
import type { InstantiateGlue } from '../runtime/run-invocation.js';
import { renameImportsExports } from '../wasm/rename-imports-exports.js';
import { recordGlueWiring, UnfoldableGlue, type GlueWiring } from './glue-wiring.js';
import { loweredImportOf } from './lowered-imports.js';

/** The file the folded module is stored under beside the artifacts (compile/artifact-store.ts). */
export const foldedModuleName = 'fn.folded.wasm';
/** The module name under which the folded module imports the functions the glue made. */
export const glueImportModule = 'wasmlet:glue';
/** The name (after its core instance's prefix) a former start function is exported under. */
export const startExportName = 'wasmlet:start';

export type FoldResult =
  | { readonly kind: 'folded'; readonly plan: FoldPlan; readonly bytes: Uint8Array }
  | { readonly kind: 'refused'; readonly reason: string };

/**
 * Larger components keep the glue's wiring. The three small instances folding saves cost ~30–40 µs
 * (bench/core-instance-costs.ts), which matters for a guest whose instance costs tens of µs, not
 * for one whose own module costs milliseconds; and wasm-merge takes seconds on a megabyte (measured
 * on 2 busy cores: 8 s for 1.9 MB of Go, 31 s for 14 MB of StarlingMonkey). QuickJS components
 * (1.7 MB) could not be folded anyway: two of their modules define a memory, and V8 11 has no
 * multi-memory.
 */
export const maxFoldedBytes = 1024 * 1024;

/** A merge past this is abandoned and the component keeps the glue's wiring (a 1 MiB merge takes a few seconds). */
const mergeTimeoutMs = 60_000;

const execFileAsync = promisify(execFile);
const wasmMerge = createRequire(import.meta.url).resolve('binaryen/bin/wasm-merge');

/**
 * Folds the core modules of a transpiled component (`files` as jco writes them: `glueFile` names
 * the glue among them). Never throws for a component it cannot fold: it says why. Throws only when
 * `signal` stopped it (the host is closing): that is no verdict on the component.
 */
export async function foldCoreModules(files: Readonly<Record<string, Uint8Array>>, glueFile: string, signal?: AbortSignal): Promise<FoldResult> {
  try {
    const coreBytes = Object.entries(files).reduce((n, [name, bytes]) => n + (name.endsWith('.wasm') ? bytes.length : 0), 0);
    if (coreBytes > maxFoldedBytes) return refused(`${coreBytes} bytes of core modules: above ${maxFoldedBytes}, folding costs seconds of deploy and saves little`);
    const glueSource = files[glueFile];
    if (!glueSource) return refused(`no glue file ${glueFile}`);
    const glue = (await import(`data:text/javascript;base64,${Buffer.from(glueSource).toString('base64')}`)) as { instantiate: InstantiateGlue };
    const wiring = recordGlueWiring(glue.instantiate);
    if (wiring.calls.length < 2) return refused('one core module: nothing to fold');
    return await merge(files, wiring, signal);
  } catch (err) {
    signal?.throwIfAborted();
    if (err instanceof UnfoldableGlue) return refused(err.message);
    return refused(err instanceof Error ? err.message : String(err));
  }
}

/** Appends the plan to the glue module, where runtime/folded-instantiation.ts finds it (`instantiate.wasmletFold`). */
export function glueWithFoldPlan(glue: Uint8Array, plan: FoldPlan): Uint8Array {
  const line = `\n// wasmlet: this component's core modules are folded into one at deploy (compile/fold-core-modules.ts).\ninstantiate.wasmletFold = ${JSON.stringify(plan)};\n`;
  return Buffer.concat([glue, Buffer.from(line)]);
}

/** Why a component keeps the glue's wiring, kept beside its artifacts for whoever wonders. */
export const foldRefusedFile = 'fold-refused.txt';

function refused(reason: string): FoldResult {
  return { kind: 'refused', reason };
}

async function merge(files: Readonly<Record<string, Uint8Array>>, wiring: GlueWiring, signal: AbortSignal | undefined): Promise<FoldResult> {
  const inputs: Uint8Array[] = [];
  const plan: FoldedCall[] = [];
  const kept = new Set<string>();
  const starts: string[] = [];
  const lowered: Record<string, LoweredImport> = {};
  for (const [index, call] of wiring.calls.entries()) {
    const bytes = files[call.module];
    if (!bytes) return refused(`the glue instantiates ${call.module}, which jco did not write`);
    const module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
    const sources = new Map(call.imports.map((entry) => [`${entry.module}\u0000${entry.name}`, entry.source]));
    for (const declared of WebAssembly.Module.imports(module)) {
      const source = sources.get(`${declared.module}\u0000${declared.name}`);
      if (!source) return refused(`${call.module} imports ${declared.module}.${declared.name}, which the glue does not give`);
      if (source.kind === 'glue' && declared.kind === 'memory') return refused(`${call.module} imports a memory the glue made`);
    }
    const exportKinds = new Map(WebAssembly.Module.exports(module).map((entry) => [entry.name, entry.kind]));
    const glueImports: [string, string, string][] = [];
    const renamed = renameImportsExports(bytes, {
      renameImport: (entry) => {
        const source = sources.get(`${entry.module}\u0000${entry.name}`)!;
        if (source.kind === 'export') return { module: inputName(source.call), name: foldedExport(source.call, source.name) };
        const key = `${index}:${entry.module}:${entry.name}`;
        glueImports.push([entry.module, entry.name, key]);
        const known = loweredImportOf(wiring, index, entry.module, entry.name);
        if (known) lowered[key] = known;
        return { module: glueImportModule, name: key };
      },
      renameExport: (name) => foldedExport(index, name),
      // wasm-merge leaves an import used directly as a start function unresolved (binaryen 130), and
      // the host must call starts after instantiation anyway: each becomes an export, called in order.
      exportStartAs: foldedExport(index, startExportName),
    });
    if (WebAssembly.Module.exports(await WebAssembly.compile(renamed as Uint8Array<ArrayBuffer>)).some((e) => e.name === foldedExport(index, startExportName))) {
      starts.push(foldedExport(index, startExportName));
      kept.add(foldedExport(index, startExportName));
    }
    const early: FoldedCall['early'][number][] = [];
    const late: [string, string][] = [];
    for (const read of wiring.reads.filter((r) => r.call === index)) {
      const kind = exportKinds.get(read.name);
      if (kind === undefined) continue; // the glue reads an export this module lacks: undefined either way
      const folded = foldedExport(index, read.name);
      if (read.early) {
        if (kind !== 'function' && kind !== 'memory') return refused(`the glue keeps the ${kind} ${read.name} of ${call.module} before the last core instance exists`);
        early.push({ name: read.name, kind, folded });
        kept.add(folded);
      }
      if (read.late) {
        late.push([read.name, folded]);
        kept.add(folded);
      }
    }
    plan.push({ module: call.module, glueImports, early, late });
    inputs.push(renamed);
  }
  const merged = await runWasmMerge(inputs, signal);
  const bytes = renameImportsExports(merged, { renameExport: (name) => (kept.has(name) ? name : undefined) });
  const folded = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>).catch((err: Error) => err);
  if (folded instanceof Error) return refused(`the folded module does not compile: ${folded.message}`);
  for (const entry of WebAssembly.Module.imports(folded)) {
    if (entry.module !== glueImportModule) return refused(`the folded module still imports ${entry.module}.${entry.name}`);
  }
  const exported = new Set(WebAssembly.Module.exports(folded).map((entry) => entry.name));
  for (const name of kept) if (!exported.has(name)) return refused(`the folded module lost the export ${name}`);
  return {
    kind: 'folded',
    plan: { module: foldedModuleName, calls: plan, starts, lowered },
    bytes,
  };
}

function inputName(call: number): string {
  return `wasmlet:core${call}`;
}

function foldedExport(call: number, name: string): string {
  return `${call}:${name}`;
}

/** wasm-merge over the renamed modules, in the glue's order (start functions chain in that order). */
async function runWasmMerge(inputs: readonly Uint8Array[], signal: AbortSignal | undefined): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'wasmlet-fold-'));
  try {
    const args: string[] = [wasmMerge];
    for (const [index, bytes] of inputs.entries()) {
      const path = join(dir, `${index}.wasm`);
      await writeFile(path, bytes);
      args.push(path, inputName(index));
    }
    const out = join(dir, 'folded.wasm');
    // Every feature: binaryen reads what the inputs use and writes only that; V8 compiling the result decides.
    args.push('--all-features', '--quiet', '-o', out);
    const merging = execFileAsync(process.execPath, args, { maxBuffer: 16 * 1024 * 1024, timeout: mergeTimeoutMs, killSignal: 'SIGKILL', ...(signal ? { signal } : {}) });
    lowerPriority(merging.child.pid);
    await merging;
    return new Uint8Array(await readFile(out));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Nice value of the wasm-merge process: a fold is background work (the component already serves on
 * the glue's path), so the guests' threads and the host's main thread go first on a busy machine.
 */
const mergeNice = 10;

function lowerPriority(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    setPriority(pid, mergeNice);
  } catch {
    // Not permitted, or the process already ended: it merely runs at the host's priority.
  }
}
