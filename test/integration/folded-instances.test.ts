// Components folded into one core module after deploy (compile/fold-core-modules.ts) answer every call
// exactly as the glue's four core instances do, from one core instance over a recycled memory; a
// component the fold refuses keeps the glue's path and says why beside its artifacts; and the
// isolation check (support/residue-scan.ts) passes on the folded path.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { transpiledExample } from '../../bench/transpiled.js';
import { noGrants, type InstanceGrants } from '../../src/capabilities/instance-imports.js';
import { ArtifactStore, type Artifacts } from '../../src/compile/artifact-store.js';
import { compileCode } from '../../src/compile/compile-code.js';
import { foldedModuleName, foldRefusedFile } from '../../src/compile/fold-core-modules.js';
import type { GuestCall } from '../../src/runtime/guest-call.js';
import { IdleMemoryBudget, MemoryPool } from '../../src/runtime/memory-pool.js';
import { countingLease } from '../support/counting-lease.js';
import { installPromisingPolyfill } from '../../src/runtime/promising-polyfill.js';
import { runInvocation, type InstantiateGlue, type LoadedCode } from '../../src/runtime/run-invocation.js';
import { examplesDir, fixtureComponent } from '../support/paths.js';
import { bundleWith, manifestFor } from '../support/bundles.js';
import { scanForResidue } from '../support/residue-scan.js';
import { startTestHost } from '../support/test-host.js';

const memoryMb = 16;
const maxResponseBytes = 1 << 20;

function http(path: string, query = '', body = '', headers: [string, string][] = [['host', 'fold.test']]): GuestCall {
  return { kind: 'http', request: { method: body ? 'POST' : 'GET', path, query, headers, body: new TextEncoder().encode(body) } };
}

interface Case {
  readonly name: string;
  readonly component: string;
  readonly calls: readonly GuestCall[];
  readonly grants?: InstanceGrants;
  /** The first call answers 200 (so that equal outcomes are not two equal failures). */
  readonly answers?: true;
}

const cases: readonly Case[] = [
  { name: 'hello-c', answers: true, component: join(examplesDir, 'hello-c', 'hello-c.wasm'), calls: [http('/hello/c', 'name=ada'), http('/hello/c', '', '{"name":"bob"}')] },
  { name: 'hello-rust', answers: true, component: join(examplesDir, 'hello-rust', 'hello-rust.wasm'), calls: [http('/hello/rust', 'name=ada'), http('/hello/rust')] },
  {
    name: 'hello-c-http (wasi:http)',
    answers: true,
    component: join(examplesDir, 'hello-c-http', 'hello-c-http.wasm'),
    calls: [http('/hello/c-http', 'name=ada'), http('/hello/c-http', '', 'a body')],
  },
  { name: 'echo', answers: true, component: fixtureComponent('echo'), calls: [http('/fx/echo', 'a=1', 'some body', [['x-one', '1'], ['x-two', '2']])] },
  {
    name: 'read-env',
    answers: true,
    component: fixtureComponent('read-env'),
    calls: [http('/fx/read-env')],
    grants: { ...noGrants, env: { GREETING: 'hi' }, config: { colour: 'blue' } },
  },
  { name: 'logger', answers: true, component: fixtureComponent('logger'), calls: [http('/fx/logger')] },
  { name: 'exit', component: fixtureComponent('exit'), calls: [http('/fx/exit')] },
  { name: 'trap', component: fixtureComponent('trap'), calls: [http('/fx/trap')] },
  { name: 'stack-overflow', component: fixtureComponent('stack-overflow'), calls: [http('/fx/stack-overflow'), http('/fx/stack-overflow', 'mode=native')] },
  { name: 'memory-bomb', component: fixtureComponent('memory-bomb'), calls: [http('/fx/memory-bomb'), http('/fx/memory-bomb', 'mode=report')] },
];

/** What a caller can observe of an invocation: the outcome without timings, and the log lines without their times. */
function observed(code: LoadedCode, grants: InstanceGrants, call: GuestCall): { seen: unknown; coreInstances: number; recycled: number } {
  const lease = countingLease(code.memories.lease());
  const result = runInvocation(code, lease.lease, grants, call, maxResponseBytes);
  const recycled = lease.lease.recycled;
  lease.lease.release();
  const logs = result.logs.map(({ level, stream, message }) => ({ level, stream, message }));
  return { seen: { outcome: result.outcome, published: result.published, logs }, coreInstances: lease.instances(), recycled };
}

describe('core modules folded into one at deploy', () => {
  let work: string;
  let artifacts: ArtifactStore;

  before(async () => {
    installPromisingPolyfill();
    work = await mkdtemp(join(tmpdir(), 'wasmlet-folded-'));
    artifacts = new ArtifactStore(join(work, 'artifacts'));
  });

  after(() => rm(work, { recursive: true, force: true }));

  async function loaded(files: Artifacts, componentHex: string, fold: boolean): Promise<LoadedCode> {
    const compiled = await compileCode(componentHex, files, memoryMb, { fold });
    const glue = (await import(pathToFileURL(files.gluePath).href)) as { instantiate: InstantiateGlue };
    // The glue's path over the folded module (the direct path is test/integration/direct-instances.test.ts's).
    return { instantiate: glue.instantiate, modules: compiled.modules, memories: MemoryPool.forModules(compiled.modules, compiled.memories, new IdleMemoryBudget()), direct: false };
  }

  for (const c of cases) {
    test(`${c.name}: one core instance answers every call as the glue's instances do`, async () => {
      const { componentHex, files } = await transpiledExample({ componentPath: c.component }, artifacts);
      assert.equal(files.folded, foldedModuleName, `${c.name} was not folded: ${await readFile(join(files.dir, foldRefusedFile), 'utf8').catch(() => '?')}`);
      const folded = await loaded(files, componentHex, true);
      const glue = await loaded(files, componentHex, false);
      assert.deepEqual(Object.keys(folded.modules), [foldedModuleName]);
      if (c.answers) {
        observed(glue, c.grants ?? noGrants, c.calls[0]!); // both pools then hold one memory each
        const first = observed(folded, c.grants ?? noGrants, c.calls[0]!).seen as { outcome: { kind: string; response?: { status: number } } };
        assert.equal(first.outcome.kind, 'ok', JSON.stringify(first.outcome));
        assert.equal(first.outcome.response?.status, 200);
      }
      for (const call of c.calls) {
        // Twice each: the second instance may run on the memory the first one used.
        for (let round = 0; round < 2; round++) {
          const viaFold = observed(folded, c.grants ?? noGrants, call);
          const viaGlue = observed(glue, c.grants ?? noGrants, call);
          assert.deepEqual(viaFold.seen, viaGlue.seen, `${c.name} ${JSON.stringify(call)}`);
          assert.equal(viaFold.coreInstances, 1);
          assert.ok(viaGlue.coreInstances > 1);
          // The pool recycles the folded module's memory as it did the main module's (a grown one is dropped).
          assert.equal(viaFold.recycled, viaGlue.recycled);
        }
      }
    });
  }

  test('a component above the size bound keeps the glue and says why', async () => {
    const { componentHex, files } = await transpiledExample({ componentPath: join(examplesDir, 'hello-go', 'hello-go.wasm') }, artifacts);
    assert.equal(files.folded, undefined);
    assert.match(await readFile(join(files.dir, foldRefusedFile), 'utf8'), /bytes of core modules/);
    const code = await loaded(files, componentHex, true);
    const { seen, coreInstances } = observed(code, noGrants, http('/hello/go', 'name=ada'));
    assert.equal(coreInstances, 4);
    assert.equal(new TextDecoder().decode((seen as { outcome: { response: { body: Uint8Array } } }).outcome.response.body), 'Hello, ada, from Go!\n');
  });

  for (const [name, route] of [
    ['hello-c', '/hello/c'],
    ['hello-rust', '/hello/rust'],
  ] as const) {
    test(`${name}: nothing of one call is in the next folded instance's memory`, async () => {
      const report = await scanForResidue(join(examplesDir, name, `${name}.wasm`), route, 5, { glue: true });
      assert.equal(report.seenInOwnInstance, 5, 'the secret never reached the memory: the check would prove nothing');
      assert.equal(report.foundInNextInstance, 0, JSON.stringify(report));
      assert.ok(report.recycledMemories > 0, 'the next instances got recycled memories');
    });
  }
});

describe('a folded component deployed through the host (1 worker)', () => {
  test('the background fold after the deploy stores the folded module, and the worker serves from it with nothing left for the next call', async () => {
    let folded!: (outcome: string) => void;
    const ended = new Promise<string>((resolve) => (folded = resolve));
    const host = await startTestHost({ workers: 1, foldHooks: { afterFold: (_hex, outcome) => folded(outcome) } });
    try {
      const route = '/fx/memory-residue';
      const deployed = await host.deploy(bundleWith(manifestFor('fx-memory-residue', route), fixtureComponent('memory-residue')));
      assert.equal(deployed.status, 201, await deployed.text());
      assert.equal(await ended, 'folded'); // compile/fold-queue.ts: the code switched to the fold
      const dirs = await readdir(join(host.dataDir, 'artifacts'));
      assert.equal(dirs.length, 1);
      assert.ok((await readdir(join(host.dataDir, 'artifacts', dirs[0]!))).includes(foldedModuleName), 'the deploy folded the component');
      for (let round = 0; round < 5; round++) {
        const token = randomBytes(12).toString('base64url');
        const wrote = await host.get(`${route}?mode=write&token=${token}`);
        assert.equal(wrote.status, 200, await wrote.text());
        const scanned = await host.get(`${route}?mode=scan&token=${token}`);
        const text = await scanned.text();
        assert.equal(scanned.status, 200, text);
        assert.match(text, /^found=0 /);
      }
    } finally {
      await host.close();
    }
  });
});
