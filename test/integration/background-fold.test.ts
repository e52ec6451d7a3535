// A new component serves on jco's glue (four core instances) as soon as its deploy is done; the fold
// of its core modules into one runs afterwards in the background (compile/fold-queue.ts), and once
// it is stored and compiled, new instances come from the folded module. The fold is held, failed and
// followed through the host's test hooks, so nothing here depends on timing.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { noGrants } from '../../src/capabilities/instance-imports.js';
import { foldedCodeKeySuffix } from '../../src/compile/compile-code.js';
import { foldedModuleName } from '../../src/compile/fold-core-modules.js';
import type { FoldHooks, FoldOutcome } from '../../src/compile/fold-queue.js';
import { IdleMemoryBudget, MemoryPool } from '../../src/runtime/memory-pool.js';
import { countingLease } from '../support/counting-lease.js';
import { installPromisingPolyfill } from '../../src/runtime/promising-polyfill.js';
import { runInvocation, type InstantiateGlue } from '../../src/runtime/run-invocation.js';
import type { RunnableFunction } from '../../src/runtime/runnable-function.js';
import { bundleWith, manifestFor } from '../support/bundles.js';
import { examplesDir } from '../support/paths.js';
import { startTestHost, type TestHost } from '../support/test-host.js';

const helloC = join(examplesDir, 'hello-c', 'hello-c.wasm');

function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Fold hooks that hold every fold until `release` and record how each ended (`ended()`: the first, whenever it ended). */
function heldFolds(fail?: string): FoldHooks & { started: Promise<string>; release: () => void; ended: () => Promise<FoldOutcome>; starts: () => number } {
  const started = deferred<string>();
  const hold = deferred();
  const ended = deferred<FoldOutcome>();
  let starts = 0;
  return {
    started: started.promise,
    release: () => hold.resolve(),
    ended: () => ended.promise,
    starts: () => starts,
    beforeFold: async (componentHex) => {
      starts++;
      started.resolve(componentHex);
      await hold.promise;
      if (fail) throw new Error(fail);
    },
    afterFold: (_componentHex, outcome) => ended.resolve(outcome),
  };
}

/** Records the code the invoker hands the real pool for every call (what its workers instantiate from). */
function watchCode(host: TestHost): RunnableFunction[] {
  const seen: RunnableFunction[] = [];
  const { pool } = host.host;
  const invoke = pool.invoke.bind(pool);
  pool.invoke = (fn, call, options) => {
    seen.push(fn);
    return invoke(fn, call, options);
  };
  return seen;
}

/** Core instances one fresh instance of `fn`'s code creates, instantiated as a worker does (guest-worker.ts), and what it answered. */
async function coreInstancesOf(fn: RunnableFunction): Promise<{ instances: number; status: number | undefined }> {
  installPromisingPolyfill();
  const glue = (await import(pathToFileURL(fn.gluePath).href)) as { instantiate: InstantiateGlue };
  const memories = MemoryPool.forModules(fn.modules, fn.memories, new IdleMemoryBudget());
  const lease = memories.lease();
  const counting = countingLease(lease);
  const call = { kind: 'http' as const, request: { method: 'GET', path: '/hello/c', query: 'name=ada', headers: [] as [string, string][], body: new Uint8Array() } };
  const result = runInvocation({ instantiate: glue.instantiate, modules: fn.modules, memories }, counting.lease, noGrants, call, 1 << 20);
  lease.release();
  return { instances: counting.instances(), status: result.outcome.kind === 'ok' ? result.outcome.response.status : undefined };
}

async function artifactFiles(host: TestHost): Promise<string[]> {
  const dirs = await readdir(join(host.dataDir, 'artifacts'));
  assert.equal(dirs.length, 1, dirs.join(', '));
  return readdir(join(host.dataDir, 'artifacts', dirs[0]!));
}

async function hello(host: TestHost, route: string): Promise<void> {
  const response = await host.get(`${route}?name=ada`);
  const text = await response.text();
  assert.equal(response.status, 200, text);
  assert.match(text, /ada/);
}

/** `fold` of `GET /v1/functions/:name`: what `wasmlet bench` waits on. */
async function foldState(host: TestHost, name: string): Promise<{ state: string; reason?: string }> {
  const response = await host.admin(`/v1/functions/${name}`);
  assert.equal(response.status, 200);
  return ((await response.json()) as { function: { fold: { state: string; reason?: string } } }).function.fold;
}

describe('folding a new component in the background', () => {
  test('the route answers on the glue before the fold ends, then from one core instance of the folded module', async () => {
    const folds = heldFolds();
    const host = await startTestHost({ workers: 1, foldHooks: folds });
    try {
      const seen = watchCode(host);
      const deployed = await host.deploy(bundleWith(manifestFor('bg-fold', '/bg-fold'), helloC));
      assert.equal(deployed.status, 201, await deployed.text());
      await folds.started; // the fold has begun and is held
      assert.deepEqual(await foldState(host, 'bg-fold'), { state: 'pending' });

      await hello(host, '/bg-fold');
      const glueCode = seen.at(-1)!;
      assert.ok(Object.keys(glueCode.modules).length > 1, 'served from the glue\'s core modules');
      assert.ok(!glueCode.codeKey.endsWith(foldedCodeKeySuffix));
      assert.ok(!(await artifactFiles(host)).includes(foldedModuleName), 'nothing folded yet');

      folds.release();
      assert.equal(await folds.ended(), 'folded');
      assert.ok((await artifactFiles(host)).includes(foldedModuleName), 'the fold is stored beside the artifacts');
      assert.deepEqual(await foldState(host, 'bg-fold'), { state: 'folded' });

      await hello(host, '/bg-fold');
      const foldedCode = seen.at(-1)!;
      assert.deepEqual(Object.keys(foldedCode.modules), [foldedModuleName]);
      assert.equal(foldedCode.codeKey, `${glueCode.codeKey}${foldedCodeKeySuffix}`, 'a new code key: workers load it as new code');
      await hello(host, '/bg-fold'); // and keep serving from it
      assert.equal(seen.at(-1)!.codeKey, foldedCode.codeKey);

      // What the worker was handed makes one core instance; what it had before made several.
      assert.deepEqual(await coreInstancesOf(foldedCode), { instances: 1, status: 200 });
      const before = await coreInstancesOf(glueCode);
      assert.ok(before.instances > 1, `${before.instances} core instances on the glue's path`);
      assert.equal(before.status, 200);
    } finally {
      folds.release();
      await host.close();
    }
  });

  test('a failing fold keeps the glue serving, is logged once and not tried again', async () => {
    const folds = heldFolds('the test failed this fold');
    const lines: string[] = [];
    const host = await startTestHost({ workers: 1, foldHooks: folds, log: (line) => void lines.push(line) });
    try {
      const seen = watchCode(host);
      const deployed = await host.deploy(bundleWith(manifestFor('bg-fail', '/bg-fail'), helloC));
      assert.equal(deployed.status, 201, await deployed.text());
      folds.release();
      assert.equal(await folds.ended(), 'failed');
      assert.equal((await foldState(host, 'bg-fail')).state, 'failed');
      await hello(host, '/bg-fail');
      assert.ok(Object.keys(seen.at(-1)!.modules).length > 1, 'still the glue\'s core modules');
      // Another memory cap of the same component is new code to compile: its fold is not asked again.
      const again = await host.deploy(bundleWith(manifestFor('bg-fail-32', '/bg-fail-32', '\n[limits]\nmemory_mb = 32\n'), helloC));
      assert.equal(again.status, 201, await again.text());
      await hello(host, '/bg-fail-32');
      await hello(host, '/bg-fail');
      assert.equal(folds.starts(), 1);
      const failures = lines.filter((line) => line.includes('fold failed'));
      assert.equal(failures.length, 1, lines.join('\n'));
      assert.match(failures[0]!, /the test failed this fold/);
      assert.ok(!(await artifactFiles(host)).includes(foldedModuleName));
    } finally {
      await host.close();
    }
  });

  test('a restarted host serves the stored fold at once, without folding again', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-bg-fold-'));
    try {
      const first = heldFolds();
      first.release();
      const host = await startTestHost({ workers: 1, foldHooks: first }, dataDir);
      const deployed = await host.deploy(bundleWith(manifestFor('bg-restart', '/bg-restart'), helloC));
      assert.equal(deployed.status, 201, await deployed.text());
      assert.equal(await first.ended(), 'folded');
      await host.close(false);

      const second = heldFolds();
      const restarted = await startTestHost({ workers: 1, foldHooks: second }, dataDir);
      try {
        const seen = watchCode(restarted);
        await hello(restarted, '/bg-restart');
        assert.deepEqual(Object.keys(seen.at(-1)!.modules), [foldedModuleName]);
        assert.equal(second.starts(), 0, 'no fold was started');
      } finally {
        second.release();
        await restarted.close(false);
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test('a function deleted mid-fold: its artifacts are collected and the fold writes nothing back', async () => {
    const folds = heldFolds();
    const host = await startTestHost({ workers: 1, foldHooks: folds });
    try {
      const deployed = await host.deploy(bundleWith(manifestFor('bg-delete', '/bg-delete'), helloC));
      assert.equal(deployed.status, 201, await deployed.text());
      await folds.started;
      assert.equal((await host.admin('/v1/functions/bg-delete', { method: 'DELETE' })).status, 200);
      // The pass the delete scheduled, then this one: both between deploys, neither held by the fold.
      assert.equal((await host.admin('/v1/gc', { method: 'POST' })).status, 200);
      assert.deepEqual(await readdir(join(host.dataDir, 'artifacts')), []);
      folds.release();
      assert.equal(await folds.ended(), 'gone');
      assert.deepEqual(await readdir(join(host.dataDir, 'artifacts')), [], 'no half directory written back');
    } finally {
      await host.close();
    }
  });
});
