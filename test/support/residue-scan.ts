// Isolation check that needs no help from the guest, so it runs on any language's hello: call an
// instance with a secret in its request (the glue copies it into the guest's linear memory), then
// search every byte of the memories of the *next* instance, created exactly as a worker creates
// it (runtime/run-invocation.ts, runtime/memory-pool.ts: the same recycled memories), for it.
// The search also runs on the first instance after its call: the secret must be found there, or
// the check proves nothing.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { transpiledExample } from '../../bench/transpiled.js';
import { noGrants } from '../../src/capabilities/instance-imports.js';
import { ArtifactStore, type Artifacts } from '../../src/compile/artifact-store.js';
import { takeSnapshot } from '../../src/compile/code-cache.js';
import { compileCode } from '../../src/compile/compile-code.js';
import { IdleMemoryBudget, MemoryPool, type MemoryLease } from '../../src/runtime/memory-pool.js';
import { installPromisingPolyfill } from '../../src/runtime/promising-polyfill.js';
import { callInstance, instantiate, type InstantiateGlue, type LoadedCode } from '../../src/runtime/run-invocation.js';
import type { GuestCall } from '../../src/runtime/guest-call.js';

export interface ResidueReport {
  readonly rounds: number;
  /** Rounds in which the secret was in the first instance's memory after its call (must be all). */
  readonly seenInOwnInstance: number;
  /** Copies of a previous secret found in a next instance, before or after its own call (must be 0). */
  readonly foundInNextInstance: number;
  /** Memories the next instances got from the pool (0 when the guest's memory grows and is never recycled). */
  readonly recycledMemories: number;
}

const grants = noGrants;

export interface ResidueOptions {
  /** Start instances from an init snapshot (`[runtime] init_snapshot`), as the host does for such a function. */
  readonly initSnapshot?: boolean;
  /** Run on jco's glue even where the host would take the direct path (runtime/direct-plan.ts). */
  readonly glue?: boolean;
}

export async function scanForResidue(componentPath: string, route: string, rounds: number, options: ResidueOptions = {}): Promise<ResidueReport> {
  setFlagsFromString('--experimental-wasm-extended-const');
  installPromisingPolyfill();
  const work = await mkdtemp(join(tmpdir(), 'wasmlet-residue-'));
  try {
    const code = await loadCode(componentPath, work, options.initSnapshot === true, options.glue === true);
    let seenInOwnInstance = 0;
    let foundInNextInstance = 0;
    let recycledMemories = 0;
    for (let round = 0; round < rounds; round++) {
      const secret = `residue${randomBytes(12).toString('hex')}`;
      const first = watched(code.memories.lease());
      const written = runOnce(code, first, httpCall(route, secret));
      if (!written.includes(secret)) throw new Error(`the guest did not answer with the secret: ${written}`);
      if (countIn(first.memories, secret) > 0) seenInOwnInstance++;
      first.lease.release();

      const next = watched(code.memories.lease());
      const made = instantiate(code, next.lease, grants);
      if (!made.ok) throw new Error(`instantiate failed: ${JSON.stringify(made.outcome)}`);
      recycledMemories += next.lease.recycled;
      foundInNextInstance += countIn(next.memories, secret);
      callInstance(made.instance, httpCall(route, 'someone-else'), 1 << 24, 'fresh');
      foundInNextInstance += countIn(next.memories, secret);
      next.lease.release();
    }
    return { rounds, seenInOwnInstance, foundInNextInstance, recycledMemories };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function loadCode(componentPath: string, work: string, initSnapshot: boolean, glueOnly: boolean): Promise<LoadedCode> {
  const artifacts = new ArtifactStore(join(work, 'artifacts'));
  const { componentHex, files } = await transpiledExample({ componentPath }, artifacts);
  const replaced = initSnapshot ? await snapshotOf(files) : undefined;
  const compiled = await compileCode(componentHex, files, memoryMb, replaced ? { replaced } : {});
  const glue = (await import(pathToFileURL(files.gluePath).href)) as { instantiate: InstantiateGlue };
  const memories = MemoryPool.forModules(compiled.modules, compiled.memories, new IdleMemoryBudget());
  return { instantiate: glue.instantiate, modules: compiled.modules, memories, ...(glueOnly ? { direct: false } : {}) };
}

const memoryMb = 128;

async function snapshotOf(files: Artifacts): Promise<Record<string, Uint8Array>> {
  const result = await takeSnapshot(files, memoryMb, {});
  if (result.kind !== 'baked') throw new Error('the component has no initialisation to snapshot');
  return { [result.module]: result.bytes };
}

/**
 * A lease whose instances' memories (imported or their own, and any taken ahead of instantiation
 * for a folded component: runtime/folded-instantiation.ts) are remembered for the search.
 */
function watched(lease: MemoryLease): { lease: MemoryLease; memories: WebAssembly.Memory[] } {
  const memories: WebAssembly.Memory[] = [];
  const remember = (value: unknown) => {
    if (value instanceof WebAssembly.Memory && !memories.includes(value)) memories.push(value);
  };
  const instantiateCore: MemoryLease['instantiateCore'] = (module, imports) => {
    const instance = lease.instantiateCore(module, imports);
    for (const value of Object.values(instance.exports)) remember(value);
    return instance;
  };
  return {
    memories,
    lease: {
      instantiateCore,
      memoryFor: (module) => {
        const memory = lease.memoryFor(module);
        remember(memory);
        return memory;
      },
      get recycled() {
        return lease.recycled;
      },
      get created() {
        return lease.created;
      },
      release: () => lease.release(),
    },
  };
}

function runOnce(code: LoadedCode, watchedLease: { lease: MemoryLease }, call: GuestCall): string {
  const made = instantiate(code, watchedLease.lease, grants);
  if (!made.ok) throw new Error(`instantiate failed: ${JSON.stringify(made.outcome)}`);
  const result = callInstance(made.instance, call, 1 << 24, 'fresh');
  if (result.outcome.kind !== 'ok') throw new Error(`call failed: ${JSON.stringify(result.outcome)}`);
  return new TextDecoder().decode(result.outcome.response.body);
}

function httpCall(route: string, name: string): GuestCall {
  return { kind: 'http', request: { method: 'GET', path: route, query: `name=${name}`, headers: [['host', 'residue.test']], body: new Uint8Array(0) } };
}

function countIn(memories: readonly WebAssembly.Memory[], secret: string): number {
  const needle = Buffer.from(secret);
  let found = 0;
  for (const memory of memories) {
    const bytes = Buffer.from(memory.buffer);
    for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) found++;
  }
  return found;
}
