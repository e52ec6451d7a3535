// Runs the QueueStore conformance suite against SQLite, plus what only a durable store can show: surviving SIGKILL.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ManualClock, runQueueStoreClockConformance, runQueueStoreConformance } from './queue-store.case.js';
import { runQueueStoreRealTimeConformance } from './queue-store-real-time.case.js';
import { SqliteQueueStore } from './sqlite-queue-store.js';
import { crashChild } from './sqlite-crash-child.js';

const dir = mkdtempSync(join(tmpdir(), 'wasmlet-queue-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

runQueueStoreConformance('SqliteQueueStore (synchronous=NORMAL)', async (clock) => new SqliteQueueStore({ path: join(dir, `q${files++}.db`), clock }));
runQueueStoreConformance('SqliteQueueStore (synchronous=FULL)', async (clock) => new SqliteQueueStore({ path: join(dir, `q${files++}.db`), clock, synchronous: 'full' }));
runQueueStoreClockConformance('SqliteQueueStore (synchronous=NORMAL)', async (clock) => new SqliteQueueStore({ path: join(dir, `q${files++}.db`), clock }));
runQueueStoreClockConformance('SqliteQueueStore (synchronous=FULL)', async (clock) => new SqliteQueueStore({ path: join(dir, `q${files++}.db`), clock, synchronous: 'full' }));
runQueueStoreRealTimeConformance('SqliteQueueStore (synchronous=NORMAL)', async () => new SqliteQueueStore({ path: join(dir, `q${files++}.db`) }));

test('SqliteQueueStore: after SIGKILL, every acknowledged send is there and leased messages come back after their timeout', async () => {
  const path = join(dir, 'crash.db');
  const child = spawn(process.execPath, [fileURLToPath(new URL('./sqlite-crash-child.js', import.meta.url)), path], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const sentBatches = new Set<number>();
  const leased: string[] = [];
  const acked: string[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    const [kind, ...rest] = line.split(' ');
    if (kind === 'sent') sentBatches.add(Number(rest[0]));
    if (kind === 'leased') leased.push(...rest);
    if (kind === 'acked') acked.push(...rest);
    // Kill it mid-stream: the child keeps sending batches as fast as it can.
    if (leased.length > 0 && sentBatches.size >= crashChild.batchesBeforeLease + 20) child.kill('SIGKILL');
  }
  assert.equal(await exited, 'SIGKILL');
  assert.equal(leased.length, crashChild.leaseCount);
  assert.equal(acked.length, crashChild.ackCount);

  const clock = new ManualClock(crashChild.startMs);
  const store = new SqliteQueueStore({ path, clock });
  try {
    const all = await store.list(crashChild.queue, { limit: 10_000 });
    const ids = new Set(all.map((m) => m.id));
    assert.equal(ids.size, all.length, 'no duplicates');
    for (const batch of sentBatches) {
      for (let i = 0; i < crashChild.batchSize; i++) {
        const id = crashChild.idOf(batch, i);
        assert.equal(ids.has(id), !acked.includes(id), `acknowledged send ${id} ${acked.includes(id) ? 'was acked' : 'is present'}`);
      }
    }
    // Transactions are atomic: any batch the parent did not hear about is either all there or absent.
    const perBatch = new Map<string, number>();
    for (const m of all) perBatch.set(m.id.split('-')[1]!, (perBatch.get(m.id.split('-')[1]!) ?? 0) + 1);
    for (const [batch, n] of perBatch) if (batch !== '0') assert.equal(n, crashChild.batchSize, `batch ${batch} is whole`);

    const stillLeased = leased.filter((id) => !acked.includes(id));
    assert.deepEqual((await store.stats(crashChild.queue)).inFlight, stillLeased.length);
    const neverLeased = await store.receive(crashChild.queue, { max: 10_000, visibilityTimeoutMs: 3_600_000 });
    assert.equal(neverLeased.length, all.length - stillLeased.length);
    assert.ok(neverLeased.every((m) => m.attempt === 1 && !leased.includes(m.id)), 'the leases taken before the crash still hold');
    clock.advance(crashChild.visibilityTimeoutMs - 1);
    assert.deepEqual(await store.receive(crashChild.queue, { max: 10_000, visibilityTimeoutMs: 1_000 }), []);
    clock.advance(1);
    const redelivered = await store.receive(crashChild.queue, { max: 10_000, visibilityTimeoutMs: 1_000 });
    assert.deepEqual(redelivered.map((m) => m.id), stillLeased, 'redelivered once their timeout passed, in send order');
    assert.ok(redelivered.every((m) => m.attempt === 2));
  } finally {
    await store.close();
  }
});
