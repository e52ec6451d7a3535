// Scenario "nats": queue store throughput and publish latency, embedded SQLite against NATS JetStream,
// in one run. Store level (no host, no guest): what the backend costs a send and a receive + ack.
// JetStream runs on real nats-servers this starts (toolchains/nats/install.sh): one node (R1) and a
// 3-node cluster (R3), both with `sync_interval: always`; SQLite in a temporary file with
// synchronous=NORMAL and FULL. Without nats-server the scenario is not run (NatsServerMissing).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { JetStreamQueueStore } from '../../src/nats/jetstream-queue-store.js';
import type { QueueStore } from '../../src/queue/queue-store.js';
import { SqliteQueueStore } from '../../src/queue/sqlite-queue-store.js';
import { natsServerBinary, startNatsCluster, startNatsServer } from '../../test/support/nats-server.js';

export interface NatsQueueBenchOptions {
  /** Messages sent in batches, then received + acked in batches. */
  readonly messages: number;
  /** Sends of one message, one after another, for the latency percentiles. */
  readonly latencySamples: number;
  readonly batch: number;
  readonly bodyBytes: number;
}

export interface NatsQueueRow {
  readonly backend: string;
  readonly durability: string;
  readonly sendP50Ms: number;
  readonly sendP99Ms: number;
  readonly sendPerS: number;
  readonly drainPerS: number;
}

export interface NatsQueueBenchResult {
  readonly natsServer: string;
  readonly rows: readonly NatsQueueRow[];
}

/** nats-server is not installed: the JetStream rows cannot run (and the SQLite ones alone compare nothing). */
export class NatsServerMissing extends Error {}

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function measure(backend: string, durability: string, store: QueueStore, options: NatsQueueBenchOptions): Promise<NatsQueueRow> {
  const { messages, latencySamples, batch } = options;
  const body = new TextEncoder().encode('x'.repeat(options.bodyBytes));
  const latencies: number[] = [];
  for (let i = 0; i < latencySamples; i++) {
    const start = performance.now();
    await store.send('latency', [{ body }]);
    latencies.push(performance.now() - start);
  }
  let start = performance.now();
  for (let sent = 0; sent < messages; sent += batch) await store.send('throughput', Array.from({ length: Math.min(batch, messages - sent) }, () => ({ body })));
  const sendMs = performance.now() - start;
  start = performance.now();
  for (let drained = 0; drained < messages;) {
    const leased = await store.receive('throughput', { max: batch, visibilityTimeoutMs: 60_000 });
    drained += leased.length;
    if (leased.length > 0) await store.ack('throughput', leased.map((m) => m.receiptHandle));
  }
  const drainMs = performance.now() - start;
  return { backend, durability, sendP50Ms: percentile(latencies, 0.5), sendP99Ms: percentile(latencies, 0.99), sendPerS: (messages / sendMs) * 1000, drainPerS: (messages / drainMs) * 1000 };
}

export async function measureNatsQueues(options: NatsQueueBenchOptions, progress: (line: string) => void = () => {}): Promise<NatsQueueBenchResult> {
  let natsServer: string;
  try {
    natsServer = natsServerBinary();
  } catch (err) {
    throw new NatsServerMissing((err as Error).message);
  }
  const rows: NatsQueueRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'wasmlet-bench-queues-'));
  try {
    for (const synchronous of ['normal', 'full'] as const) {
      progress(`nats: SQLite synchronous=${synchronous}`);
      const store = new SqliteQueueStore({ path: join(dir, `${synchronous}.db`), synchronous });
      try {
        rows.push(await measure('SQLite', `synchronous=${synchronous.toUpperCase()}`, store, options));
      } finally {
        await store.close();
      }
    }
    for (const [label, start, replicas] of [['JetStream R1 (1 node)', startNatsServer, 1], ['JetStream R3 (3 nodes)', startNatsCluster, 3]] as const) {
      progress(`nats: ${label}`);
      const nats = await start();
      const nc = await connect({ servers: nats.servers.split(',') });
      const store = new JetStreamQueueStore({ connection: nc, replicas });
      try {
        rows.push(await measure(label, 'sync_interval: always', store, options));
      } finally {
        await store.close();
        await nc.close();
        await nats.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { natsServer, rows };
}

export function renderNatsQueues(result: NatsQueueBenchResult, options: NatsQueueBenchOptions): string[] {
  return [
    `nats. queue stores: embedded SQLite against NATS JetStream (${result.natsServer}), store level (no host, no guest)`,
    `   ${options.messages} messages of ${options.bodyBytes} B sent, then received + acked, in batches of ${options.batch}; latency: ${options.latencySamples} sends of one message, one after another`,
    '| backend | durability | send latency p50 | p99 | send msg/s | receive+ack msg/s |',
    '|---|---|---|---|---|---|',
    ...result.rows.map((r) => `| ${r.backend} | ${r.durability} | ${r.sendP50Ms.toFixed(2)} ms | ${r.sendP99Ms.toFixed(2)} ms | ${r.sendPerS.toFixed(0)} | ${r.drainPerS.toFixed(0)} |`),
  ];
}
