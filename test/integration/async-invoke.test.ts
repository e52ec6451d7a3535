// Async invocations end to end in one process: 202 at once, the event run from the durable queue,
// retries with the configured delays, the maximum event age, the on-failure record, idempotency keys.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bundleWith } from '../support/bundles.js';
import { fixtureComponent } from '../support/paths.js';
import { OffsetClock, peek, waitFor } from '../support/queue-helpers.js';
import { errorCodeOf, startTestHost, type TestHost } from '../support/test-host.js';

interface Invocation {
  state: string;
  attempts: number;
  lastError: string | null;
  status: number | null;
}

async function submit(host: TestHost, name: string, body: string, headers: Record<string, string> = {}): Promise<{ invocationId: string; duplicate: boolean }> {
  const response = await host.admin(`/v1/functions/${name}/invoke`, { method: 'POST', body, headers: { 'x-wasmlet-invocation-type': 'Event', ...headers } });
  assert.equal(response.status, 202, await response.clone().text());
  assert.ok(response.headers.get('x-wasmlet-invocation-id'));
  return (await response.json()) as { invocationId: string; duplicate: boolean };
}

async function invocation(host: TestHost, id: string): Promise<Invocation> {
  return ((await (await host.admin(`/v1/invocations/${id}`)).json()) as { invocation: Invocation }).invocation;
}

function settled(host: TestHost, id: string, states = ['succeeded', 'failed', 'expired']) {
  return waitFor(`invocation ${id} to finish`, async () => {
    const record = await invocation(host, id);
    return states.includes(record.state) ? record : undefined;
  });
}

describe('async invocation', () => {
  const clock = new OffsetClock();
  let host: TestHost;
  before(async () => {
    host = await startTestHost({ clock });
    const ok = await host.deploy(bundleWith('name = "fine"\ncomponent = "component.wasm"\n[[http]]\nroute = "/fine"\n', fixtureComponent('queue-probe')));
    assert.equal(ok.status, 201, await ok.text());
    const failing = await host.deploy(bundleWith(`name = "broken"
component = "component.wasm"
[[http]]
route = "/broken"
[async]
max_retries = 2
retry_delay_ms = 100
max_event_age_s = 60
on_failure = "broken-failures"
`, fixtureComponent('trap')));
    assert.equal(failing.status, 201, await failing.text());
  });
  after(async () => {
    await host.close();
  });

  test('a successful event is recorded as succeeded after one attempt', async () => {
    const { invocationId, duplicate } = await submit(host, 'fine', '{"n":1}');
    assert.equal(duplicate, false);
    const record = await settled(host, invocationId);
    assert.deepEqual([record.state, record.attempts, record.status, record.lastError], ['succeeded', 1, 200, null]);
  });

  test('a failing event is retried twice, 100 then 200 ms apart, then recorded in the on-failure queue', async () => {
    const started = Date.now();
    const { invocationId } = await submit(host, 'broken', 'payload-1');
    const record = await settled(host, invocationId);
    const elapsed = Date.now() - started;
    assert.deepEqual([record.state, record.attempts], ['failed', 3]);
    assert.match(record.lastError!, /trapped/);
    assert.ok(elapsed >= 300, `two retries take at least 100 + 200 ms, took ${elapsed} ms`);
    const [failure] = (await peek(host, 'broken-failures')).filter((m) => m.id === invocationId);
    const body = JSON.parse(failure!.text!) as Record<string, unknown>;
    assert.equal(body.condition, 'RetriesExhausted');
    assert.equal(body.attempts, 3);
    assert.equal(Buffer.from((body.payload as { base64: string }).base64, 'base64').toString(), 'payload-1');
  });

  test('an event older than max_event_age_s is not run again; its record says EventAgeExceeded', async () => {
    const { invocationId } = await submit(host, 'broken', 'payload-2');
    await waitFor('the first failure', async () => ((await invocation(host, invocationId)).state === 'retrying' ? true : undefined));
    clock.offsetMs += 61_000; // the event is now over a minute old
    const record = await settled(host, invocationId);
    assert.equal(record.state, 'expired');
    assert.match(record.lastError!, /max_event_age_s/);
    const [failure] = (await peek(host, 'broken-failures')).filter((m) => m.id === invocationId);
    assert.equal((JSON.parse(failure!.text!) as { condition: string }).condition, 'EventAgeExceeded');
  });

  test('an idempotency key returns the first invocation instead of queueing another', async () => {
    const first = await submit(host, 'fine', 'x', { 'idempotency-key': 'signup-42' });
    const second = await submit(host, 'fine', 'x', { 'idempotency-key': 'signup-42' });
    assert.deepEqual([second.invocationId, second.duplicate], [first.invocationId, true]);
    const other = await submit(host, 'fine', 'x', { 'idempotency-key': 'signup-43' });
    assert.notEqual(other.invocationId, first.invocationId);
  });

  test('the same idempotency key with a different payload (or content type) is a 422 conflict naming the first invocation', async () => {
    const first = await submit(host, 'fine', '{"amount":10}', { 'idempotency-key': 'charge-7' });
    for (const [body, contentType] of [['{"amount":1000}', 'application/json'], ['{"amount":10}', 'text/plain']] as const) {
      const conflict = await host.admin('/v1/functions/fine/invoke', {
        method: 'POST',
        body,
        headers: { 'x-wasmlet-invocation-type': 'Event', 'idempotency-key': 'charge-7', 'content-type': contentType },
      });
      assert.equal(conflict.status, 422);
      const error = ((await conflict.json()) as { error: { code: string; message: string; details: { invocationId: string } } }).error;
      assert.equal(error.code, 'idempotency_key_reused');
      assert.equal(error.details.invocationId, first.invocationId);
      assert.match(error.message, /charge-7.*different payload/);
    }
    // The same request again is still the first invocation, as before.
    const again = await submit(host, 'fine', '{"amount":10}', { 'idempotency-key': 'charge-7' });
    assert.deepEqual([again.invocationId, again.duplicate], [first.invocationId, true]);
  });

  test('?mode=async works like the header; bad values and unknown ids are clear errors', async () => {
    const response = await host.admin('/v1/functions/fine/invoke?mode=async', { method: 'POST', body: '{}' });
    assert.equal(response.status, 202);
    const bad = await host.admin('/v1/functions/fine/invoke', { method: 'POST', body: '{}', headers: { 'x-wasmlet-invocation-type': 'Later' } });
    assert.equal(bad.status, 400);
    const missing = await host.admin('/v1/invocations/nope');
    assert.equal(missing.status, 404);
    assert.equal(await errorCodeOf(missing), 'invocation_not_found');
  });
});
