// Running one component on both of the host's folded paths, to compare them: the direct path
// (runtime/direct-instance.ts) and jco's glue over the folded module (the baseline), each loaded as
// a worker loads its code, and what a caller can observe of one invocation on either.
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { HostLink } from '../../src/capabilities/host-link.js';
import type { InstanceGrants } from '../../src/capabilities/instance-imports.js';
import type { Artifacts } from '../../src/compile/artifact-store.js';
import { compileCode } from '../../src/compile/compile-code.js';
import type { GuestCall } from '../../src/runtime/guest-call.js';
import { IdleMemoryBudget, MemoryPool } from '../../src/runtime/memory-pool.js';
import { watchingLease } from './counting-lease.js';
import { callInstance, failedInstantiation, instantiate, runInvocation, type InstantiateGlue, type LoadedCode } from '../../src/runtime/run-invocation.js';

/** Linear memory per instance: what the fixtures need, small enough for many pools in one test. */
export const testMemoryMb = 16;
/** The largest response a compared call may give (a larger one is an outcome to compare too). */
export const testMaxResponseBytes = 1 << 20;

/** A GET (or, with a body, a POST) to `path` on the http handler. */
export function httpCall(path: string, query = '', body: string | Uint8Array = '', headers: [string, string][] = [['host', 'direct.test']]): GuestCall {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return { kind: 'http', request: { method: bytes.byteLength > 0 ? 'POST' : 'GET', path, query, headers, body: bytes } };
}

/** The code as a worker loads it; `glue` forces the folded glue path (the baseline). */
export async function loadedCode(files: Artifacts, componentHex: string, glue: boolean, memoryMb = testMemoryMb): Promise<LoadedCode> {
  const compiled = await compileCode(componentHex, files, memoryMb);
  const module = (await import(pathToFileURL(files.gluePath).href)) as { instantiate: InstantiateGlue };
  const memories = MemoryPool.forModules(compiled.modules, compiled.memories, new IdleMemoryBudget());
  return { instantiate: module.instantiate, modules: compiled.modules, memories, ...(glue ? { direct: false } : {}) };
}

export interface Observed {
  /** The outcome, the outbox and the log lines without their times, as JSON-ready text. */
  readonly seen: unknown;
  /** Whether the instance ran on a recycled memory. */
  readonly recycled: number;
  /** Which path made the instance (`timings.path`). */
  readonly path: string | undefined;
  /** A digest of the instance's linear memory once the call returned: equal when both paths wrote the same bytes. */
  readonly memory: string | undefined;
}

function memoryDigest(instances: readonly WebAssembly.Instance[]): string | undefined {
  const memories = instances.flatMap((instance) => Object.values(instance.exports).filter((value) => value instanceof WebAssembly.Memory));
  if (memories.length === 0) return undefined;
  const hash = createHash('sha256');
  for (const memory of memories) hash.update(new Uint8Array(memory.buffer));
  return hash.digest('hex');
}

/**
 * What a caller can observe of an invocation: the outcome, the outbox and the log lines without
 * their times, as text (bytes decoded) with the ids the host gave sent messages (random) numbered.
 * With `link`, the instance's imports reach the main thread through it.
 */
export function observed(code: LoadedCode, grants: InstanceGrants, call: GuestCall, link?: HostLink): Observed {
  const instances: WebAssembly.Instance[] = [];
  const lease = watchingLease(code.memories.lease(), (instance) => instances.push(instance));
  const made = link ? instantiate(code, lease, grants, link) : undefined;
  const result = !made ? runInvocation(code, lease, grants, call, testMaxResponseBytes) : made.ok ? callInstance(made.instance, call, testMaxResponseBytes, 'fresh') : failedInstantiation(made, lease);
  const recycled = lease.recycled;
  const memory = memoryDigest(instances);
  lease.release();
  const logs = result.logs.map(({ level, stream, message }) => ({ level, stream, message }));
  let text = JSON.stringify({ outcome: result.outcome, published: result.published, logs }, (_, value: unknown) =>
    value instanceof Uint8Array ? new TextDecoder().decode(value) : value,
  );
  for (const [index, sent] of (result.published ?? []).entries()) text = text.replaceAll(sent.message.id, `<sent ${index}>`);
  return { seen: JSON.parse(text) as unknown, recycled, path: result.timings?.path, memory };
}
