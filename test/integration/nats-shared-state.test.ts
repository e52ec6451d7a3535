// Two in-process hosts on one nats-server (`nats` host option, as `serve --nats` sets it): what one
// writes the other reads — a key-value entry, an async invocation record — and both see one queue.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { bundleWith } from '../support/bundles.js';
import { startNatsServer, type NatsCluster } from '../support/nats-server.js';
import { fixturesDir, fixtureComponent } from '../support/paths.js';
import { startTestHost, type TestHost } from '../support/test-host.js';
import { waitFor } from '../support/queue-helpers.js';

let nats: NatsCluster;
let a: TestHost;
let b: TestHost;
before(async () => {
  nats = await startNatsServer();
  a = await startTestHost({ nats: { servers: nats.servers.split(',') } });
  b = await startTestHost({ nats: { servers: nats.servers.split(',') } });
  // The registry is shared: the function (it grants the "default" store) is deployed on A, and B serves it once its watch brings it.
  const bundle = bundleWith(readFileSync(join(fixturesDir, 'kv-probe', 'wasmlet.toml'), 'utf8').replace('kv-probe.wasm', 'component.wasm'), fixtureComponent('kv-probe'));
  assert.equal((await a.deploy(bundle)).status, 201);
  await waitFor('B to know the function deployed on A', async () => ((await b.admin('/v1/functions/fx-kv-probe')).status === 200 ? true : undefined), 60_000);
  assert.equal((await b.deploy(bundle)).status, 200, 'the same bytes deployed on B are the version A deployed');
});
after(async () => {
  await a?.close();
  await b?.close();
  await nats?.stop();
});

test('a key-value entry written through host A is read through host B', async () => {
  const put = await a.admin('/v1/kv/default/keys/greeting', { method: 'PUT', body: 'hello from A' });
  assert.equal(put.status, 201, await put.text());
  const got = await b.admin('/v1/kv/default/keys/greeting');
  assert.equal(got.status, 200, await got.clone().text());
  assert.equal(await got.text(), 'hello from A');
});

test('an async invocation submitted on A is read on B; a message sent through B is listed on A', async () => {
  const submitted = await a.admin('/v1/functions/fx-kv-probe/invoke?mode=async', { method: 'POST', body: '[]' });
  assert.equal(submitted.status, 202, await submitted.clone().text());
  const { invocationId } = (await submitted.json()) as { invocationId: string };
  const seen = await b.admin(`/v1/invocations/${invocationId}`);
  assert.equal(seen.status, 200, await seen.clone().text());
  assert.equal(((await seen.json()) as { invocation: { id: string } }).invocation.id, invocationId);
  const sent = await b.admin('/v1/queues/shared-jobs/messages', { method: 'POST', body: 'job', headers: { 'x-wasmlet-message-id': 'job-1' } });
  assert.equal(sent.status, 202, await sent.clone().text());
  const listed = await a.admin('/v1/queues/shared-jobs/messages?limit=10');
  assert.equal(listed.status, 200, await listed.clone().text());
  assert.deepEqual(((await listed.json()) as { messages: Array<{ id: string }> }).messages.map((m) => m.id), ['job-1']);
});
