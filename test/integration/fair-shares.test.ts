// Fair shares in the worker pool (runtime/worker-pool.ts), with real guests on real worker
// threads: stuck guests lend overflow slots, background work leaves synchronous callers a slot,
// max_concurrency bounds one function, and a breaker refuses a function that keeps costing
// workers. Assertions are about order and counts (who finished first, what was refused), never
// about how long anything took.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ArtifactStore } from '../../src/compile/artifact-store.js';
import { compileCode, type CompiledCode } from '../../src/compile/compile-code.js';
import { ensureTranspiled } from '../../src/compile/toolchain.js';
import { breakerFailureThreshold } from '../../src/runtime/circuit-breaker.js';
import type { GuestCall } from '../../src/runtime/guest-call.js';
import { grantedNothing, type RunnableFunction } from '../../src/runtime/runnable-function.js';
import { WorkerPool } from '../../src/runtime/worker-pool.js';
import { sha256Hex } from '../../src/store/digest.js';
import { fixtureComponent } from '../support/paths.js';

async function compiledFixture(name: string, workDir: string): Promise<CompiledCode> {
  const component = new Uint8Array(await readFile(fixtureComponent(name)));
  const componentHex = sha256Hex(component);
  const artifacts = await ensureTranspiled(new ArtifactStore(workDir), componentHex, () => component);
  return compileCode(componentHex, artifacts, 128);
}

const get = (path: string, query = ''): GuestCall => ({ kind: 'http', request: { method: 'GET', path, query, headers: [], body: new Uint8Array(0) } });

describe('fair shares (2 compute slots)', () => {
  let workDir: string;
  let slow: CompiledCode;
  let echo: CompiledCode;
  let loop: CompiledCode;
  let pool: WorkerPool;

  const fn = (name: string, code: CompiledCode, extra: Partial<RunnableFunction> = {}): RunnableFunction => ({
    name,
    ...code,
    versionKey: name,
    ...grantedNothing,
    timeoutMs: 20_000,
    ...extra,
  });

  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'wasmlet-fair-shares-'));
    [slow, echo, loop] = await Promise.all([compiledFixture('slow', workDir), compiledFixture('echo', workDir), compiledFixture('infinite-loop', workDir)]);
    pool = new WorkerPool({ size: 2 });
  });

  after(async () => {
    await pool.close();
    await rm(workDir, { recursive: true, force: true });
  });

  /** Runs the calls at once and returns the labels in the order they finished. */
  async function finishOrder(calls: [label: string, run: () => Promise<unknown>][]): Promise<string[]> {
    const order: string[] = [];
    await Promise.all(calls.map(async ([label, run]) => {
      await run();
      order.push(label);
    }));
    return order;
  }

  test('two guests stuck computing do not stop a third function: it gets an overflow slot', async () => {
    const busy = fn('fx-slow-busy', slow);
    const healthy = fn('fx-echo-healthy', echo);
    await pool.invoke(healthy, get('/fx/echo')); // loaded and warm
    const order = await finishOrder([
      ['slow-1', () => pool.invoke(busy, get('/fx/slow', 'ms=4000'))],
      ['slow-2', () => pool.invoke(busy, get('/fx/slow', 'ms=4000'))],
      ['echo', async () => {
        await new Promise((resolve) => setTimeout(resolve, 50)); // both slots are taken by then
        const result = await pool.invoke(healthy, get('/fx/echo'));
        assert.equal(result.outcome.kind, 'ok');
      }],
    ]);
    assert.equal(order[0], 'echo', `finish order ${order.join(', ')}: the healthy call waited for a stuck guest`);
  });

  test('a background backlog leaves a synchronous caller a slot', async () => {
    // Four background functions (queue consumers, say), two calls each: in the plain rotation the
    // synchronous call would wait for the turns of all four.
    const batches = Array.from({ length: 4 }, (_, i) => fn(`fx-slow-batch-${i}`, slow));
    const healthy = fn('fx-echo-sync', echo);
    const order = await finishOrder([
      ...batches.flatMap((batch, i) =>
        [0, 1].map((k): [string, () => Promise<unknown>] => [`background-${i}.${k}`, () => pool.invoke(batch, get('/fx/slow', 'ms=600'), { lane: 'background' })]),
      ),
      ['sync', async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.equal((await pool.invoke(healthy, get('/fx/echo'), { lane: 'sync' })).outcome.kind, 'ok');
      }],
    ]);
    // With the share, background keeps to one slot while the echo waits: at most the two calls running when it arrived finish first.
    assert.ok(order.indexOf('sync') <= 2, `finish order ${order.join(', ')}`);
  });

  test('max_concurrency bounds one function: the rest of its calls queue', async () => {
    const limited = fn('fx-slow-limited', slow, { maxConcurrency: 1 });
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 3 }, () => pool.invoke(limited, get('/fx/slow', 'ms=300'))));
    for (const result of results) assert.equal(result.outcome.kind, 'ok');
    // One at a time: the third call's own instance started after the other two were done, so the
    // three calls' guest time (3 × 300 ms of busy waiting) cannot overlap; the sum is a lower bound on the wall.
    const callMs = results.map((r) => (r.timings?.callMicros ?? 0) / 1000);
    assert.ok(performance.now() - started >= callMs.reduce((a, b) => a + b, 0) * 0.95, `calls overlapped: ${callMs.join(', ')} ms`);
  });

  test('a function that keeps timing out is refused for a cool-down (503, Retry-After), the others are served', async () => {
    const spinning = fn('fx-loop-breaker', loop, { timeoutMs: 200 });
    for (let i = 0; i < breakerFailureThreshold; i++) assert.equal((await pool.invoke(spinning, get('/fx/infinite-loop'))).outcome.kind, 'timeout');
    const refused = await pool.invoke(spinning, get('/fx/infinite-loop'));
    assert.equal(refused.outcome.kind, 'overloaded');
    assert.ok(refused.outcome.kind === 'overloaded' && refused.outcome.retryAfterS !== undefined && refused.outcome.retryAfterS >= 1);
    assert.equal((await pool.invoke(fn('fx-echo-after', echo), get('/fx/echo'))).outcome.kind, 'ok');
  });
});
