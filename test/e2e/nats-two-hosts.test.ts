// Scale-out on real processes: a 3-node NATS cluster (sync_interval: always, R3 streams) and two
// `wasmlet serve --nats` hosts consuming one queue. 5,000 messages are posted to host B while host A
// is SIGKILLed mid-stream (and started again), then one NATS node is SIGKILLed: every message is
// handled at least once, none is lost, and the duplicates are counted and reported. The probe guest
// reports each message it handled to "probe-out" through the outbox (published, then acked), so the
// stored reports are the proof of handling. A handler run again publishes its report again under the
// same batch-derived id, which the stream drops; so the re-runs are counted on the wire instead: a
// plain NATS subscription (on a node that is never killed) sees every publish, dropped or stored.
// Also: an async invocation submitted on one host is read on the other.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { connect, type Subscription } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { queueStream, queueSubject } from '../../src/nats/jetstream-names.js';
import { bundleWith } from '../support/bundles.js';
import { adminRequest, startServe, type ServingHost } from '../support/cli-process.js';
import { startNatsCluster } from '../support/nats-server.js';
import { fixtureComponent } from '../support/paths.js';
import { invocationsOf } from '../support/host-metrics.js';
import { waitFor } from '../support/queue-helpers.js';

const messages = 5_000;
const chunk = 250;

const manifest = `name = "stream-worker"
component = "component.wasm"
publish = ["probe-out"]

[[http]]
route = "/stream-worker"

[[queue]]
queue = "stream"
batch_size = 10
concurrency = 2
max_attempts = 1000
backoff = { initial_ms = 10, max_ms = 100 }
`;

const admin = adminRequest;

/** Deploys on `host` (the registry is shared: every host on the cluster gets the function). */
async function deploy(host: ServingHost, text = manifest): Promise<void> {
  const deployed = await admin(host, '/v1/functions', { method: 'POST', body: bundleWith(text, fixtureComponent('queue-probe')) });
  assert.equal(deployed.status, 201, deployed.text);
}

/** Until `host` has `name` from the shared registry (its watch delivers another host's deploy). */
async function known(host: ServingHost, name: string): Promise<void> {
  await waitFor(`${name} on the other host`, async () => ((await admin(host, `/v1/functions/${name}`)).status === 200 ? true : undefined), 30_000);
}

/** Every report published to probe-out, stored or dropped as a duplicate: "<message> <attempt>" → times seen. */
function watchReports(sub: Subscription): Map<string, number> {
  const seen = new Map<string, number>();
  void (async () => {
    for await (const msg of sub) {
      // Each report: "stream <id> <attempt> m-<n>".
      const [, , attempt, text] = new TextDecoder().decode(msg.data).split(' ');
      const key = `${text} ${attempt}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  })();
  return seen;
}

test(`two hosts on a 3-node NATS cluster: ${messages} messages, host A then a NATS node SIGKILLed mid-stream: none lost`, { timeout: 600_000 }, async (t) => {
  const nats = await startNatsCluster();
  const dirA = await mkdtemp(join(tmpdir(), 'wasmlet-nats-a-'));
  const dirB = await mkdtemp(join(tmpdir(), 'wasmlet-nats-b-'));
  const natsArgs = ['--nats', nats.servers, '--nats-replicas', '3', '--workers', '2'];
  let a: ServingHost | undefined;
  let b: ServingHost | undefined;
  const nc = await connect({ servers: nats.servers.split(','), maxReconnectAttempts: -1 });
  // n1 is never killed: this connection sees every publish to probe-out.
  const wire = await connect({ servers: nats.nodes[0]!.url, maxReconnectAttempts: -1 });
  const onTheWire = watchReports(wire.subscribe(queueSubject('probe-out')));
  await wire.flush();
  try {
    a = await startServe(['--data-dir', dirA, ...natsArgs]);
    b = await startServe(['--data-dir', dirB, ...natsArgs]);
    // Deployed once, on A: B gets it from the shared registry and consumes too.
    await deploy(a);
    await known(b, 'stream-worker');
    const jsm = await jetstreamManager(nc);
    const reported = async () => (await jsm.streams.info(queueStream('probe-out')).catch(() => undefined))?.state.messages ?? 0;

    for (let sent = 0; sent < messages; sent += chunk) {
      // Ids make a repeated post safe: while a stream elects a new leader a send can fail (503), and is posted again.
      const batch = Array.from({ length: chunk }, (_, i) => ({ id: `m-${sent + i}`, body: `m-${sent + i}` }));
      await waitFor(`messages ${sent}.. accepted`, async () => {
        const posted = await admin(b!, '/v1/queues/stream/messages', {
          method: 'POST',
          headers: { 'content-type': 'application/vnd.wasmlet.batch+json' },
          body: JSON.stringify({ messages: batch }),
        });
        if (posted.status !== 202) t.diagnostic(`post of ${sent}.. answered ${posted.status}; posting again`);
        return posted.status === 202 ? true : undefined;
      }, 120_000);
      if (sent === messages / 2) {
        // Kill A once it is demonstrably consuming: A itself has run batches, and the stream is moving.
        const before = await reported();
        await waitFor('host A to run queue batches', async () => ((await invocationsOf(a!, 'stream-worker', 'queue')) > 0 ? true : undefined), 60_000);
        await waitFor('progress before the kill', async () => ((await reported()) > before ? true : undefined), 60_000);
        await a.kill();
        a = await startServe(['--data-dir', dirA, ...natsArgs]);
      }
      if (sent === (messages * 3) / 4) {
        // One NATS node goes too (not restarted): the R3 streams keep their quorum on the other two.
        await nats.nodes[2]!.kill();
      }
    }

    // A's leases lapse after the visibility timeout (30 s); then B or the new A takes them.
    let left = '';
    await waitFor('every message handled', async () => {
      const info = await jsm.streams.info(queueStream('stream'));
      left = `${info.state.messages} message(s) left in the stream (first seq ${info.state.first_seq})`;
      return info.state.messages === 0 ? true : undefined;
    }, 180_000).catch(async (err: unknown) => {
      // What the next engineer needs when this fails: the consumer's view and what stays unhandled.
      const consumers = await jsm.consumers.list(queueStream('stream')).next().catch(() => []);
      const views = consumers.map((c) => `${c.name}: ack pending ${c.num_ack_pending}, redelivered ${c.num_redelivered}, pending ${c.num_pending}, delivered ${c.delivered.stream_seq}, ack floor ${c.ack_floor.stream_seq}`);
      t.diagnostic(`${left}; ${views.join('; ')}`);
      // Why the stuck messages are not settled: each host's warnings, and the function's host lines (a settle or dead-letter that failed).
      for (const [name, host] of [['A', a], ['B', b]] as const) {
        const warnings = (host?.stderr() ?? '').split('\n').filter((line) => /warn|error|could not|stale|fail/i.test(line)).slice(-20);
        t.diagnostic(`host ${name}'s last warnings:\n${warnings.join('\n') || '(none)'}`);
        const logs = host ? await admin(host, '/v1/functions/stream-worker/logs?limit=200').then((r) => r.text, (e: unknown) => String(e)) : '';
        const hostLines = logs.split('},{').filter((entry) => entry.includes('"stream":"host"')).slice(-10);
        t.diagnostic(`host ${name}'s function host lines:\n${hostLines.join('\n') || '(none)'}`);
      }
      throw err;
    });

    const bodies: string[] = [];
    const info = await jsm.streams.info(queueStream('probe-out'));
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const stored = await jsm.streams.getMessage(queueStream('probe-out'), { seq }).catch(() => null);
      if (stored) bodies.push(new TextDecoder().decode(stored.data));
    }
    // Each report: "stream <id> <attempt> m-<n>".
    const handled = new Map<string, number>();
    for (const body of bodies) {
      const text = body.split(' ')[3]!;
      handled.set(text, (handled.get(text) ?? 0) + 1);
    }
    const missing = Array.from({ length: messages }, (_, i) => `m-${i}`).filter((m) => !handled.has(m));
    assert.deepEqual(missing, [], `${missing.length} message(s) lost`);
    const duplicates = [...handled.values()].reduce((sum, n) => sum + n - 1, 0);
    // A batch A had published the reports of but not acked is run again elsewhere; its reports carry the
    // same batch-derived ids, so the stream drops them: duplicates here are reports that got through.
    // On the wire, each (message, attempt) is one handler run that got as far as publishing (a publish
    // the client repeated has the same attempt); a message seen with several attempts was run again.
    await wire.flush();
    const runs = onTheWire.size;
    const rerun = new Set([...onTheWire.keys()].map((key) => key.split(' ')[0]!));
    const reruns = runs - rerun.size;
    const publishes = [...onTheWire.values()].reduce((sum, n) => sum + n, 0);
    t.diagnostic(`${messages} messages, host A SIGKILLed once with batches in flight, then NATS node n3: `
      + `${bodies.length} reports stored (${duplicates} duplicate report(s) got through); on the wire ${publishes} report publishes, `
      + `${runs} handler runs for ${rerun.size} messages: ${reruns} re-run(s) of a handled message`);

    // An async invocation submitted on B is read on A.
    const submitted = await admin(b, '/v1/functions/stream-worker/invoke?mode=async', { method: 'POST', body: '{}' });
    assert.equal(submitted.status, 202, submitted.text);
    const id = submitted.json().invocationId as string;
    const seen = await admin(a, `/v1/invocations/${id}`);
    assert.equal(seen.status, 200, seen.text);
    assert.equal((seen.json().invocation as { id: string }).id, id);
  } finally {
    await a?.stop();
    await b?.stop();
    await wire.close();
    await nc.close();
    await nats.stop();
    await rm(dirA, { recursive: true, force: true });
    await rm(dirB, { recursive: true, force: true });
  }
});

const scheduleManifest = `name = "ticker"
component = "component.wasm"
publish = ["probe-out"]

[[schedule]]
name = "tick"
rate = "1s"
`;

test('a schedule on two hosts fires each tick once, and keeps firing when its leader is SIGKILLed', { timeout: 300_000 }, async (t) => {
  const nats = await startNatsCluster();
  const dirA = await mkdtemp(join(tmpdir(), 'wasmlet-nats-a-'));
  const dirB = await mkdtemp(join(tmpdir(), 'wasmlet-nats-b-'));
  const natsArgs = ['--nats', nats.servers, '--nats-replicas', '3', '--workers', '2'];
  let a: ServingHost | undefined;
  let b: ServingHost | undefined;
  const nc = await connect({ servers: nats.servers.split(','), maxReconnectAttempts: -1 });
  try {
    const jsm = await jetstreamManager(nc);
    const ticks = async (): Promise<number[]> => {
      const info = await jsm.streams.info(queueStream('probe-out')).catch(() => undefined);
      const out: number[] = [];
      for (let seq = info?.state.first_seq ?? 1; info && seq <= info.state.last_seq; seq++) {
        const stored = await jsm.streams.getMessage(queueStream('probe-out'), { seq }).catch(() => null);
        if (stored) out.push(Number(new TextDecoder().decode(stored.data).split(' ')[2]));
      }
      return out;
    };
    // A alone first: it takes the leader lease.
    a = await startServe(['--data-dir', dirA, ...natsArgs]);
    await deploy(a, scheduleManifest);
    await waitFor('A to fire ticks', async () => ((await ticks()).length >= 2 ? true : undefined), 60_000);
    b = await startServe(['--data-dir', dirB, ...natsArgs]);
    await known(b, 'ticker'); // from the shared registry
    const beforeKill = (await ticks()).length;
    await waitFor('both hosts running for a few ticks', async () => ((await ticks()).length >= beforeKill + 3 ? true : undefined), 60_000);
    await a.kill(); // the leader: its lease lapses (10 s) and B takes over, firing the ticks missed meanwhile
    const killedAt = Date.now();
    await waitFor('B to fire ticks after the takeover', async () => ((await ticks()).some((tick) => tick > killedAt + 3_000) ? true : undefined), 90_000);
    const all = await ticks();
    const unique = [...new Set(all)].sort((x, y) => x - y);
    const gaps = unique.slice(1).filter((tick, i) => tick - unique[i]! !== 1_000);
    assert.deepEqual(gaps, [], 'every tick from the first to the last fired');
    t.diagnostic(`${unique.length} ticks over ${(unique.at(-1)! - unique[0]!) / 1000} s, ${all.length - unique.length} handled twice (the leader was SIGKILLed once)`);
  } finally {
    await a?.stop();
    await b?.stop();
    await nc.close();
    await nats.stop();
    await rm(dirA, { recursive: true, force: true });
    await rm(dirB, { recursive: true, force: true });
  }
});
