// One registry for every host: two `wasmlet serve --nats` processes on a 3-node NATS cluster (R3,
// sync_interval: always), each with its own data directory. The example hello-c deployed on host A
// serves on host B (which compiles it from the shared content store); a second version deployed on
// A, rolled back on B, makes A serve the first again; deleted on A, B answers 404; a collection on A
// keeps what B's deploy needs. Every check polls until it holds (bounded generously): a change
// reaches the other host when its watch delivers it.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { packFunction } from '../../src/bundle/pack-function.js';
import { bundleWith } from '../support/bundles.js';
import { adminRequest, startServe, type ServingHost } from '../support/cli-process.js';
import { startNatsCluster } from '../support/nats-server.js';
import { examplesDir } from '../support/paths.js';
import { waitFor } from '../support/queue-helpers.js';

const route = '/hello/c';

/** The host's answer on the example's route: status and text. */
async function call(host: ServingHost): Promise<{ status: number; text: string }> {
  const response = await fetch(`${host.urls.http}${route}?name=ada`);
  return { status: response.status, text: await response.text() };
}

/** Polls `host` until its answer on the route satisfies `check` (2 minutes: the other host may be compiling). */
async function servesEventually(host: ServingHost, what: string, check: (answer: { status: number; text: string }) => boolean): Promise<void> {
  let last: { status: number; text: string } | undefined;
  await waitFor(`${what} (last answer: ${JSON.stringify(last)})`, async () => {
    last = await call(host);
    return check(last) ? true : undefined;
  }, 120_000);
}

test('a deploy, rollback and delete on one host serve on the other (2 hosts, 3-node NATS cluster)', { timeout: 600_000 }, async () => {
  const nats = await startNatsCluster();
  const dirA = await mkdtemp(join(tmpdir(), 'wasmlet-shared-a-'));
  const dirB = await mkdtemp(join(tmpdir(), 'wasmlet-shared-b-'));
  const natsArgs = ['--nats', nats.servers, '--nats-replicas', '3', '--workers', '2'];
  let a: ServingHost | undefined;
  let b: ServingHost | undefined;
  try {
    a = await startServe(['--data-dir', dirA, ...natsArgs]);
    b = await startServe(['--data-dir', dirB, ...natsArgs]);
    assert.equal((await call(b)).status, 404, 'nothing is deployed yet');

    // Version 1: the example as `wasmlet deploy examples/hello-c` packs it, deployed on A only.
    const v1 = await adminRequest(a, '/v1/functions', { method: 'POST', body: await packFunction(join(examplesDir, 'hello-c')) });
    assert.equal(v1.status, 201, v1.text);
    await servesEventually(b, 'B serves what A deployed', (r) => r.status === 200 && r.text === 'Hello, ada, from C!\n');
    assert.equal((await call(a)).text, 'Hello, ada, from C!\n');
    // B knows it as a function of its own: listed, with A's version number.
    const listedOnB = (await adminRequest(b, '/v1/functions')).json() as { functions: { name: string; version: number }[] };
    assert.deepEqual(listedOnB.functions.map((f) => [f.name, f.version]), [['hello-c', 1]]);

    // Version 2 (the same name and route, another component), deployed on A.
    const manifest = (await readFile(join(examplesDir, 'hello-c', 'wasmlet.toml'), 'utf8')).replace('component = "hello-c.wasm"', 'component = "component.wasm"');
    const v2 = await adminRequest(a, '/v1/functions', { method: 'POST', body: bundleWith(manifest, join(examplesDir, 'hello-js', 'hello-js.wasm')) });
    assert.equal(v2.status, 201, v2.text);
    await servesEventually(b, 'B serves version 2', (r) => r.status === 200 && /from JavaScript/.test(r.text));

    // Rolled back on B: A serves version 1 again.
    const rolledBack = await adminRequest(b, '/v1/functions/hello-c/rollback', { method: 'POST' });
    assert.equal(rolledBack.status, 200, rolledBack.text);
    await servesEventually(a, 'A serves version 1 after the rollback on B', (r) => r.status === 200 && r.text === 'Hello, ada, from C!\n');

    // Deleted on A: B answers 404.
    const deleted = await adminRequest(a, '/v1/functions/hello-c', { method: 'DELETE' });
    assert.ok(deleted.status === 200 || deleted.status === 204, deleted.text);
    await servesEventually(b, 'B answers 404 after the delete on A', (r) => r.status === 404);
    assert.deepEqual((await adminRequest(b, '/v1/functions')).json().functions, []);

    // A host started after all this comes up with the shared state (nothing deployed), and a deploy on B reaches it.
    await a.stop();
    a = await startServe(['--data-dir', dirA, ...natsArgs]);
    assert.equal((await call(a)).status, 404);
    const again = await adminRequest(b, '/v1/functions', { method: 'POST', body: await packFunction(join(examplesDir, 'hello-c')) });
    assert.equal(again.status, 201, again.text);
    await servesEventually(a, 'the restarted A serves what B deployed', (r) => r.status === 200 && r.text === 'Hello, ada, from C!\n');

    // A full collection on A keeps what B's function needs: A started again without its compiled
    // artifacts compiles hello-c from the shared store and serves it.
    const collected = await adminRequest(a, '/v1/gc', { method: 'POST' });
    assert.equal(collected.status, 200, collected.text);
    assert.equal((collected.json().gc as { refused?: string }).refused, undefined);
    await a.stop();
    await rm(join(dirA, 'artifacts'), { recursive: true, force: true });
    a = await startServe(['--data-dir', dirA, ...natsArgs]);
    await servesEventually(a, 'A, its artifacts gone, serves hello-c compiled from the shared store', (r) => r.status === 200 && r.text === 'Hello, ada, from C!\n');
  } finally {
    await Promise.all([a?.stop(), b?.stop()]);
    await nats.stop();
    await rm(dirA, { recursive: true, force: true });
    await rm(dirB, { recursive: true, force: true });
  }
});
