// Scenario 9: PutObject and GetObject through the S3 endpoint against the same bytes written and read with fs.
// One host (its real S3 listener on loopback), the SigV4-signing client of `wasmlet objects` (undici), one request at a
// time. Baselines in the same run, blocks alternating: fs.writeFile / fs.readFile of a file per op, and the durable
// write the store itself does (write, fsync, rename, fsync the folder). Every put writes different bytes, so the
// store's content dedup never skips a write.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startCpuWatch, type CpuShare } from '../../src/benchmark/cpu-watch.js';
import { progress } from '../progress.js';
import { summarize, type Summary } from '../../src/benchmark/stats.js';

export interface ObjectBenchOptions {
  /** Object sizes, bytes. */
  readonly sizes: readonly number[];
  /** Operations per block for each size (small objects need many to time well, big ones few). */
  readonly opsPerBlock: readonly number[];
  /** Blocks per side; the sides alternate block by block. */
  readonly blocks: number;
  readonly workDir: string;
}

export type ObjectTarget = 'S3 endpoint' | 'fs' | 'fs durable';

export interface ObjectRow {
  readonly size: number;
  readonly operation: 'put' | 'get';
  readonly target: ObjectTarget;
  readonly ops: number;
  readonly opsPerSecond: number;
  readonly megabytesPerSecond: number;
  /** Per operation, ms. */
  readonly latencyMs: Summary;
}

export interface ObjectBenchResult {
  readonly rows: readonly ObjectRow[];
  readonly cpu: CpuShare;
}

const MiB = 1024 * 1024;

export async function measureObjects(options: ObjectBenchOptions): Promise<ObjectBenchResult> {
  const { startHost } = await import('../../src/host/start-host.js');
  const { S3Client } = await import('../../src/client/s3-client.js');
  const token = randomBytes(16).toString('hex');
  const host = await startHost({ host: '127.0.0.1', port: 0, adminPort: 0, s3Port: 0, dataDir: join(options.workDir, 'host'), token, workers: 1, deployExamples: false, log: () => undefined });
  const s3 = new S3Client({ url: host.urls.s3!, token });
  const fsDir = join(options.workDir, 'fs');
  await mkdir(fsDir, { recursive: true });
  const rows: ObjectRow[] = [];
  const watch = startCpuWatch();
  try {
    await s3.createBucket('bench');
    for (const [i, size] of options.sizes.entries()) {
      const ops = options.opsPerBlock[i]!;
      progress(`objects: ${label(size)}, ${options.blocks} blocks of ${ops} operations per side`);
      // Distinct bytes for every put: one random buffer per op slot, stamped with a counter.
      const bodies = Array.from({ length: ops }, () => randomBytes(size));
      let stamp = 0;
      const body = (slot: number) => {
        const b = bodies[slot]!;
        b.writeUInt32BE(stamp++ >>> 0, 0);
        return b;
      };
      const samples = new Map<string, number[]>();
      const record = (key: string, ms: number) => void (samples.get(key) ?? samples.set(key, []).get(key)!).push(ms);
      const timed = async (key: string, run: () => Promise<unknown>) => {
        const started = performance.now();
        await run();
        record(key, performance.now() - started);
      };
      const sides: Array<[string, (slot: number) => Promise<void>]> = [
        ['put|S3 endpoint', async (slot) => void (await s3.putObject('bench', `o/${size}/${slot}`, body(slot)))],
        ['put|fs', (slot) => writeFile(join(fsDir, `${size}-${slot}`), body(slot))],
        ['put|fs durable', (slot) => durableWrite(fsDir, `${size}-${slot}`, body(slot))],
        ['get|S3 endpoint', async (slot) => {
          const object = await s3.getObject('bench', `o/${size}/${slot}`);
          for await (const _ of object.body) {
            // drained
          }
        }],
        ['get|fs', async (slot) => void (await readFile(join(fsDir, `${size}-${slot}`)))],
      ];
      // A warm-up block of each, unrecorded: connections, JIT, the page cache.
      for (const [, run] of sides) for (let slot = 0; slot < ops; slot++) await run(slot);
      for (let block = 0; block < options.blocks; block++) {
        for (const [key, run] of sides) for (let slot = 0; slot < ops; slot++) await timed(key, () => run(slot));
      }
      for (const [key, values] of samples) {
        const [operation, target] = key.split('|') as ['put' | 'get', ObjectTarget];
        const seconds = values.reduce((sum, v) => sum + v, 0) / 1000;
        rows.push({ size, operation, target, ops: values.length, opsPerSecond: values.length / seconds, megabytesPerSecond: (values.length * size) / MiB / seconds, latencyMs: summarize(values) });
      }
    }
    return { rows, cpu: watch.stop() };
  } finally {
    await s3.close();
    await host.close();
    await rm(fsDir, { recursive: true, force: true });
  }
}

/** What the store does for every write before its commit: the bytes synced, renamed into place, the folder synced. */
async function durableWrite(dir: string, name: string, bytes: Uint8Array): Promise<void> {
  const temporary = join(dir, `${name}.tmp`);
  const file = await open(temporary, 'w');
  try {
    await file.writeFile(bytes);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, join(dir, name));
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

export function label(size: number): string {
  return size >= MiB ? `${size / MiB} MiB` : `${size / 1024} KiB`;
}
