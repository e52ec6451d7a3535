// Pre-instantiation and `[runtime] instance_reuse` (runtime/instance-policy.ts): what persists between
// invocations, and what does not. The memory-residue fixture writes a secret all over its memory
// (mode=write) and scans every byte for it (mode=scan); one worker, so every call meets the
// instances the previous ones left.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ArtifactStore } from '../../src/compile/artifact-store.js';
import { compileCode, type CompiledCode } from '../../src/compile/compile-code.js';
import { ensureTranspiled } from '../../src/compile/toolchain.js';
import type { InvocationResult } from '../../src/runtime/outcome.js';
import { grantedNothing, type RunnableFunction } from '../../src/runtime/runnable-function.js';
import { WorkerPool } from '../../src/runtime/worker-pool.js';
import { sha256Hex } from '../../src/store/digest.js';
import { bundleWith, manifestFor } from '../support/bundles.js';
import { fixtureComponent } from '../support/paths.js';
import { startTestHost, type TestHost } from '../support/test-host.js';

const route = '/fx/memory-residue';

function newToken(): string {
  return randomBytes(12).toString('base64url');
}

function found(text: string): number {
  const match = /^found=(\d+) scanned=\d+ pages=\d+$/.exec(text.trim());
  assert.ok(match, `unexpected scan answer: ${text}`);
  return Number(match[1]);
}

async function compiledFixture(name: string, workDir: string): Promise<CompiledCode> {
  const component = new Uint8Array(await readFile(fixtureComponent(name)));
  const componentHex = sha256Hex(component);
  const artifacts = await ensureTranspiled(new ArtifactStore(workDir), componentHex, () => component);
  return compileCode(componentHex, artifacts, 128);
}

/** Lets the worker finish what it does after answering (zeroing, preparing the next instance). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('instances kept between invocations (1 worker)', () => {
  let workDir: string;
  let residue: CompiledCode;
  let logger: CompiledCode;
  let pool: WorkerPool;
  let coldPool: WorkerPool;

  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'wasmlet-instance-reuse-'));
    residue = await compiledFixture('memory-residue', workDir);
    logger = await compiledFixture('logger', workDir);
    pool = new WorkerPool({ size: 1 });
    coldPool = new WorkerPool({ size: 1, preInstantiate: false });
  });

  after(async () => {
    await Promise.all([pool.close(), coldPool.close()]);
    await rm(workDir, { recursive: true, force: true });
  });

  function fn(name: string, instanceReuse: number | undefined, code = residue): RunnableFunction {
    return { name, ...code, versionKey: name, ...grantedNothing, timeoutMs: 10_000, ...(instanceReuse === undefined ? {} : { instanceReuse }) };
  }

  async function invoke(target: RunnableFunction, query: string, on = pool): Promise<{ result: InvocationResult; text: string }> {
    const result = await on.invoke(target, { kind: 'http', request: { method: 'GET', path: route, query, headers: [], body: new Uint8Array(0) } });
    const text = result.outcome.kind === 'ok' ? new TextDecoder().decode(result.outcome.response.body) : result.outcome.kind;
    return { result, text };
  }

  const origin = (result: InvocationResult) => [result.timings?.instance, result.timings?.instanceUse];

  test('default (reuse 1): the next instance is pre-instantiated, instantiation is off its path, and nothing persists', async () => {
    const target = fn('fx-default', undefined);
    const first = await invoke(target, `mode=write&token=${newToken()}`);
    assert.deepEqual(origin(first.result), ['fresh', 1]);
    assert.ok(first.result.timings!.instantiateMicros > 0);
    for (let round = 0; round < 5; round++) {
      const token = newToken();
      await settle();
      const write = await invoke(target, `mode=write&token=${token}`);
      assert.deepEqual(origin(write.result), ['pre-instantiated', 1]);
      assert.equal(write.result.timings?.instantiateMicros, 0);
      assert.deepEqual([write.result.timings?.memoriesRecycled, write.result.timings?.memoriesCreated], [1, 0], 'the prepared instance got the zeroed memory');
      await settle();
      const scan = await invoke(target, `mode=scan&token=${token}`);
      assert.deepEqual(origin(scan.result), ['pre-instantiated', 1]);
      assert.equal(found(scan.text), 0, `round ${round}: the secret reached the next instance`);
    }
  });

  test('reuse 3: state persists for 3 invocations of the function, then a fresh instance starts clean', async () => {
    const target = fn('fx-reuse-3', 3);
    const token = newToken();
    const write = await invoke(target, `mode=write&token=${token}`);
    assert.equal(write.result.timings?.instanceUse, 1);
    const second = await invoke(target, `mode=scan&token=${token}`);
    assert.deepEqual(origin(second.result), ['reused', 2]);
    assert.equal(second.result.timings?.instantiateMicros, 0);
    assert.ok(found(second.text) > 1000, `the reused instance kept its memory: found ${found(second.text)}`);
    const third = await invoke(target, `mode=scan&token=${token}`);
    assert.deepEqual(origin(third.result), ['reused', 3]);
    assert.ok(found(third.text) > 1000);
    await settle();
    const fourth = await invoke(target, `mode=scan&token=${token}`);
    assert.equal(fourth.result.timings?.instanceUse, 1, 'after 3 uses the instance is dropped');
    assert.equal(found(fourth.text), 0);
  });

  test('an instance whose call trapped is never reused', async () => {
    const target = fn('fx-reuse-trap', 100);
    const token = newToken();
    assert.equal((await invoke(target, `mode=write&token=${token}`)).result.timings?.instanceUse, 1);
    const trapped = await invoke(target, `mode=write&trap=1&token=${token}`);
    assert.equal(trapped.result.outcome.kind, 'trap');
    assert.deepEqual(origin(trapped.result), ['reused', 2]);
    await settle();
    const scan = await invoke(target, `mode=scan&token=${token}`);
    assert.equal(scan.result.timings?.instanceUse, 1);
    assert.equal(found(scan.text), 0);
  });

  test('never across functions, even with the same code', async () => {
    const [writer, reader] = [fn('fx-reuse-writer', 100), fn('fx-reuse-reader', 100)];
    const token = newToken();
    await invoke(writer, `mode=write&token=${token}`);
    assert.equal(found((await invoke(reader, `mode=scan&token=${token}`)).text), 0);
    assert.ok(found((await invoke(writer, `mode=scan&token=${token}`)).text) > 1000, 'the writer still has its own instance');
  });

  test('nor across a change of grants (a redeploy with another env)', async () => {
    const token = newToken();
    await invoke(fn('fx-reuse-env', 100), `mode=write&token=${token}`);
    // A redeploy is a new version (another bundle digest) with its own grants.
    const first = fn('fx-reuse-env', 100);
    const redeployed = { ...first, versionKey: 'fx-reuse-env-v2', grants: { ...first.grants, env: { CHANGED: '1' } } };
    const scan = await invoke(redeployed, `mode=scan&token=${token}`);
    assert.equal(scan.result.timings?.instanceUse, 1);
    assert.equal(found(scan.text), 0);
  });

  test('logs are per invocation, on a reused and on a pre-instantiated instance alike', async () => {
    for (const instanceReuse of [1, 5]) {
      const target = fn(`fx-logger-${instanceReuse}`, instanceReuse, logger);
      for (let i = 0; i < 3; i++) {
        await settle();
        const { result } = await invoke(target, '');
        assert.equal(result.outcome.kind, 'ok');
        assert.equal(result.logs.length, 6, `reuse ${instanceReuse}, call ${i + 1} (${result.timings?.instance}): ${JSON.stringify(result.logs)}`);
      }
    }
  });

  test('with pre-instantiation off, every instance is instantiated on the call\'s path', async () => {
    const target = fn('fx-cold', undefined);
    for (let i = 0; i < 3; i++) {
      await settle();
      const { result } = await invoke(target, `mode=scan&token=${newToken()}`, coldPool);
      assert.deepEqual(origin(result), ['fresh', 1]);
      assert.ok(result.timings!.instantiateMicros > 0);
    }
  });
});

describe('[runtime] instance_reuse through the host', () => {
  let host: TestHost;

  before(async () => {
    host = await startTestHost({ workers: 1 });
    const manifest = manifestFor('fx-residue-reused', route, '\n[runtime]\ninstance_reuse = 2\n');
    const response = await host.deploy(bundleWith(manifest, fixtureComponent('memory-residue')));
    assert.equal(response.status, 201, await response.text());
  });

  after(() => host.close());

  async function call(query: string): Promise<string> {
    const response = await host.get(`${route}?${query}`);
    const text = await response.text();
    assert.equal(response.status, 200, text);
    return text;
  }

  test('the second invocation sees the first one\'s memory, the third does not', async () => {
    const token = newToken();
    await call(`mode=write&token=${token}`);
    assert.ok(found(await call(`mode=scan&token=${token}`)) > 1000);
    assert.equal(found(await call(`mode=scan&token=${token}`)), 0);
  });
});
