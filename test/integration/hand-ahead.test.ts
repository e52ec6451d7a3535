// Hand-ahead in the worker pool (runtime/worker-pool.ts): with every compute slot busy, the next
// short call is sent to a busy thread to start there next. Real guests on real worker threads, a
// real upstream on loopback; assertions are about answers and counts, never about time.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { routeHostRequests } from '../../src/capabilities/host-link.js';
import { noGrants } from '../../src/capabilities/instance-imports.js';
import { OutboundHttpHost } from '../../src/capabilities/outbound-http/outbound-host.js';
import { parseAllowedHosts } from '../../src/capabilities/outbound-http/allowed-hosts.js';
import { defaultOutboundLimits } from '../../src/capabilities/outbound-http/outbound-limits.js';
import { ArtifactStore } from '../../src/compile/artifact-store.js';
import { compileCode, type CompiledCode } from '../../src/compile/compile-code.js';
import { ensureTranspiled } from '../../src/compile/toolchain.js';
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
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('hand-ahead (1 compute slot)', () => {
  let workDir: string;
  let echo: CompiledCode;
  let outbound: CompiledCode;
  let slow: CompiledCode;
  let pool: WorkerPool;
  const replaced: string[] = [];
  let upstream: Server;
  let upstreamUrl: string;
  /** `/barrier?n=N` requests held until N are held at once, then all answered. */
  let held: ServerResponse[] = [];
  let mostHeld = 0;

  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'wasmlet-hand-ahead-'));
    [echo, outbound, slow] = await Promise.all([compiledFixture('echo', workDir), compiledFixture('outbound', workDir), compiledFixture('slow', workDir)]);
    upstream = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== '/barrier') return void res.end('hi');
      held.push(res);
      mostHeld = Math.max(mostHeld, held.length);
      if (held.length < Number(url.searchParams.get('n'))) return;
      for (const waiting of held.splice(0)) waiting.end('all here');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    // Any call counts as short here (the outbound fixture's calls take a few ms on a busy machine),
    // and any running call may have calls handed behind it (a loaded machine may pause this process
    // between two calls sent together).
    pool = new WorkerPool({ size: 1, handAheadMaxCallMs: 60_000, handAheadWithinMs: 60_000, onWorkerReplaced: (reason) => replaced.push(reason), hostRequests: routeHostRequests({ 'outbound-http': new OutboundHttpHost({ ownPorts: () => [] }) }) });
  });

  after(async () => {
    await pool.close();
    await new Promise((resolve) => upstream.close(resolve));
    await rm(workDir, { recursive: true, force: true });
  });

  test('short calls beyond the slots are handed ahead to the busy thread, and each caller gets its own answer', async () => {
    const fn: RunnableFunction = { name: 'echo', ...echo, versionKey: 'echo', ...grantedNothing, timeoutMs: 20_000 };
    // A first call ends, so the pool knows the function's calls are short.
    assert.equal((await pool.invoke(fn, get('/warm'))).outcome.kind, 'ok');
    const before = pool.handAhead;
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => pool.invoke(fn, get(`/call/${i}`))));
    results.forEach((result, i) => {
      assert.equal(result.outcome.kind, 'ok');
      if (result.outcome.kind === 'ok') assert.equal(JSON.parse(text(result.outcome.response.body)).path, `/call/${i}`);
    });
    assert.ok(pool.handAhead.handed > before.handed, `no call was handed ahead: ${JSON.stringify(pool.handAhead)}`);
  });

  test('a call handed ahead of one that then waits on the network is taken back and runs on another thread', async () => {
    const fn: RunnableFunction = {
      name: 'outbound',
      ...outbound,
      versionKey: 'outbound',
      grants: { ...noGrants, outboundHttp: true },
      outbound: { allowedHosts: parseAllowedHosts(['http://127.0.0.1:*']), limits: defaultOutboundLimits },
      timeoutMs: 20_000,
    };
    const call = (path: string) => pool.invoke(fn, get('/', `url=${encodeURIComponent(`${upstreamUrl}${path}`)}`));
    // Calls that end at once: the function's mean call (its first one loads its code) becomes short,
    // so the compute quota does not hold it to half the slots, and its calls get handed ahead.
    for (let i = 0; i < 20; i++) assert.equal((await call('/hello')).outcome.kind, 'ok');
    const before = pool.handAhead;
    // The upstream answers only once all 6 requests are held at once: a call stuck on a thread
    // behind a waiting one would never reach it, and every call would end at its deadline instead.
    held = [];
    mostHeld = 0;
    const results = await Promise.all(Array.from({ length: 6 }, () => call('/barrier?n=6')));
    for (const result of results) {
      assert.equal(result.outcome.kind, 'ok', JSON.stringify(result.outcome));
      if (result.outcome.kind === 'ok') assert.equal(text(result.outcome.response.body), 'status=200 bytes=8 body=all here');
    }
    assert.equal(mostHeld, 6);
    const now = pool.handAhead;
    assert.ok(now.handed > before.handed && now.takenBack > before.takenBack, `the path under test did not run: ${JSON.stringify({ before, now })}`);
  });

  test('a call handed ahead whose deadline passes before its turn gets its timeout, and nothing is stopped', async () => {
    // Two versions of one function (the pool keys calls by name): a long call, and one with a short deadline.
    const long: RunnableFunction = { name: 'slow', ...slow, versionKey: 'slow', ...grantedNothing, timeoutMs: 20_000 };
    const hasty: RunnableFunction = { ...long, timeoutMs: 200 };
    // Short calls first: a first call on a loaded machine can take over 10 ms, and the compute quota
    // would then hold a "long" function to half the slots while other functions' calls are recent.
    for (let i = 0; i < 15; i++) assert.equal((await pool.invoke(long, get('/', 'ms=1'))).outcome.kind, 'ok');
    const before = pool.handAhead;
    const replacedBefore = replaced.length;
    // Sent together: the second is handed ahead to the thread busy with the first (1,500 ms of guest compute).
    const [first, second] = await Promise.all([pool.invoke(long, get('/', 'ms=1500')), pool.invoke(hasty, get('/', 'ms=1'))]);
    assert.equal(first.outcome.kind, 'ok');
    assert.equal(second.outcome.kind, 'timeout');
    assert.equal(replaced.length, replacedBefore, `a worker was replaced: ${replaced.slice(replacedBefore).join('; ')}`);
    const now = pool.handAhead;
    assert.ok(now.handed > before.handed && now.takenBack > before.takenBack, `the path under test did not run: ${JSON.stringify({ before, now })}`);
    assert.equal((await pool.invoke(long, get('/', 'ms=1'))).outcome.kind, 'ok');
  });
});
