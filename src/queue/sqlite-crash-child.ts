// Child process of the SIGKILL test in sqlite-queue-store.test.ts: sends, leases, acks, then sends until killed.
import { argv } from 'node:process';
import { pathToFileURL } from 'node:url';
import { SqliteQueueStore } from './sqlite-queue-store.js';

/** The script's parameters, shared with the parent test. */
export const crashChild = {
  queue: 'crash',
  startMs: 1_700_000_000_000,
  batchSize: 100,
  batchesBeforeLease: 5,
  leaseCount: 50,
  ackCount: 10,
  visibilityTimeoutMs: 30_000,
  idOf: (batch: number, i: number) => `m-${batch}-${i}`,
} as const;

async function main(path: string): Promise<void> {
  // A frozen clock: the parent reopens the file at the same instant and moves time itself.
  const store = new SqliteQueueStore({ path, clock: { now: () => crashChild.startMs } });
  const { queue, batchSize } = crashChild;
  const sendBatch = async (batch: number) => {
    await store.send(queue, Array.from({ length: batchSize }, (_, i) => ({ id: crashChild.idOf(batch, i), body: new TextEncoder().encode(`${batch}:${i}`) })));
    // Written only after the commit returned; stdout on a pipe is synchronous on Linux, so the parent never hears of an uncommitted batch.
    process.stdout.write(`sent ${batch}\n`);
  };
  let batch = 0;
  while (batch < crashChild.batchesBeforeLease) await sendBatch(batch++);
  const leased = await store.receive(queue, { max: crashChild.leaseCount, visibilityTimeoutMs: crashChild.visibilityTimeoutMs });
  process.stdout.write(`leased ${leased.map((m) => m.id).join(' ')}\n`);
  const toAck = leased.slice(0, crashChild.ackCount);
  await store.ack(queue, toAck.map((m) => m.receiptHandle));
  process.stdout.write(`acked ${toAck.map((m) => m.id).join(' ')}\n`);
  for (;;) await sendBatch(batch++); // until SIGKILL
}

if (import.meta.url === pathToFileURL(argv[1] ?? '').href) await main(argv[2] ?? '');
