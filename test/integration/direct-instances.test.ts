// The direct path (runtime/direct-instance.ts): a folded component whose imports the host lowers
// itself runs without jco's glue, and every call answers exactly as on the folded glue path
// (runtime/folded-instantiation.ts): the same outcome, log lines, outbox and memory recycling, traps
// and exits classified alike; a component that imports anything outside the table keeps the glue
// and says why; nothing of one call is left for the next; and a host serves from it by default.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { transpiledExample } from '../../bench/transpiled.js';
import { noGrants, type InstanceGrants } from '../../src/capabilities/instance-imports.js';
import { ArtifactStore } from '../../src/compile/artifact-store.js';
import { compileCode } from '../../src/compile/compile-code.js';
import type { GuestCall, GuestMessage } from '../../src/runtime/guest-call.js';
import { IdleMemoryBudget, MemoryPool } from '../../src/runtime/memory-pool.js';
import { grantedNothing } from '../../src/runtime/runnable-function.js';
import { installPromisingPolyfill } from '../../src/runtime/promising-polyfill.js';
import { instantiationPathOf, type InstantiateGlue, type LoadedCode } from '../../src/runtime/run-invocation.js';
import { sleepOnlyLink, type HostLink } from '../../src/capabilities/host-link.js';
import { examplesDir, fixtureComponent } from '../support/paths.js';
import { bundleWith, manifestFor } from '../support/bundles.js';
import { httpCall, loadedCode, observed } from '../support/direct-paths.js';
import { scanForResidue } from '../support/residue-scan.js';
import { startTestHost } from '../support/test-host.js';

/** memory-residue's token: 16 characters. */
const residueToken = 'direct-path-0123';
const http = httpCall;

const probeMessages: GuestMessage[] = [
  { id: 'm-1', body: new TextEncoder().encode('hello'), attempt: 1, enqueuedAt: 1_700_000_000_000, attributes: [['a', 'b']] },
  { id: 'm-2', body: new TextEncoder().encode('fail:bad input'), attempt: 2, enqueuedAt: 1_700_000_000_001, attributes: [] },
  { id: 'm-3', body: new TextEncoder().encode('retry'), attempt: 1, enqueuedAt: 1_700_000_000_002, attributes: [] },
  { id: 'm-4', body: new TextEncoder().encode('retry:250'), attempt: 1, enqueuedAt: 1_700_000_000_003, attributes: [['x', ''], ['y', 'z']] },
];
const probeBody = (text: string) => ({ ...probeMessages[0]!, body: new TextEncoder().encode(text) });

interface Case {
  readonly name: string;
  readonly component: string;
  readonly calls: readonly GuestCall[];
  readonly grants?: InstanceGrants;
  /** The outcome kind of the first call, so that equal outcomes are not two equal surprises. */
  readonly first: string;
  /** The outcome kind of every call, where they differ. */
  readonly kinds?: readonly string[];
  /** Calls that write the time or a random id (a sent message's) into the guest's memory: their memories may differ. */
  readonly memoryVaries?: (call: GuestCall) => boolean;
}

const cases: readonly Case[] = [
  { name: 'hello-c', first: 'ok', component: join(examplesDir, 'hello-c', 'hello-c.wasm'), calls: [http('/hello/c', 'name=ada'), http('/hello/c', '', '{"name":"bob"}')] },
  { name: 'hello-rust', first: 'ok', component: join(examplesDir, 'hello-rust', 'hello-rust.wasm'), calls: [http('/hello/rust', 'name=ada'), http('/hello/rust')] },
  {
    name: 'hello-c-http (wasi:http)',
    first: 'ok',
    component: join(examplesDir, 'hello-c-http', 'hello-c-http.wasm'),
    calls: [http('/hello/c-http', 'name=ada'), http('/hello/c-http', '', '{"name":"bob"}'), http('/hello/c-http')],
  },
  {
    // Every function of wasi:http/types' incoming side the direct path lowers, route by route.
    name: 'http-probe (wasi:http/types)',
    first: 'ok',
    memoryVaries: (call) => call.kind === 'http' && call.request.query.startsWith('op=sleep'),
    component: fixtureComponent('http-probe'),
    kinds: ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'guest_error', 'guest_error', 'guest_error', 'guest_error', 'response_invalid', 'response_invalid', 'ok', 'response_too_large', 'ok', 'ok', 'ok', 'ok'],
    calls: [
      http('/fx/http-probe', 'op=echo&x=1', 'a body of more than seven bytes', [['host', 'probe.test'], ['x-one', '1'], ['x-empty', '']]),
      http('/fx/http-probe', 'op=echo', '', []),
      { kind: 'http', request: { method: 'PURGE', path: '/fx/http-probe', query: 'op=echo', headers: [], body: new Uint8Array(0) } },
      http('/fx/http-probe', 'op=fields'),
      http('/fx/http-probe', 'op=status&code=418'),
      http('/fx/http-probe', 'op=status&code=99'),
      http('/fx/http-probe', 'op=error&code=timeout'),
      http('/fx/http-probe', 'op=error&code=internal'),
      http('/fx/http-probe', 'op=error&code=dns'),
      http('/fx/http-probe', 'op=error&code=denied'),
      http('/fx/http-probe', 'op=unfinished'),
      http('/fx/http-probe', 'op=none'),
      http('/fx/http-probe', 'op=big&kb=100'),
      http('/fx/http-probe', 'op=big&kb=2048'),
      http('/fx/http-probe', 'op=body-twice', 'forty bytes of body, give or take a few'),
      http('/fx/http-probe', 'op=log'),
      http('/fx/http-probe', 'op=nonsense'),
      http('/fx/http-probe', 'op=sleep&ms=15'),
    ],
  },
  // wasi:clocks' monotonic and wall clocks (a busy wait on the monotonic clock).
  { name: 'slow (wasi:clocks)', first: 'ok', memoryVaries: () => true, component: fixtureComponent('slow'), calls: [http('/fx/slow', 'ms=3'), http('/fx/slow', 'ms=0')] },
  { name: 'echo', first: 'ok', component: fixtureComponent('echo'), calls: [http('/fx/echo', 'a=1', 'some body', [['x-one', '1'], ['x-two', '2']]), http('/fx/echo', '', '', [])] },
  {
    name: 'read-env',
    first: 'ok',
    component: fixtureComponent('read-env'),
    calls: [http('/fx/read-env')],
    grants: { ...noGrants, env: { GREETING: 'hi', EMPTY: '' }, config: { colour: 'blue' } },
  },
  { name: 'logger', first: 'ok', component: fixtureComponent('logger'), calls: [http('/fx/logger')] },
  { name: 'exit', first: 'trap', component: fixtureComponent('exit'), calls: [http('/fx/exit')] },
  { name: 'trap', first: 'trap', component: fixtureComponent('trap'), calls: [http('/fx/trap')] },
  { name: 'stack-overflow', first: 'trap', component: fixtureComponent('stack-overflow'), calls: [http('/fx/stack-overflow'), http('/fx/stack-overflow', 'mode=native')] },
  { name: 'memory-bomb', first: 'trap', component: fixtureComponent('memory-bomb'), calls: [http('/fx/memory-bomb'), http('/fx/memory-bomb', 'mode=report')] },
  { name: 'huge-response', first: 'response_too_large', component: fixtureComponent('huge-response'), calls: [http('/fx/huge-response', 'mb=2')] },
  {
    name: 'secret-logger',
    first: 'ok',
    component: fixtureComponent('secret-logger'),
    calls: [http('/fx/secret-logger'), http('/fx/secret-logger', 'mode=fail'), http('/fx/secret-logger', 'mode=split&fill=100')],
    grants: { ...noGrants, config: { api_key: 'sekrit-value-1234' }, redact: ['sekrit-value-1234'] },
  },
  {
    name: 'free-args',
    first: 'ok',
    component: fixtureComponent('free-args'),
    calls: [http('/fx/free-args'), http('/fx/free-args', 'x=1', 'a body')],
    grants: { ...noGrants, config: { full: 'blue', empty: '' } },
  },
  {
    name: 'queue-probe (every handler, the publisher)',
    first: 'ok',
    // Every handler but a plain GET reports to probe-out, and a sent message's id is random.
    memoryVaries: (call) => call.kind !== 'http' || call.request.query.startsWith('send='),
    component: fixtureComponent('queue-probe'),
    grants: { ...noGrants, publish: ['probe-out', 'elsewhere'] },
    kinds: ['ok', 'ok', 'ok', 'batch_ok', 'batch_ok', 'guest_error', 'trap', 'event_ok', 'guest_error'],
    calls: [
      http('/fx/queue-probe'),
      http('/fx/queue-probe', 'send=elsewhere', 'a message'),
      http('/fx/queue-probe', 'send=not-granted', 'refused'),
      { kind: 'queue', queue: 'jobs', messages: probeMessages },
      { kind: 'queue', queue: 'jobs', messages: [] },
      { kind: 'queue', queue: 'jobs', messages: [probeMessages[0]!, probeBody('batch-error')] },
      { kind: 'queue', queue: 'jobs', messages: [probeBody('trap')] },
      { kind: 'schedule', event: { name: 'nightly', scheduledAt: 1_700_000_000_000 } },
      { kind: 'schedule', event: { name: 'failing', scheduledAt: 1_700_000_000_000 } },
    ],
  },
  {
    name: 'memory-residue',
    first: 'ok',
    component: fixtureComponent('memory-residue'),
    calls: [http('/fx/memory-residue', `mode=write&token=${residueToken}`), http('/fx/memory-residue', `mode=scan&token=${residueToken}`)],
  },
];

describe('the direct path against the folded glue path', () => {
  let work: string;
  let artifacts: ArtifactStore;

  before(async () => {
    installPromisingPolyfill();
    work = await mkdtemp(join(tmpdir(), 'wasmlet-direct-'));
    artifacts = new ArtifactStore(join(work, 'artifacts'));
  });

  after(() => rm(work, { recursive: true, force: true }));

  const loaded = loadedCode;

  for (const c of cases) {
    test(`${c.name}: the direct path answers every call as the glue does`, async () => {
      const { componentHex, files } = await transpiledExample({ componentPath: c.component }, artifacts);
      const direct = await loaded(files, componentHex, false);
      const glue = await loaded(files, componentHex, true);
      assert.equal(instantiationPathOf(direct), 'direct', JSON.stringify(direct.direct && direct.direct.path === 'glue' ? direct.direct.reason : direct.direct));
      assert.equal(instantiationPathOf(glue), 'folded');
      const grants = c.grants ?? noGrants;
      const first = observed(direct, grants, c.calls[0]!).seen as { outcome: { kind: string } };
      observed(glue, grants, c.calls[0]!); // both pools then hold one memory each (unless it grew)
      assert.equal(first.outcome.kind, c.first, JSON.stringify(first.outcome));
      for (const [index, call] of c.calls.entries()) {
        // Twice each: the second instance may run on the memory the first one used.
        for (let round = 0; round < 2; round++) {
          const viaDirect = observed(direct, grants, call);
          const viaGlue = observed(glue, grants, call);
          assert.deepEqual(viaDirect.seen, viaGlue.seen, `${c.name} ${JSON.stringify(call)}`);
          if (c.kinds) assert.equal((viaDirect.seen as { outcome: { kind: string } }).outcome.kind, c.kinds[index], JSON.stringify(viaDirect.seen));
          assert.equal(viaDirect.path, 'direct');
          assert.equal(viaGlue.path, 'folded');
          assert.equal(viaDirect.recycled, viaGlue.recycled);
          if (!c.memoryVaries?.(call)) assert.equal(viaDirect.memory, viaGlue.memory, `${c.name} ${JSON.stringify(call)}: the guest's memory after the call differs`);
        }
      }
    });
  }

  test('outbound-http send: responses and refusals reach the guest alike on both paths', async () => {
    const { componentHex, files } = await transpiledExample({ componentPath: fixtureComponent('outbound') }, artifacts);
    const direct = await loaded(files, componentHex, false);
    const glue = await loaded(files, componentHex, true);
    assert.equal(instantiationPathOf(direct), 'direct');
    // The main thread's side, answered at once: a response by the URL's path, or a refusal.
    const link: HostLink = {
      ...sleepOnlyLink,
      start(request, onEvent) {
        const url = request.kind === 'outbound-http' ? request.request.url : '';
        if (url.endsWith('/refuse')) onEvent({ kind: 'fail', code: 'too-many-requests', message: `no more for ${url}` });
        else {
          onEvent({ kind: 'head', status: 207, headers: [['x-upstream', 'yes'], ['x-empty', '']] });
          onEvent({ kind: 'chunk', bytes: new TextEncoder().encode(`answer from ${url}`) });
          onEvent({ kind: 'end' });
        }
        return 1;
      },
    };
    const calls = [
      http('/fx/outbound', 'url=http://upstream.test/a'),
      http('/fx/outbound', 'url=http://upstream.test/refuse'),
      http('/fx/outbound', 'url=http://upstream.test/b&n=3'),
      http('/fx/outbound', 'url=http://upstream.test/refuse&n=2'),
    ];
    const grants = { ...noGrants, outboundHttp: true };
    const bodies = [/^status=207 bytes=\d+ body=answer from http:\/\/upstream.test\/a/, /^error=too-many-requests no more for/, /^ok=3 error=none$/, /^ok=0 error=too-many-requests@0$/];
    for (const [index, call] of calls.entries()) {
      const viaDirect = observed(direct, grants, call, link);
      const viaGlue = observed(glue, grants, call, link);
      assert.deepEqual(viaDirect.seen, viaGlue.seen, JSON.stringify(call));
      assert.match((viaDirect.seen as { outcome: { response: { body: string } } }).outcome.response.body, bodies[index]!);
      assert.equal(viaDirect.path, 'direct');
    }
  });

  test('wasi:clocks and wasi:random on the direct path: real time, fresh random bytes per call', async () => {
    const { componentHex, files } = await transpiledExample({ componentPath: fixtureComponent('http-probe') }, artifacts);
    const direct = await loaded(files, componentHex, false);
    assert.equal(instantiationPathOf(direct), 'direct');
    const bodyOf = (call: GuestCall) => {
      const { seen, path } = observed(direct, noGrants, call);
      assert.equal(path, 'direct');
      return (seen as { outcome: { response: { body: string } } }).outcome.response.body;
    };
    // The guest read the wall clock between these two reads of the host's (whole seconds).
    const before = Math.floor(Date.now() / 1000);
    const time = bodyOf(http('/fx/http-probe', 'op=time'));
    const after = Math.floor(Date.now() / 1000);
    const wall = Number(/^wall=(\d+) wall_ns_ok=1 mono_increasing=1 res_ok=1 wall_res_ok=1$/.exec(time.trim())?.[1]);
    assert.ok(wall >= before && wall <= after, time);
    const [first, second] = [bodyOf(http('/fx/http-probe', 'op=random&n=64')), bodyOf(http('/fx/http-probe', 'op=random&n=64'))];
    const pattern = /^random n=64 hex=([0-9a-f]{32}) distinct=(\d+)$/;
    assert.match(first!.trim(), pattern);
    assert.notEqual(pattern.exec(first!.trim())![1], pattern.exec(second!.trim())?.[1], 'two calls drew the same bytes');
  });

  test('a component importing what the table lacks keeps the glue, and says why', async () => {
    // needs-keyvalue imports a wasi:keyvalue draft that no table covers (deploy refuses it; the runtime's decision is what counts here).
    const { componentHex, files } = await transpiledExample({ componentPath: fixtureComponent('needs-keyvalue') }, artifacts);
    const code = await loaded(files, componentHex, false);
    assert.equal(instantiationPathOf(code), 'folded');
    assert.ok(code.direct && code.direct.path === 'glue');
    assert.match(code.direct.reason, /imports wasi:keyvalue\/atomics@0\.2\.0-draft#increment, which the direct path does not implement/);
    // The glue runs it (and it traps on the import the host lacks).
    const { path } = observed(code, noGrants, http('/fx/needs-keyvalue'));
    assert.equal(path, 'folded');
  });

  for (const [name, route] of [
    ['hello-c', '/hello/c'],
    ['hello-rust', '/hello/rust'],
  ] as const) {
    test(`${name}: nothing of one call is in the next direct instance's memory`, async () => {
      // scanForResidue loads the code as a worker does, so it runs on the host's default: the direct path.
      const report = await scanForResidue(join(examplesDir, name, `${name}.wasm`), route, 5);
      assert.equal(report.seenInOwnInstance, 5, 'the secret never reached the memory: the check would prove nothing');
      assert.equal(report.foundInNextInstance, 0, JSON.stringify(report));
      assert.ok(report.recycledMemories > 0, 'the next instances got recycled memories');
    });
  }
});

describe('the direct path in a host (1 worker)', () => {
  test("a deployed hello runs on the direct path in the host's worker; a spinning guest still gets its deadline", async () => {
    // The fold runs after the deploy (compile/fold-queue.ts): each deploy here waits for its fold.
    const folds: ((outcome: string) => void)[] = [];
    const nextFold = () => new Promise<string>((resolve) => folds.push(resolve));
    const host = await startTestHost({ workers: 1, foldHooks: { afterFold: (_hex, outcome) => folds.shift()?.(outcome) } });
    try {
      const component = join(examplesDir, 'hello-c', 'hello-c.wasm');
      let folded = nextFold();
      const deployed = await host.deploy(bundleWith(manifestFor('hello-c', '/hello/c'), component));
      assert.equal(deployed.status, 201, await deployed.text());
      assert.equal(await folded, 'folded');
      const answer = await host.get('/hello/c?name=ada');
      assert.equal(answer.status, 200);
      assert.match(await answer.text(), /ada/);
      // The same code the deploy stored, run by the host's own pool and worker: the result says which path made the instance.
      const { componentHex, files } = await transpiledExample({ componentPath: component }, new ArtifactStore(join(host.dataDir, 'artifacts')));
      const compiled = await compileCode(componentHex, files, 128);
      const fn = { name: 'hello-c', codeKey: `${compiled.codeKey}:direct-test`, gluePath: compiled.gluePath, modules: compiled.modules, memories: compiled.memories, versionKey: 'direct-test', ...grantedNothing, timeoutMs: 5_000 };
      for (let round = 0; round < 3; round++) {
        const result = await host.host.pool.invoke(fn, http('/hello/c', 'name=ada'));
        assert.equal(result.outcome.kind, 'ok', JSON.stringify(result.outcome));
        assert.equal(result.timings?.path, 'direct');
      }

      folded = nextFold();
      const loop = await host.deploy(bundleWith(manifestFor('fx-infinite-loop', '/fx/infinite-loop', '[limits]\ntimeout_ms = 300\n'), fixtureComponent('infinite-loop')));
      assert.equal(loop.status, 201, await loop.text());
      assert.equal(await folded, 'folded');
      const loopFiles = await transpiledExample({ componentPath: fixtureComponent('infinite-loop') }, new ArtifactStore(join(host.dataDir, 'artifacts')));
      const loopCode = await compileCode(loopFiles.componentHex, loopFiles.files, 128);
      const glue = (await import(pathToFileURL(loopCode.gluePath).href)) as { instantiate: InstantiateGlue };
      const loaded: LoadedCode = { instantiate: glue.instantiate, modules: loopCode.modules, memories: MemoryPool.forModules(loopCode.modules, loopCode.memories, new IdleMemoryBudget()) };
      assert.equal(instantiationPathOf(loaded), 'direct', 'the spinning guest runs on the direct path too');
      const spun = await host.get('/fx/infinite-loop');
      assert.equal(spun.status, 504, await spun.text());
      const after = await host.get('/hello/c?name=bob');
      assert.equal(after.status, 200, 'the replaced worker serves again');
    } finally {
      await host.close();
    }
  });
});
