// Scenario 4: the embedded durable queue, end to end and against its own floor.
// - drain: N messages pre-filled (moved into the trigger's queue at once), then consumed by a [[queue]] trigger running the C probe
//   (test/fixtures/queue-probe) on a fresh instance per batch; each message is also reported to a
//   second queue in the same transaction as its ack (the transactional outbox a real consumer uses).
//   Baseline: the same store drained by a loop with no guest (receive + settle with the same report).
// - publish latency: sequential single-message POST /v1/queues/{q}/messages over loopback HTTP.
// Every row runs once per durability setting (SQLite synchronous=NORMAL, the default, and FULL).
import { mkdtemp, rm, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { request } from 'undici';
import { repoRoot } from '../examples.js';
import { progress } from '../progress.js';
import { summarize, type Summary } from '../../src/benchmark/stats.js';
import type { SqliteSynchronous } from '../../src/queue/sqlite-queue-store.js';

export interface QueueBenchOptions {
  readonly messages: number;
  readonly batchSizes: readonly number[];
  readonly concurrency: number;
  readonly publishRequests: number;
  readonly workers: number;
}

export interface DrainRow {
  readonly durability: SqliteSynchronous;
  /** "store only" (the floor) or "C guest, batch N". */
  readonly label: string;
  readonly batchSize: number;
  readonly messagesPerSecond: number;
  readonly seconds: number;
}

export interface PublishRow {
  readonly durability: SqliteSynchronous;
  readonly latencyMicros: Summary;
}

export interface QueueBenchResult {
  readonly drain: readonly DrainRow[];
  readonly publish: readonly PublishRow[];
}

const probeComponent = join(repoRoot, 'test', 'fixtures', 'queue-probe', 'queue-probe.wasm');

export async function measureQueues(options: QueueBenchOptions): Promise<QueueBenchResult> {
  const drain: DrainRow[] = [];
  const publish: PublishRow[] = [];
  for (const durability of ['normal', 'full'] as const) {
    drain.push(await drainStoreOnly(durability, options));
    for (const batchSize of options.batchSizes) drain.push(await drainThroughGuest(durability, batchSize, options));
    publish.push(await publishLatency(durability, options));
  }
  return { drain, publish };
}

async function withDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'wasmlet-bench-queue-'));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const text = (s: string) => new TextEncoder().encode(s);

async function fill(send: (messages: { body: Uint8Array }[]) => Promise<unknown>, count: number): Promise<void> {
  for (let i = 0; i < count; i += 500) {
    await send(Array.from({ length: Math.min(500, count - i) }, (_, j) => ({ body: text(`message ${i + j}`) })));
  }
}

/** The floor: the same work a consumer commits (lease, ack, one report per message), no guest. */
async function drainStoreOnly(durability: SqliteSynchronous, options: QueueBenchOptions): Promise<DrainRow> {
  return withDir(async (dir) => {
    const { SqliteQueueStore } = await import('../../src/queue/sqlite-queue-store.js');
    const store = new SqliteQueueStore({ path: join(dir, 'queues.db'), synchronous: durability });
    try {
      await fill((m) => store.send('bench', m), options.messages);
      const started = performance.now();
      for (;;) {
        const batch = await store.receive('bench', { max: 10, visibilityTimeoutMs: 60_000 });
        if (batch.length === 0) break;
        await store.settle('bench', {
          ack: batch.map((m) => m.receiptHandle),
          publish: batch.map((m) => ({ queue: 'bench-out', message: { body: text(`bench ${m.id} ${m.attempt}`) } })),
        });
      }
      const seconds = (performance.now() - started) / 1000;
      progress(`queue: store only (${durability}): ${(options.messages / seconds).toFixed(0)} msg/s`);
      return { durability, label: 'store only, batch 10', batchSize: 10, messagesPerSecond: options.messages / seconds, seconds };
    } finally {
      await store.close();
    }
  });
}

async function drainThroughGuest(durability: SqliteSynchronous, batchSize: number, options: QueueBenchOptions): Promise<DrainRow> {
  return withDir(async (dir) => {
    const { startHost } = await import('../../src/host/start-host.js');
    const host = await startHost({ host: '127.0.0.1', port: 0, adminPort: 0, dataDir: dir, workers: options.workers, deployExamples: false, queueDurability: durability, log: () => undefined });
    try {
      const admin = host.urls.admin;
      const authorization = `Bearer ${host.adminToken}`;
      // Deploy first (a cold deploy transpiles and compiles), fill a staging queue, then move it all into the
      // trigger's queue in one redrive: the clock measures consumption only.
      const manifest = `name = "bench-consumer"\ncomponent = "probe.wasm"\npublish = ["probe-out"]\n\n[[queue]]\nqueue = "bench"\nbatch_size = ${batchSize}\nconcurrency = ${options.concurrency}\n`;
      const zip = zipSync({ 'wasmlet.toml': text(manifest), 'probe.wasm': new Uint8Array(await readFile(probeComponent)) });
      const deployed = await request(`${admin}/v1/functions`, { method: 'POST', body: zip, headers: { authorization } });
      if (deployed.statusCode !== 201) throw new Error(`deploy: ${deployed.statusCode} ${await deployed.body.text()}`);
      await deployed.body.dump();
      await fill(async (messages) => {
        const body = JSON.stringify({ messages: messages.map((m) => ({ body: new TextDecoder().decode(m.body) })) });
        const response = await request(`${admin}/v1/queues/staging/messages`, { method: 'POST', headers: { 'content-type': 'application/vnd.wasmlet.batch+json', authorization }, body });
        if (response.statusCode !== 202) throw new Error(`fill: ${response.statusCode} ${await response.body.text()}`);
        await response.body.dump();
      }, options.messages);
      const started = performance.now();
      const moved = await request(`${admin}/v1/queues/staging/redrive?to=bench&limit=${Math.min(options.messages, 1000)}`, { method: 'POST', headers: { authorization } });
      await moved.body.dump();
      for (let left = options.messages - Math.min(options.messages, 1000); left > 0; left -= 1000) {
        const more = await request(`${admin}/v1/queues/staging/redrive?to=bench&limit=1000`, { method: 'POST', headers: { authorization } });
        await more.body.dump();
      }
      for (;;) {
        const response = await request(`${admin}/v1/queues/probe-out`, { headers: { authorization } });
        const stats = (await response.body.json()) as { visible: number };
        if (stats.visible >= options.messages) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const seconds = (performance.now() - started) / 1000;
      progress(`queue: C guest batch ${batchSize} (${durability}): ${(options.messages / seconds).toFixed(0)} msg/s`);
      return { durability, label: `C guest, batch ${batchSize}`, batchSize, messagesPerSecond: options.messages / seconds, seconds };
    } finally {
      await host.close();
    }
  });
}

async function publishLatency(durability: SqliteSynchronous, options: QueueBenchOptions): Promise<PublishRow> {
  return withDir(async (dir) => {
    const { startHost } = await import('../../src/host/start-host.js');
    const host = await startHost({ host: '127.0.0.1', port: 0, adminPort: 0, dataDir: dir, workers: options.workers, deployExamples: false, queueDurability: durability, log: () => undefined });
    try {
      const url = `${host.urls.admin}/v1/queues/latency/messages`;
      const micros = new Float64Array(options.publishRequests);
      for (let i = -100; i < options.publishRequests; i++) {
        const started = performance.now();
        const response = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${host.adminToken}` }, body: `{"n":${i}}` });
        await response.body.dump();
        if (response.statusCode !== 202) throw new Error(`publish: ${response.statusCode}`);
        if (i >= 0) micros[i] = (performance.now() - started) * 1000;
      }
      const latencyMicros = summarize(micros);
      progress(`queue: publish (${durability}): p50 ${latencyMicros.p50.toFixed(0)} µs`);
      return { durability, latencyMicros };
    } finally {
      await host.close();
    }
  });
}
