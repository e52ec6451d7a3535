// Queue triggers end to end in one process: a real C guest (test/fixtures/queue-probe), the real
// SQLite queue, the real consumer loop. The probe reports each message it handled to "probe-out".
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bundleWith } from '../support/bundles.js';
import { fixtureComponent } from '../support/paths.js';
import { peek, sendTexts, waitFor } from '../support/queue-helpers.js';
import { errorCodeOf, startTestHost, type TestHost } from '../support/test-host.js';

const probe = fixtureComponent('queue-probe');

function probeManifest(name: string, triggers: string): string {
  return `name = "${name}"\ncomponent = "component.wasm"\npublish = ["probe-out"]\n${triggers}`;
}

/** The probe's report lines: "<queue> <id> <attempt> <body>". */
async function reports(host: TestHost): Promise<Array<{ queue: string; id: string; attempt: number; body: string }>> {
  return (await peek(host, 'probe-out')).map((m) => {
    const [queue, id, attempt, ...body] = m.text!.split(' ');
    return { queue: queue!, id: id!, attempt: Number(attempt), body: body.join(' ') };
  });
}

describe('queue trigger', () => {
  let host: TestHost;
  before(async () => {
    host = await startTestHost();
  });
  after(async () => {
    await host.close();
  });

  test('ok, fail, retry and retry-until each end where the contract says', async () => {
    const deployed = await host.deploy(bundleWith(probeManifest('jobs-worker', `
[[queue]]
queue = "jobs"
batch_size = 10
max_attempts = 3
backoff = { initial_ms = 10, max_ms = 40 }
`), probe));
    assert.equal(deployed.status, 201, await deployed.text());
    const [okId, failId, retryId, untilId] = await sendTexts(host, 'jobs', ['hello', 'fail:bad address', 'retry:5', 'retry-until:3']);

    const done = await waitFor('every message settled', async () => {
      const stats = (await (await host.admin('/v1/queues/jobs')).json()) as { visible: number; inFlight: number; delayed: number };
      return stats.visible + stats.inFlight + stats.delayed === 0 ? stats : undefined;
    });
    assert.ok(done);
    const handled = await reports(host);
    assert.deepEqual(handled.map((r) => [r.id, r.attempt, r.body]).sort(), [[okId, 1, 'hello'], [untilId, 3, 'retry-until:3']].sort());
    const dead = await peek(host, 'jobs-dlq');
    assert.deepEqual(dead.map((m) => [m.id, m.text, m.lastError]).sort(), [
      [failId, 'fail:bad address', 'bad address'],
      [retryId, 'retry:5', 'retry requested after attempt 3 of 3'],
    ].sort());
    assert.equal(dead.find((m) => m.id === retryId)!.attempt, 3);
  });

  test('a poison message (trap) ends in the DLQ alone; its batch-mates are handled once', async () => {
    const deployed = await host.deploy(bundleWith(probeManifest('poison-worker', `
[[queue]]
queue = "mixed"
batch_size = 8
max_batch_wait_ms = 200
max_attempts = 2
backoff = { initial_ms = 10, max_ms = 10 }
`), probe));
    assert.equal(deployed.status, 201, await deployed.text());
    const bodies = ['a', 'b', 'c', 'trap', 'd', 'e', 'batch-error', 'f'];
    const ids = await sendTexts(host, 'mixed', bodies);
    const dead = await waitFor('both poison messages dead-lettered', async () => {
      const messages = await peek(host, 'mixed-dlq');
      return messages.length === 2 ? messages : undefined;
    });
    assert.deepEqual(dead.map((m) => m.text).sort(), ['batch-error', 'trap']);
    assert.match(dead.find((m) => m.text === 'trap')!.lastError!, /trapped.*\(attempt 2 of 2\)/);
    assert.match(dead.find((m) => m.text === 'batch-error')!.lastError!, /batch-error requested/);
    const handled = (await reports(host)).filter((r) => r.queue === 'mixed');
    const healthy = ids.filter((_, i) => !['trap', 'batch-error'].includes(bodies[i]!));
    assert.deepEqual(handled.map((r) => r.id).sort(), [...healthy].sort(), 'each healthy message handled exactly once');
    assert.ok(handled.every((r) => r.attempt === 1), 'no healthy message was redelivered');
  });

  test('a trigger on a component without a queue handler is refused at deploy', async () => {
    const response = await host.deploy(bundleWith(`name = "no-queue"\ncomponent = "component.wasm"\n[[queue]]\nqueue = "nobody"\n`, fixtureComponent('echo')));
    assert.equal(response.status, 400);
    assert.equal(await errorCodeOf(response), 'component_world_mismatch');
  });

  test('a queue already consumed by another function is refused', async () => {
    const response = await host.deploy(bundleWith(probeManifest('thief', '[[queue]]\nqueue = "jobs"\n'), probe));
    assert.equal(response.status, 409);
    assert.equal(await errorCodeOf(response), 'queue_conflict');
  });

  test('dead letters can be inspected and redriven to their source queue', async () => {
    const before = (await peek(host, 'jobs-dlq')).length;
    assert.ok(before > 0);
    const response = await host.admin('/v1/queues/jobs-dlq/redrive', { method: 'POST' });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { from: 'jobs-dlq', to: 'jobs', moved: before });
    // Redriven with a fresh budget, they fail the same way and come back.
    await waitFor('redriven messages back in the DLQ', async () => ((await peek(host, 'jobs-dlq')).length === before ? true : undefined));
  });
});

describe('publishing', () => {
  let host: TestHost;
  before(async () => {
    host = await startTestHost();
  });
  after(async () => {
    await host.close();
  });

  test('an HTTP handler sends to a queue it lists in publish, and only those', async () => {
    const deployed = await host.deploy(bundleWith(probeManifest('sender', '[[http]]\nroute = "/send"\n'), probe));
    assert.equal(deployed.status, 201, await deployed.text());
    const sent = await host.get('/send?send=probe-out', { method: 'POST', body: 'from http' });
    assert.equal(sent.status, 202);
    const id = await sent.text();
    const [message] = await peek(host, 'probe-out');
    assert.deepEqual([message!.id, message!.text, message!.attributes.from], [id, 'from http', 'http']);
    const refused = await host.get('/send?send=elsewhere', { method: 'POST', body: 'x' });
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /not in the manifest's publish list/);
  });

  test('the publish endpoint takes one raw message or a JSON batch, and refuses host queues', async () => {
    const one = await host.admin('/v1/queues/inbox/messages', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
    assert.equal(one.status, 202);
    const batch = await host.admin('/v1/queues/inbox/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.wasmlet.batch+json' },
      body: JSON.stringify({ messages: [{ body: 'aGk=', encoding: 'base64', attributes: { k: 'v' } }, { body: 'later', delay_ms: 60_000 }] }),
    });
    assert.equal(batch.status, 202);
    assert.equal(((await batch.json()) as { ids: string[] }).ids.length, 2);
    const stats = (await (await host.admin('/v1/queues/inbox')).json()) as Record<string, unknown>;
    assert.deepEqual([stats.visible, stats.delayed, stats.consumer], [2, 1, null]);
    const messages = await peek(host, 'inbox');
    assert.deepEqual(messages.map((m) => m.text), ['hi', 'hi', 'later']);
    assert.equal(messages[0]!.attributes['content-type'], 'text/plain');
    const internal = await host.admin('/v1/queues/wasmlet.async.sender/messages', { method: 'POST', body: 'x' });
    assert.equal(internal.status, 400);
    const bad = await host.admin('/v1/queues/inbox/messages', { method: 'POST', headers: { 'content-type': 'application/vnd.wasmlet.batch+json' }, body: '{"messages":[{"bogus":1}]}' });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /batch: messages.0/);
  });
});

describe('queue trigger retry timing, on an injected clock', () => {
  /** A clock that stands still until the test moves it. */
  const clock = { nowMs: 1_800_000_000_000, now() { return this.nowMs; } };
  let host: TestHost;
  before(async () => {
    // random = 0.5: equal jitter picks exactly 3/4 of each step.
    host = await startTestHost({ clock, random: () => 0.5 });
  });
  after(async () => {
    await host.close();
  });

  test('each retry waits exactly its backoff step: 1 s, 2 s, 4 s (× 3/4 with the pinned jitter)', async () => {
    const deployed = await host.deploy(bundleWith(probeManifest('timed-worker', `
[[queue]]
queue = "timed"
max_attempts = 4
backoff = { initial_ms = 1000, max_ms = 60000, multiplier = 2 }
`), probe));
    assert.equal(deployed.status, 201, await deployed.text());
    const [id] = await sendTexts(host, 'timed', ['retry']);
    const delayedFor = async (attempt: number) => {
      const [m] = await waitFor(`attempt ${attempt} to be retried`, async () => {
        const messages = await peek(host, 'timed');
        return messages[0]?.attempt === attempt && messages[0].state === 'delayed' ? messages : undefined;
      });
      return Date.parse((m as unknown as { visibleAt: string }).visibleAt) - clock.nowMs;
    };
    for (const [attempt, step] of [[1, 1000], [2, 2000], [3, 4000]] as const) {
      assert.equal(await delayedFor(attempt), step * 0.75, `delay after attempt ${attempt}`);
      clock.nowMs += step * 0.75 - 1;
      await new Promise((resolve) => setTimeout(resolve, 300)); // a few idle polls: still not due
      assert.equal((await peek(host, 'timed'))[0]!.attempt, attempt, 'not redelivered a millisecond early');
      clock.nowMs += 1;
    }
    const [dead] = await waitFor('the dead letter', async () => {
      const messages = await peek(host, 'timed-dlq');
      return messages.length === 1 ? messages : undefined;
    });
    assert.deepEqual([dead!.id, dead!.attempt], [id, 4]);
  });
});
