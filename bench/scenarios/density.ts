// Scenario 5: density. One host, N small functions: the C hello deployed N times under N names and
// routes (the content store dedupes the component and the artifact store caches its WIT, so no
// toolchain runs after the first deploy; only the registry's per-function files and the route table grow).
// Measures each deploy (POST -> admin answered), then calls randomly chosen functions over HTTP,
// each for the first time, then once more (the warm call is the baseline in the same run), and
// the bench process's RSS (the host runs in it, workers included) before and after.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { request } from 'undici';
import type { Example } from '../examples.js';
import { progress } from '../progress.js';
import { summarize, type Summary } from '../../src/benchmark/stats.js';

export interface DensityOptions {
  /** Functions deployed. */
  readonly functions: number;
  /** Functions called (each first cold, then warm), chosen at random without repetition. */
  readonly calls: number;
}

export interface DensityResult {
  readonly example: string;
  readonly functions: number;
  /** Deploys that did not answer 2xx (the others' numbers are then suspect). */
  readonly failedDeploys: number;
  readonly firstFailure: string | undefined;
  readonly deploySeconds: number;
  /** POST -> admin answered, ms, over all deploys. */
  readonly deployMs: Summary;
  /** The first and last tenth of the deploys: a growing gap means a deploy's cost grows with the registry. */
  readonly deployMsFirstTenth: Summary;
  readonly deployMsLastTenth: Summary;
  /** Bytes of the registry's per-function files (`<data-dir>/functions/*.json`) at the end, all together. */
  readonly registryBytes: number | undefined;
  readonly registryFiles: number | undefined;
  /** First request to a function, ms (status 200 only). */
  readonly firstCallMs: Summary;
  /** The same functions' second request, ms: what the first call adds is the difference. */
  readonly secondCallMs: Summary;
  readonly failedCalls: number;
  /** RSS of the bench process (host + workers), MiB. */
  readonly rssMiB: { readonly before: number; readonly afterDeploys: number; readonly afterCalls: number };
  readonly heapUsedMiB: { readonly before: number; readonly afterDeploys: number; readonly afterCalls: number };
}

/** Progress lines during the deploys: ten of them, whatever N is. */
const progressLines = 10;
const mebibyte = 1024 * 1024;

export async function measureDensity(
  urls: { http: string; admin: string; token: string },
  dataDir: string,
  example: Example,
  options: DensityOptions,
): Promise<DensityResult> {
  const before = memory();
  const deployMs = new Float64Array(options.functions);
  let failedDeploys = 0;
  let firstFailure: string | undefined;
  const started = performance.now();
  const component = new Uint8Array(await readFile(example.componentPath));
  const encoder = new TextEncoder();
  const progressEvery = Math.max(1, Math.round(options.functions / progressLines));
  for (let i = 0; i < options.functions; i++) {
    const zip = zipSync({ 'wasmlet.toml': encoder.encode(manifestOf(example, i)), [example.componentFile]: component });
    const t0 = performance.now();
    const posted = await request(`${urls.admin}/v1/functions`, { method: 'POST', body: zip, headers: { 'content-type': 'application/zip', authorization: `Bearer ${urls.token}` } });
    const body = await posted.body.text();
    deployMs[i] = performance.now() - t0;
    if (posted.statusCode >= 300) {
      failedDeploys++;
      firstFailure ??= `${posted.statusCode}: ${body.slice(0, 200)}`;
    }
    if ((i + 1) % progressEvery === 0 || i + 1 === options.functions) {
      const elapsed = (performance.now() - started) / 1000;
      progress(`density: ${i + 1}/${options.functions} deployed in ${elapsed.toFixed(0)} s (last ${deployMs[i]!.toFixed(1)} ms), RSS ${(process.memoryUsage().rss / mebibyte).toFixed(0)} MiB`);
    }
  }
  const deploySeconds = (performance.now() - started) / 1000;
  const afterDeploys = memory();
  const tenth = Math.max(1, Math.floor(options.functions / 10));

  const chosen = sample(options.functions, Math.min(options.calls, options.functions));
  progress(`density: calling ${chosen.length} random functions of ${options.functions}, each twice`);
  const first: number[] = [];
  const second: number[] = [];
  let failedCalls = 0;
  for (const index of chosen) {
    for (const into of [first, second]) {
      const t0 = performance.now();
      const response = await request(`${urls.http}${routeOf(index)}?name=bench`);
      await response.body.dump();
      if (response.statusCode === 200) into.push(performance.now() - t0);
      else failedCalls++;
    }
  }
  const afterCalls = memory();
  const registry = await registrySize(join(dataDir, 'functions'));
  return {
    example: example.name,
    functions: options.functions,
    failedDeploys,
    firstFailure,
    deploySeconds,
    deployMs: summarize(deployMs),
    deployMsFirstTenth: summarize(deployMs.subarray(0, tenth)),
    deployMsLastTenth: summarize(deployMs.subarray(options.functions - tenth)),
    registryBytes: registry?.bytes,
    registryFiles: registry?.files,
    firstCallMs: summarize(first),
    secondCallMs: summarize(second),
    failedCalls,
    rssMiB: { before: before.rss, afterDeploys: afterDeploys.rss, afterCalls: afterCalls.rss },
    heapUsedMiB: { before: before.heapUsed, afterDeploys: afterDeploys.heapUsed, afterCalls: afterCalls.heapUsed },
  };
}

/** Total size of the registry's files, or undefined if there is no such directory. */
async function registrySize(dir: string): Promise<{ bytes: number; files: number } | undefined> {
  const files = await readdir(dir).catch(() => undefined);
  if (!files) return undefined;
  let bytes = 0;
  for (const file of files) bytes += await stat(join(dir, file)).then((s) => s.size, () => 0);
  return { bytes, files: files.length };
}

function routeOf(index: number): string {
  return `/density/f${index}`;
}

function manifestOf(example: Example, index: number): string {
  return `name = "density-f${index}"\ncomponent = "${example.componentFile}"\n\n[[http]]\nroute = "${routeOf(index)}"\nmethods = ["GET"]\n`;
}

/** `count` distinct indexes below `n`, in random order (a partial Fisher–Yates shuffle). */
function sample(n: number, count: number): number[] {
  const indexes = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(Math.random() * (n - i));
    [indexes[i], indexes[j]] = [indexes[j]!, indexes[i]!];
  }
  return indexes.slice(0, count);
}

function memory(): { rss: number; heapUsed: number } {
  const { rss, heapUsed } = process.memoryUsage();
  return { rss: rss / mebibyte, heapUsed: heapUsed / mebibyte };
}
