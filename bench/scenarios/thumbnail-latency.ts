// Scenario 11: upload -> thumbnail latency, the seed's example. One in-process host (its S3 endpoint
// and HTTP trigger on loopback) runs examples/thumbnail-on-upload and examples/thumbnail. One upload
// at a time: the clock starts before PutObject of the example's 1024x683 photo (through the S3
// endpoint, signed by the `wasmlet objects` client) and stops when a GET of its PNG in `thumbnails`
// first succeeds (polled every `pollIntervalMs`). In the same run, blocks alternating:
//   PutObject alone  the same upload to a bucket nobody subscribes to (the write the path starts with);
//   POST /thumbnail  the same stb work on the same bytes in a fresh instance, called over HTTP
//                    (examples/thumbnail, box 128x128): the guest's own share, with no event around it.
// What upload -> thumbnail adds to their sum is the event path: the outbox row, the relay into the
// queue, the poller's lease, the guest's read of the object and its write of the PNG.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { startCpuWatch, type CpuShare } from '../../src/benchmark/cpu-watch.js';
import { repoRoot } from '../examples.js';
import { progress } from '../progress.js';
import { summarize, type Summary } from '../../src/benchmark/stats.js';

export interface ThumbnailBenchOptions {
  /** Timed uploads (and as many of each baseline). */
  readonly uploads: number;
  /** Untimed ones first, per side: connections, JIT, the code cache. */
  readonly warmup: number;
  /** Operations of one side in a row before the next side's turn. */
  readonly blockSize: number;
  /** How often the PNG is looked for: the latency's resolution. */
  readonly pollIntervalMs: number;
  readonly workers: number;
  readonly workDir: string;
}

export type ThumbnailTarget = 'upload -> thumbnail' | 'PutObject alone' | 'POST /thumbnail';

export interface ThumbnailRow {
  readonly target: ThumbnailTarget;
  /** Per operation, ms. */
  readonly latencyMs: Summary;
}

export interface ThumbnailBenchResult {
  readonly photo: { readonly bytes: number; readonly width: number; readonly height: number };
  readonly thumbnail: { readonly width: number; readonly height: number };
  readonly rows: readonly ThumbnailRow[];
  /** Operations that did not end as expected (no PNG, a wrong size, an error); the numbers are then suspect. */
  readonly failures: number;
  readonly firstFailure: string | undefined;
  readonly cpu: CpuShare;
}

const examplesDir = join(repoRoot, 'examples');
/** No thumbnail takes this long; past it an upload counts as failed. */
const giveUpMs = 30_000;

export async function measureThumbnail(options: ThumbnailBenchOptions): Promise<ThumbnailBenchResult> {
  // Loaded lazily, as run.ts loads the host: a tree whose host does not build fails this scenario only.
  const { createHost } = await import('../../src/host/start-host.js');
  const { listen } = await import('../../src/host/listen.js');
  const { packFunction } = await import('../../src/bundle/pack-function.js');
  const { S3Client } = await import('../../src/client/s3-client.js');
  const host = await createHost({ host: '127.0.0.1', port: 0, adminPort: 0, dataDir: join(options.workDir, 'host'), workers: options.workers, deployExamples: false, log: (line) => progress(`thumbnail host: ${line}`) });
  const http = await listen(host.httpTrigger, '127.0.0.1', 0);
  const s3Endpoint = await listen(host.s3Listener, '127.0.0.1', 0, { checkContinue: true });
  host.announcePorts(Number(new URL(http.url).port), Number(new URL(s3Endpoint.url).port));
  const s3 = new S3Client({ url: s3Endpoint.url, token: host.adminToken });
  const toHost = new Agent();
  const failures = { count: 0, first: undefined as string | undefined };
  const fail = (message: string) => {
    failures.count++;
    failures.first ??= message;
  };
  try {
    for (const example of ['thumbnail-on-upload', 'thumbnail']) {
      const response = await host.adminApp.request('/v1/functions', {
        method: 'POST',
        body: (await packFunction(join(examplesDir, example))) as Uint8Array<ArrayBuffer>,
        headers: { 'content-type': 'application/zip', authorization: `Bearer ${host.adminToken}` },
      });
      if (response.status !== 201) throw new Error(`deploy of ${example} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    }
    await s3.createBucket('plain');
    const photo = await readFile(join(examplesDir, 'thumbnail-on-upload', 'testdata', 'photo.jpg'));
    // Every upload different bytes (a counter after the JPEG's end, which decoders ignore), so the
    // store's content de-duplication never skips a write.
    let stamp = 0;
    const stamped = () => {
      const bytes = Buffer.alloc(photo.length + 4);
      photo.copy(bytes);
      bytes.writeUInt32BE(stamp++, photo.length);
      return bytes;
    };
    let expected: { width: number; height: number } | undefined;

    const uploadToThumbnail = async (i: number): Promise<number> => {
      const key = `bench/${i}`;
      const started = performance.now();
      await s3.putObject('uploads', `${key}.jpg`, stamped(), 'image/jpeg');
      for (;;) {
        const png = await getIfThere(`${key}.png`);
        if (png) {
          const elapsed = performance.now() - started;
          const size = pngSize(png);
          expected ??= size;
          if (size.width !== expected.width || size.height !== expected.height) fail(`${key}.png is ${size.width}x${size.height}`);
          return elapsed;
        }
        if (performance.now() - started > giveUpMs) {
          fail(`no thumbnail for ${key}.jpg after ${giveUpMs} ms`);
          return performance.now() - started;
        }
        await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs));
      }
    };
    const getIfThere = async (key: string): Promise<Buffer | undefined> => {
      try {
        const { body } = await s3.getObject('thumbnails', key);
        const chunks: Buffer[] = [];
        for await (const chunk of body) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks);
      } catch {
        return undefined; // NoSuchKey: not yet
      }
    };
    const putAlone = async (i: number): Promise<number> => {
      const started = performance.now();
      await s3.putObject('plain', `bench/${i}.jpg`, stamped(), 'image/jpeg');
      return performance.now() - started;
    };
    const renderOverHttp = async (): Promise<number> => {
      const body = stamped();
      const started = performance.now();
      const response = await request(`${http.url}/thumbnail?width=128&height=128`, { method: 'POST', body, dispatcher: toHost });
      const png = Buffer.from(await response.body.arrayBuffer());
      const elapsed = performance.now() - started;
      if (response.statusCode !== 200) fail(`POST /thumbnail answered ${response.statusCode}: ${png.toString().slice(0, 200)}`);
      return elapsed;
    };
    const sides: Array<[ThumbnailTarget, (i: number) => Promise<number>]> = [
      ['upload -> thumbnail', uploadToThumbnail],
      ['PutObject alone', putAlone],
      ['POST /thumbnail', renderOverHttp],
    ];

    progress(`thumbnail: ${options.warmup} warm-up and ${options.uploads} timed operations per side, blocks of ${options.blockSize}, polling every ${options.pollIntervalMs} ms`);
    let next = 0;
    for (const [, run] of sides) for (let i = 0; i < options.warmup; i++) await run(next++);
    const samples = new Map<ThumbnailTarget, number[]>(sides.map(([target]) => [target, []]));
    const watch = startCpuWatch();
    for (let done = 0; done < options.uploads; done += options.blockSize) {
      const block = Math.min(options.blockSize, options.uploads - done);
      for (const [target, run] of sides) for (let i = 0; i < block; i++) samples.get(target)!.push(await run(next++));
    }
    const cpu = watch.stop();
    const jpeg = photoSize(photo);
    return {
      photo: { bytes: photo.length, ...jpeg },
      thumbnail: expected ?? { width: 0, height: 0 },
      rows: sides.map(([target]) => ({ target, latencyMs: summarize(samples.get(target)!) })),
      failures: failures.count,
      firstFailure: failures.first,
      cpu,
    };
  } finally {
    await toHost.close();
    await s3.close();
    await s3Endpoint.close();
    await http.close();
    await host.close();
  }
}

function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** A baseline JPEG's size, from its SOF0 segment. */
function photoSize(jpeg: Buffer): { width: number; height: number } {
  for (let at = 2; at + 9 < jpeg.length; ) {
    const marker = jpeg.readUInt16BE(at);
    if (marker === 0xffc0 || marker === 0xffc2) return { height: jpeg.readUInt16BE(at + 5), width: jpeg.readUInt16BE(at + 7) };
    at += 2 + jpeg.readUInt16BE(at + 2);
  }
  return { width: 0, height: 0 };
}
