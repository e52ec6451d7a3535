// Nothing an invocation writes into linear memory is visible to the next one, although workers
// recycle memories (runtime/memory-pool.ts). The fixture (test/fixtures/memory-residue) writes a
// secret all over its heap, stack and static data; the next instance scans every byte of its memory.
// With one worker, every instance of the function gets the memory the previous one used.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ArtifactStore } from '../../src/compile/artifact-store.js';
import { compileCode } from '../../src/compile/compile-code.js';
import { ensureTranspiled } from '../../src/compile/toolchain.js';
import type { InvocationResult } from '../../src/runtime/outcome.js';
import { grantedNothing, type RunnableFunction } from '../../src/runtime/runnable-function.js';
import { WorkerPool } from '../../src/runtime/worker-pool.js';
import { sha256Hex } from '../../src/store/digest.js';
import { bundleWith, manifestFor } from '../support/bundles.js';
import { fixtureComponent } from '../support/paths.js';
import { startTestHost, type TestHost } from '../support/test-host.js';

/** Write-then-scan rounds; each uses a new secret. */
const rounds = 40;
const route = '/fx/memory-residue';

/** 16 characters; the secret is derived from it in the guest and never sent. */
function newToken(): string {
  return randomBytes(12).toString('base64url');
}

interface ScanReport {
  found: number;
  scanned: number;
  pages: number;
}

function parseScan(text: string): ScanReport {
  const match = /^found=(\d+) scanned=(\d+) pages=(\d+)$/.exec(text.trim());
  assert.ok(match, `unexpected scan answer: ${text}`);
  return { found: Number(match[1]), scanned: Number(match[2]), pages: Number(match[3]) };
}

function parseWrite(text: string): { wrote: number; pagesBefore: number; pagesAfter: number } {
  const match = /^wrote=(\d+) pages=(\d+)->(\d+)$/.exec(text.trim());
  assert.ok(match, `unexpected write answer: ${text}`);
  return { wrote: Number(match[1]), pagesBefore: Number(match[2]), pagesAfter: Number(match[3]) };
}

describe('memory isolation through the host (1 worker)', () => {
  let host: TestHost;

  before(async () => {
    host = await startTestHost({ workers: 1 });
    const response = await host.deploy(bundleWith(manifestFor('fx-memory-residue', route), fixtureComponent('memory-residue')));
    assert.equal(response.status, 201, await response.text());
  });

  after(() => host.close());

  async function call(query: string): Promise<Response> {
    return host.get(`${route}?${query}`);
  }

  async function scan(token: string): Promise<ScanReport> {
    const response = await call(`mode=scan&token=${token}`);
    const text = await response.text();
    assert.equal(response.status, 200, text);
    const report = parseScan(text);
    assert.equal(report.scanned, report.pages * 65536, 'the scan covers all of memory');
    return report;
  }

  test('the scan finds the secret where it is (positive control: write and scan in one instance)', async () => {
    const response = await call(`mode=write-scan&token=${newToken()}`);
    const report = parseScan(await response.text());
    // heap blocks + the stack frame + the static array: thousands of copies
    assert.ok(report.found > 1000, `found only ${report.found} copies`);
  });

  test(`a secret written all over memory is never seen by the next instance (${rounds} rounds)`, async () => {
    for (let round = 0; round < rounds; round++) {
      const token = newToken();
      const written = await call(`mode=write&token=${token}`);
      const write = parseWrite(await written.text());
      assert.equal(write.pagesAfter, write.pagesBefore, 'the writer must not grow memory, or its memory would not be recycled');
      assert.ok(write.wrote > 16 * 1024, `wrote only ${write.wrote} bytes`);
      assert.equal((await scan(token)).found, 0, `round ${round}: the secret survived into the next instance`);
    }
  });

  test('nor after the writer trapped', async () => {
    const token = newToken();
    const response = await call(`mode=write&trap=1&token=${token}`);
    assert.equal(response.status, 502);
    assert.equal((await scan(token)).found, 0);
  });

  test('nor after the writer grew its memory', async () => {
    const token = newToken();
    const write = parseWrite(await (await call(`mode=write&grow=1&token=${token}`)).text());
    assert.equal(write.pagesAfter, write.pagesBefore + 1);
    const report = await scan(token);
    assert.equal(report.found, 0);
    assert.equal(report.pages, write.pagesBefore, 'the next instance starts at the declared size');
  });
});

describe('memory recycling in a worker', () => {
  let pool: WorkerPool;
  let fn: RunnableFunction;
  let workDir: string;

  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'wasmlet-memory-isolation-'));
    const component = new Uint8Array(await readFile(fixtureComponent('memory-residue')));
    const componentHex = sha256Hex(component);
    const artifacts = await ensureTranspiled(new ArtifactStore(workDir), componentHex, () => component);
    const code = await compileCode(componentHex, artifacts, 128);
    assert.equal(Object.keys(code.memories).length, 1, 'the guest module imports its memory from the host');
    fn = { name: 'fx-memory-residue', ...code, versionKey: 'fx-memory-residue', ...grantedNothing, timeoutMs: 10_000 };
    pool = new WorkerPool({ size: 1 });
  });

  after(async () => {
    await pool.close();
    await rm(workDir, { recursive: true, force: true });
  });

  async function invoke(query: string): Promise<{ result: InvocationResult; text: string }> {
    const result = await pool.invoke(fn, {
      kind: 'http',
      request: { method: 'GET', path: route, query, headers: [], body: new Uint8Array(0) },
    });
    const text = result.outcome.kind === 'ok' ? new TextDecoder().decode(result.outcome.response.body) : result.outcome.kind;
    return { result, text };
  }

  test('every instance after the first gets the memory back, and it is clean', async () => {
    const first = await invoke(`mode=write&token=${newToken()}`);
    assert.equal(first.result.timings?.memoriesCreated, 1);
    for (let round = 0; round < 10; round++) {
      const token = newToken();
      const write = await invoke(`mode=write&token=${token}`);
      assert.deepEqual([write.result.timings?.memoriesRecycled, write.result.timings?.memoriesCreated], [1, 0], write.text);
      const scan = await invoke(`mode=scan&token=${token}`);
      assert.deepEqual([scan.result.timings?.memoriesRecycled, scan.result.timings?.memoriesCreated], [1, 0]);
      assert.equal(parseScan(scan.text).found, 0);
    }
  });

  test('a trap does not cost the memory; growth does', async () => {
    const token = newToken();
    assert.equal((await invoke(`mode=write&trap=1&token=${token}`)).result.outcome.kind, 'trap');
    const afterTrap = await invoke(`mode=scan&token=${token}`);
    assert.equal(afterTrap.result.timings?.memoriesRecycled, 1);
    assert.equal(parseScan(afterTrap.text).found, 0);
    await invoke(`mode=write&grow=1&token=${token}`);
    const afterGrowth = await invoke(`mode=scan&token=${token}`);
    assert.equal(afterGrowth.result.timings?.memoriesCreated, 1);
    assert.equal(parseScan(afterGrowth.text).found, 0);
  });
});
