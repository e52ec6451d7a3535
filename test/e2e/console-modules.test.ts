// The console's plain modules (no DOM), bundled from console/ with esbuild as the build does and run in
// Node: the server-sent-events parser the log tail relies on, the chart's scale, the formats, and the
// folder packing that must give the CLI's bytes. (The pages themselves run in Chromium: console-browser.)
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { build } from 'esbuild';
import { packFunction } from '../../src/bundle/pack-function.js';
import { fixtureComponent, repoRoot } from '../support/paths.js';

interface SseModule {
  parseSse(text: string): { events: Array<{ type: string; data: string }>; rest: string };
  readSse(body: ReadableStream<Uint8Array>, onEvent: (event: { type: string; data: string }) => void): Promise<void>;
}
interface FormatModule {
  formatDuration(ms: number): string;
  formatAgo(iso: string, now?: number): string;
  formatMs(ms: number): string;
  formatCount(n: number): string;
}
interface ChartModule {
  niceTop(value: number): number;
}
interface PackModule {
  packFolder(folderName: string, read: (path: string) => Promise<Uint8Array | undefined>): Promise<File>;
}

/** console/<entry> as the browser gets it (one ESM bundle), imported from a data: URL. */
async function load<T>(entry: string): Promise<T> {
  const result = await build({ entryPoints: [join(repoRoot, 'console', entry)], bundle: true, write: false, format: 'esm', platform: 'neutral', jsx: 'automatic', jsxImportSource: 'preact', logLevel: 'silent', mainFields: ['module', 'main'] });
  return (await import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0]!.contents).toString('base64')}`)) as T;
}

describe('console modules', () => {
  let sse: SseModule;
  let format: FormatModule;
  let chart: ChartModule;
  let pack: PackModule;
  let dir: string;

  before(async () => {
    [sse, format, chart, pack] = await Promise.all([load<SseModule>('sse.ts'), load<FormatModule>('format.ts'), load<ChartModule>('components/line-chart.tsx'), load<PackModule>('pack-folder.ts')]);
    dir = await mkdtemp(join(tmpdir(), 'wasmlet-console-modules-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('server-sent events: data lines, event types, comments, CRLF, a partial event kept for the next chunk', () => {
    const { events, rest } = sse.parseSse(': following hello\n\ndata: {"a":1}\n\nevent: dropped\ndata: {"dropped":3}\r\n\r\ndata: one\ndata:two\n\n: heartbeat\n\ndata: {"b"');
    assert.deepEqual(events, [
      { type: 'message', data: '{"a":1}' },
      { type: 'dropped', data: '{"dropped":3}' },
      { type: 'message', data: 'one\ntwo' },
    ]);
    assert.equal(rest, 'data: {"b"');
  });

  test('server-sent events from a stream split anywhere, even inside a UTF-8 character', async () => {
    const text = 'data: {"message":"naïve ☃"}\n\ndata: {"message":"2"}\n\n';
    const bytes = new TextEncoder().encode(text);
    const cuts = [3, 19, 20, 21, bytes.length - 1];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        let from = 0;
        for (const cut of [...cuts, bytes.length]) {
          controller.enqueue(bytes.slice(from, cut));
          from = cut;
        }
        controller.close();
      },
    });
    const seen: string[] = [];
    await sse.readSse(body, (event) => seen.push((JSON.parse(event.data) as { message: string }).message));
    assert.deepEqual(seen, ['naïve ☃', '2']);
  });

  test("the chart's axis tops at round numbers", () => {
    assert.deepEqual([0, 0.3, 1, 1.2, 3, 7, 12, 20, 21, 260].map((v) => chart.niceTop(v)), [1, 0.5, 1, 2, 5, 10, 20, 20, 25, 500]);
  });

  test('durations, ages, latencies and counts read naturally', () => {
    assert.deepEqual([850, 4200, 190_000, 7_500_000, 2 * 86_400_000 + 3_600_000].map(format.formatDuration), ['850 ms', '4.2 s', '3 min 10 s', '2 h 5 min', '2 d 1 h']);
    const now = Date.parse('2026-12-07T12:00:00Z');
    assert.deepEqual(['2026-12-07T11:59:58Z', '2026-12-07T11:59:48Z', '2026-12-07T11:56:50Z', '2026-12-07T09:55:00Z'].map((t) => format.formatAgo(t, now)), ['just now', '12 s ago', '3 min ago', '2 h ago']);
    assert.deepEqual([0, 0.42, 3.14, 120.4].map(format.formatMs), ['0', '0.42 ms', '3.1 ms', '120 ms']);
    assert.deepEqual([0, 0.5, 12, 1234, 56_789, 3_400_000].map(format.formatCount), ['0', '0.5', '12', '1.2k', '57k', '3.4M']);
  });

  test('a folder packed in the page is byte for byte what wasmlet deploy <folder> sends', async () => {
    const folder = join(dir, 'hello');
    await mkdir(join(folder, 'build'), { recursive: true });
    await writeFile(join(folder, 'wasmlet.toml'), 'name = "hello"\ncomponent = "build/hello.wasm"\n\n[[http]]\nroute = "/hello"\n');
    await copyFile(fixtureComponent('echo'), join(folder, 'build', 'hello.wasm'));
    await writeFile(join(folder, 'notes.txt'), 'left out of the bundle');
    const read = async (path: string) => readFile(join(folder, path)).then((b) => new Uint8Array(b), () => undefined);
    const zip = new Uint8Array(await (await pack.packFolder('hello', read)).arrayBuffer());
    const digest = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
    assert.equal(digest(zip), digest(await packFunction(folder)));

    await assert.rejects(pack.packFolder('empty', async () => undefined), /empty has no wasmlet\.toml/);
    const unbuilt = async (path: string) => (path === 'wasmlet.toml' ? new TextEncoder().encode('name = "x"\ncomponent = "x.wasm"\n') : undefined);
    await assert.rejects(pack.packFolder('x', unbuilt), /names component "x\.wasm", but the folder has no such file/);
    const escaping = async (path: string) => (path === 'wasmlet.toml' ? new TextEncoder().encode('name = "x"\ncomponent = "../x.wasm"\n') : undefined);
    await assert.rejects(pack.packFolder('x', escaping), /"component" must name the component file inside the folder/);
  });
});
