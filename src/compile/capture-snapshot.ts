// Runs a component's initialisation once and returns its main core module with the resulting state
// baked in (compile/init-snapshot.ts). Guest code runs here, so this runs in the toolchain worker,
// which the main thread terminates on a deadline (compile/toolchain.ts).
//
// During init the guest may read its environment, the clocks and random bytes, nothing else: a
// handle to a stream, a file or a host service would be baked into the snapshot but not exist in
// the next instance. Anything else refuses the snapshot with the name of the import.
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { sleepOnlyLink } from '../capabilities/host-link.js';
import { noGrants } from '../capabilities/instance-imports.js';
import { WasmletError } from '../errors/wasmlet-error.js';
import { IdleMemoryBudget, MemoryPool } from '../runtime/memory-pool.js';
import { installPromisingPolyfill } from '../runtime/promising-polyfill.js';
import { instantiate, type InstantiateGlue, type LoadedCode } from '../runtime/run-invocation.js';
import { importMemory } from '../wasm/import-memory.js';
import { bakeSnapshot, exposeGlobals, hasInitialize, snapshotGlobalPrefix, type GlobalValue } from './init-snapshot.js';

export interface SnapshotRequest {
  readonly gluePath: string;
  /** Core modules by file name, with the host's memory cap already written (wasm/limit-memory.ts). */
  readonly modules: Readonly<Record<string, Uint8Array>>;
  /** The function's `[env]`: what init reads is baked in, so a snapshot belongs to one environment. */
  readonly env: Readonly<Record<string, string>>;
}

export type SnapshotResult =
  /** `module` (a file name in `modules`) with init's state baked in. */
  | { readonly kind: 'baked'; readonly module: string; readonly bytes: Uint8Array }
  /** No core module exports `_initialize` (e.g. already pre-initialised at build): nothing to do. */
  | { readonly kind: 'no_init' };

/** Imports init may call: they return plain values, no handle survives the snapshot. */
const allowedDuringInit: Readonly<Record<string, ReadonlySet<string>>> = {
  'wasi:cli/environment': new Set(['getEnvironment', 'getArguments', 'initialCwd']),
  'wasi:clocks/wall-clock': new Set(['now', 'resolution']),
  'wasi:clocks/monotonic-clock': new Set(['now', 'resolution']),
  'wasi:random/random': new Set(['getRandomBytes', 'getRandomU64']),
  'wasi:random/insecure': new Set(['getInsecureRandomBytes', 'getInsecureRandomU64']),
  'wasi:random/insecure-seed': new Set(['insecureSeed']),
};

class RefusedDuringInit extends Error {}

export async function captureSnapshot(request: SnapshotRequest): Promise<SnapshotResult> {
  setFlagsFromString('--experimental-wasm-extended-const');
  installPromisingPolyfill();
  const main = Object.keys(request.modules).find((name) => hasInitialize(request.modules[name]!));
  if (!main) return { kind: 'no_init' };

  const exposed = exposeGlobals(request.modules[main]!);
  const modules: Record<string, WebAssembly.Module> = {};
  const memories: Record<string, NonNullable<ReturnType<typeof importMemory>>['memory']> = {};
  for (const [name, original] of Object.entries(request.modules)) {
    const bytes = name === main ? exposed.bytes : original;
    const rewritten = importMemory(bytes);
    if (name === main && !rewritten) throw new WasmletError('component_invalid', 'init_snapshot: the main module\'s memory cannot be supplied by the host');
    if (rewritten) memories[name] = rewritten.memory;
    modules[name] = new WebAssembly.Module((rewritten?.bytes ?? bytes) as Uint8Array<ArrayBuffer>);
  }
  const glue = (await import(pathToFileURL(request.gluePath).href)) as { instantiate: InstantiateGlue };
  const pool = MemoryPool.forModules(modules, memories, new IdleMemoryBudget());
  const code: LoadedCode = { instantiate: glue.instantiate, modules, memories: pool };

  const lease = pool.lease();
  let mainInstance: WebAssembly.Instance | undefined;
  const watching = {
    ...lease,
    instantiateCore: (module: WebAssembly.Module, imports?: WebAssembly.Imports) => {
      const instance = lease.instantiateCore(module, imports);
      if (module === modules[main]) mainInstance = instance;
      return instance;
    },
  };
  let refused: string | undefined;
  try {
    const made = instantiate(code, watching, { ...noGrants, env: request.env }, sleepOnlyLink, (imports: Record<string, unknown>) => guardInit(imports, (what) => (refused ??= what)));
    if (refused) throw new WasmletError('snapshot_refused', `init_snapshot: the guest's initialisation called ${refused}; only the environment, clocks and random bytes may be used before the first call`);
    if (!made.ok) throw new WasmletError('snapshot_refused', `init_snapshot: the guest's initialisation failed: ${'message' in made.outcome ? made.outcome.message : made.outcome.kind}`);
    const memory = mainInstance!.exports['memory'];
    if (!(memory instanceof WebAssembly.Memory)) throw new WasmletError('component_invalid', 'init_snapshot: the main module exports no memory');
    const globals = new Map<number, GlobalValue>();
    for (const { index } of exposed.globals) {
      globals.set(index, (mainInstance!.exports[`${snapshotGlobalPrefix}${index}`] as WebAssembly.Global).value as GlobalValue);
    }
    const bytes = bakeSnapshot(request.modules[main]!, { memory: new Uint8Array(memory.buffer), globals });
    return { kind: 'baked', module: main, bytes };
  } finally {
    lease.release();
  }
}

/** `imports` with every function outside the allow-list replaced by one that records and traps. */
function guardInit(imports: Record<string, unknown>, refuse: (what: string) => void): Record<string, unknown> {
  const guarded: Record<string, unknown> = {};
  for (const key in imports) {
    const iface = imports[key] as Record<string, unknown>;
    const allowed = allowedDuringInit[key];
    const copy: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(iface)) {
      if (typeof value !== 'function' || allowed?.has(name) || /^[A-Z]/.test(name)) {
        copy[name] = value; // resource classes are only reachable through a call that is guarded
        continue;
      }
      copy[name] = () => {
        refuse(`${key}#${name}`);
        throw new RefusedDuringInit(`${key}#${name} is not available during init_snapshot`);
      };
    }
    guarded[key] = copy;
  }
  return guarded;
}

