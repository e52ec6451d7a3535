// The registry and content store ports on JetStream against a real 3-node cluster (R3,
// sync_interval: always): the same conformance suites as the data-directory backends, the
// registry's between two hosts; then the content store's collection against another host's put.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { Objm } from '@nats-io/obj';
import { parseManifest } from '../../src/manifest/parse-manifest.js';
import type { Registry } from '../../src/registry/registry.js';
import { runRegistryConformance } from '../../src/registry/registry.case.js';
import { waitFor } from '../support/queue-helpers.js';
import { runContentStoreConformance } from '../../src/store/content-store.case.js';
import { JetStreamRegistry } from '../../src/nats/jetstream-registry.js';
import { ContentCollector } from '../../src/gc/content-collector.js';
import { JetStreamContentStore } from '../../src/nats/jetstream-content-store.js';
import { startNatsCluster, type NatsCluster } from '../support/nats-server.js';

const replicas = 3;

async function connection(nats: NatsCluster): Promise<NatsConnection> {
  return connect({ servers: nats.servers.split(','), maxReconnectAttempts: -1 });
}

/** A connection to `nats` over an empty JetStream (what earlier tests made is deleted). */
async function emptied(nats: NatsCluster): Promise<NatsConnection> {
  const nc = await connection(nats);
  const jsm = await jetstreamManager(nc);
  for await (const name of jsm.streams.names()) await jsm.streams.delete(name);
  return nc;
}

describe('JetStream registry and content store (3-node cluster, R3)', () => {
  let nats: NatsCluster;
  before(async () => {
    nats = await startNatsCluster();
  });
  after(async () => {
    await nats.stop();
  });

  runRegistryConformance('JetStreamRegistry (3-node cluster, R3)', async () => {
    const nc = await emptied(nats);
    let current = await JetStreamRegistry.open({ connection: nc, replicas });
    const peers: NatsConnection[] = [];
    return {
      registry: current,
      reopen: async () => {
        await current.close();
        current = await JetStreamRegistry.open({ connection: nc, replicas });
        return current;
      },
      peer: async () => {
        const other = await connection(nats);
        peers.push(other);
        return JetStreamRegistry.open({ connection: other, replicas });
      },
      close: async () => {
        await current.close();
        await Promise.all(peers.map((p) => p.close()));
        await nc.close();
      },
    };
  }, { shared: true });

  runContentStoreConformance('JetStreamContentStore (3-node cluster, R3)', async () => {
    const nc = await emptied(nats);
    // Grace 0: the suite's removal is not refused as too recent (the grace has its own test below).
    const store = await JetStreamContentStore.open({ connection: nc, replicas, graceMs: 0 });
    return { store, close: () => nc.close() };
  });

  describe('collection of the shared content store', () => {
    test('the collector removes what no function names (past the grace period) and keeps the rest; its report names the objects', async () => {
      const nc = await emptied(nats);
      try {
        const store = await JetStreamContentStore.open({ connection: nc, replicas, graceMs: 0 });
        const kept = await store.put(new TextEncoder().encode('referenced'));
        const garbage = await store.put(new TextEncoder().encode('a deleted function’s bundle'));
        const collector = new ContentCollector({
          dataDir: '/nonexistent',
          references: () => ({ digests: new Set([kept]), complete: true }),
          candidates: () => store.takeWritten(),
          stores: [store],
          exclusive: (work) => work(),
          log: () => {},
        });
        const dry = await collector.collect({ dryRun: true });
        assert.deepEqual(dry.items.map((i) => i.path), [`nats-object://wasmlet_content/${garbage}`]);
        assert.equal(await store.has(garbage), true, 'a dry run removes nothing');
        const report = await collector.collect({ dryRun: false });
        assert.deepEqual([report.removed.blobs, report.kept.blobs], [1, 1]);
        assert.equal(report.reclaimedBytes, new TextEncoder().encode('a deleted function’s bundle').byteLength);
        assert.equal(await store.has(garbage), false);
        assert.equal(await store.has(kept), true);
      } finally {
        await nc.close();
      }
    });

    test('a blob stored on one host is read on another; a collector leaves it alone within the grace period', async () => {
      const a = await emptied(nats);
      const b = await connection(nats);
      try {
        const storeA = await JetStreamContentStore.open({ connection: a, replicas });
        const storeB = await JetStreamContentStore.open({ connection: b, replicas });
        const bytes = new TextEncoder().encode('a component another host deploys');
        const hex = await storeA.put(bytes);
        assert.deepEqual(await storeB.get(hex), bytes);
        const [entry] = await storeB.entriesOf(hex);
        assert.equal(await storeB.wouldRemove(entry!), false, 'a dry run does not report it either');
        assert.equal(await storeB.remove(entry!), false, 'stored a moment ago: a deploy may not have referenced it yet');
        assert.equal(await storeA.has(hex), true);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    test('a put while another host removes the blob waits for the removal and stores it again; a stale claim is taken over', async () => {
      const a = await emptied(nats);
      const b = await connection(nats);
      try {
        let now = 1_000_000_000;
        const clock = () => now;
        const collector = await JetStreamContentStore.open({ connection: a, replicas, graceMs: 1_000, claimTimeoutMs: 60_000, now: clock });
        const deployer = await JetStreamContentStore.open({ connection: b, replicas, graceMs: 1_000, claimTimeoutMs: 60_000, now: clock });
        const bytes = new TextEncoder().encode('old garbage, deployed again');
        const hex = await deployer.put(bytes);
        now += 2_000; // past the grace
        const [entry] = await collector.entriesOf(hex);
        assert.equal(await collector.remove(entry!), true);
        assert.equal(await deployer.has(hex), false);
        // Stored again after the removal: whole.
        await deployer.put(bytes);
        assert.deepEqual(await collector.get(hex), bytes);

        // A collector in the middle of removing it (its claim fresh): the put waits for it, then stores the bytes again.
        const kv = await new Kvm(a).open('wasmlet_content_marks');
        const objects = await new Objm(a).open('wasmlet_content');
        now += 2_000;
        const live = await kv.get(hex);
        const claim = await kv.update(hex, JSON.stringify({ state: 'deleting', at: now }), live!.revision);
        assert.equal(await collector.remove((await collector.entriesOf(hex))[0]!), false, 'another collector holds the claim');
        let stored = false;
        const putting = deployer.put(bytes).then(() => (stored = true));
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.equal(stored, false, 'the put waits while the claim is fresh');
        await objects.delete(hex);
        await kv.delete(hex, { previousSeq: claim });
        await putting;
        assert.deepEqual(await collector.get(hex), bytes);

        // A collector that claimed it and died: the claim goes stale, and the next put takes it over and stores it again.
        now += 2_000;
        const mark = await kv.get(hex);
        await kv.update(hex, JSON.stringify({ state: 'deleting', at: now }), mark!.revision);
        await objects.delete(hex); // it got as far as the delete
        now += 61_000;
        await deployer.put(bytes);
        assert.deepEqual(await collector.get(hex), bytes);
        assert.equal(await collector.remove((await collector.entriesOf(hex))[0]!), false, 'the put marked it live again');
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
  });
});

function activate(registry: Registry, name: string, bundle: string) {
  const source = `name = "${name}"\ncomponent = "c.wasm"\n\n[[http]]\nroute = "/${name}"\n`;
  return registry.activate(parseManifest(source), source, bundle.repeat(64), 'c'.repeat(64));
}

/** Polls until `check` holds (60 s bound: a change arrives when the watch delivers it). */
function eventually(what: string, check: () => boolean): Promise<true> {
  return waitFor(what, async () => (check() ? true : undefined), 60_000);
}

describe('JetStream registry: damaged entries and a dead NATS node (3-node cluster, R3)', () => {
  let nats: NatsCluster;
  before(async () => {
    nats = await startNatsCluster();
  });
  after(async () => {
    await nats.stop();
  });

  test('an entry that does not parse quarantines its function on every host; deleting it erases the entry', async () => {
    const nc = await emptied(nats);
    const registry = await JetStreamRegistry.open({ connection: nc, replicas });
    try {
      await activate(registry, 'alpha', 'a');
      await activate(registry, 'beta', 'b');
      const told: string[] = [];
      registry.onChange((change) => told.push(`${change.name} ${change.origin}`));
      const kv = await new Kvm(nc).open('wasmlet_functions');
      await kv.put('beta', '{ "format": 2, "function": { torn');
      await eventually('beta quarantined', () => registry.quarantined().some((q) => q.name === 'beta'));
      assert.equal(registry.get('beta'), undefined);
      assert.deepEqual(registry.list().map((f) => f.name), ['alpha']);
      assert.match(registry.quarantined()[0]!.reason, /not valid JSON/);
      assert.deepEqual(told, ['beta elsewhere']);
      assert.ok(registry.referencedDigests().digests.has('b'.repeat(64)), 'what the record named before stays referenced');
      await assert.rejects(activate(registry, 'beta', 'd'), { code: 'function_quarantined' });
      await registry.remove('beta');
      assert.equal((await kv.get('beta'))?.operation ?? 'gone', 'PURGE');
      assert.equal((await activate(registry, 'beta', 'd')).active.current.version, 1);
    } finally {
      await registry.close();
      await nc.close();
    }
  });

  test('a host whose NATS node is SIGKILLed reconnects and gets the changes made meanwhile', async () => {
    const nc = await emptied(nats);
    // The peer knows only n3 at first; it learns the others from the cluster, and moves to one when n3 dies.
    const peerConnection = await connect({ servers: nats.nodes[2]!.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    const registry = await JetStreamRegistry.open({ connection: nc, replicas });
    const peer = await JetStreamRegistry.open({ connection: peerConnection, replicas, log: (line) => process.stderr.write(`peer: ${line}\n`) });
    try {
      await activate(registry, 'alpha', 'a');
      await eventually('the peer has version 1', () => peer.get('alpha')?.current.version === 1);
      await nats.nodes[2]!.kill();
      // The bucket keeps its quorum on n1 and n2; a write during its leader election may fail, and is made again.
      await waitFor('version 2 stored', async () => ((await activate(registry, 'alpha', 'b').catch(() => undefined)) ? true : undefined), 60_000);
      await activate(registry, 'beta', 'd');
      await eventually('the peer has version 2 and beta', () => peer.get('alpha')?.current.version === 2 && peer.get('beta') !== undefined);
      await registry.remove('beta');
      await eventually('the peer forgot beta', () => peer.get('beta') === undefined);
    } finally {
      await peer.close();
      await registry.close();
      await peerConnection.close();
      await nc.close();
      await nats.nodes[2]!.restart();
    }
  });
});
