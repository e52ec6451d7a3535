// `wasmlet bench <target>` as a user runs it, against real hosts: `wasmlet serve` in its own process
// (a deployed example by name over HTTP; a queue function from a folder, copies deployed and removed)
// and the in-process host of --local (a folder, --vary with two configurations, Ctrl-C). Bounded by
// --requests, so the counts are exact; the JSON's shape and counts are checked, never its timings.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ConfigurationResult, FunctionBenchResult, LevelResult } from '../../src/benchmark/bench-result.js';
import type { ListBody } from '../../src/client/api-types.js';
import { cliPath, runCli, startServe, type ServingHost } from '../support/cli-process.js';
import { examplesDir, fixtureComponent, repoRoot } from '../support/paths.js';

/** Several hosts and deploys per test on a shared 2-core machine. */
const benchTimeoutMs = 120_000;

function assertLevel(level: LevelResult, requests: number, rounds: number): void {
  assert.equal(level.requests, requests, `level ${level.connections}: measured calls`);
  assert.equal(level.histogram.count, requests);
  assert.equal(level.histogram.buckets.reduce((sum, [, count]) => sum + count, 0), requests);
  assert.equal(level.latencyMicros.n, requests);
  assert.equal(Object.values(level.statuses).reduce((a, b) => a + b, 0), requests);
  assert.equal(Object.values(level.outcomes).reduce((a, b) => a + b, 0), requests);
  assert.equal(level.blocks.length, rounds);
  assert.equal(level.blocks.reduce((sum, b) => sum + b.requests, 0), requests);
  assert.ok(level.warmup.requests >= level.connections * rounds, 'each block warms up first, counted apart');
  assert.equal(level.interrupted, false);
  for (const key of ['p50', 'p90', 'p99', 'max'] as const) assert.equal(typeof level.latencyMicros[key], 'number');
}

function assertShape(result: FunctionBenchResult): void {
  assert.equal(result.tool, 'wasmlet bench');
  assert.equal(typeof result.startedAt, 'string');
  assert.equal(result.loadGenerator.process, 'child');
  assert.equal(typeof result.loadGenerator.cpuShare, 'number');
  assert.ok(Array.isArray(result.warnings));
  assert.ok(result.recommendation === null || typeof result.recommendation.text === 'string');
}

/** Levels measured: 1, 2, ... (the second one always runs unless every configuration failed at 1). */
function connectionsOf(config: ConfigurationResult): number[] {
  return config.levels.map((l) => l.connections);
}

describe('wasmlet bench <target>', () => {
  let workDir: string;
  let host: ServingHost;
  let remote: string[];

  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'wasmlet-e2e-bench-'));
    const dataDir = join(workDir, 'data');
    host = await startServe(['--data-dir', dataDir, '--workers', '2']);
    remote = ['--admin-url', host.urls.admin, '--data-dir', dataDir, '--http-url', host.urls.http, '--out', join(workDir, 'results')];
    const deployed = await runCli(['deploy', join(examplesDir, 'hello-rust'), ...remote.slice(0, 4)]);
    assert.equal(deployed.code, 0, deployed.stderr);
  });

  after(async () => {
    await host.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  async function functionNames(): Promise<string[]> {
    const list = await runCli(['list', '--json', ...remote.slice(0, 4)]);
    assert.equal(list.code, 0, list.stderr);
    return (JSON.parse(list.stdout) as ListBody).functions.map((f) => f.name);
  }

  test('a deployed HTTP function by name: first call, then levels 1 and 2 with every call counted', { timeout: benchTimeoutMs }, async () => {
    const run = await runCli(['bench', 'hello-rust', '--requests', '12', '--connections', '2', '--json', ...remote], {}, benchTimeoutMs);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as FunctionBenchResult;
    assertShape(result);
    assert.deepEqual(result.target, { kind: 'deployed', name: 'hello-rust', path: null, local: false, adminUrl: host.urls.admin });
    assert.deepEqual(result.trigger, { kind: 'http', method: 'GET', path: '/hello/rust', headers: [], bodyBytes: 0 });
    assert.deepEqual(result.bounds, { durationSeconds: null, requests: 12, maxConnections: 2, rounds: 2 });
    assert.equal(result.hostMetrics, 'admin /metrics', "the host's CPU and memory come from GET /metrics");
    const [config] = result.configurations;
    assert.equal(result.configurations.length, 1);
    assert.equal(config!.temporary, false);
    assert.deepEqual(config!.cold && { afterDeploy: config!.cold.afterDeploy, status: config!.cold.status, outcome: config!.cold.outcome }, { afterDeploy: false, status: '200', outcome: 'ok' });
    assert.deepEqual(connectionsOf(config!), [1, 2]);
    for (const level of config!.levels) {
      assertLevel(level, 12, 2);
      assert.deepEqual(level.statuses, { '200': 12 });
      assert.deepEqual(level.outcomes, { ok: 12 });
      assert.equal(typeof level.hostCpuMicrosPerRequest, 'number');
      assert.equal(typeof level.hostRssBytes, 'number');
    }
    assert.match(run.stderr, /hello-rust \(deployed v1\) · 2 connections · round 2\/2/, 'a progress line per block');
    // The chart and the JSON were written too.
    const files = await readdir(join(workDir, 'results'));
    assert.ok(files.some((f) => f.startsWith('hello-rust-') && f.endsWith('.svg')));
    assert.deepEqual(await functionNames(), ['hello-rust']);
  });

  test('a queue function from a folder: a copy under a temporary name consumes its own queue, dead letters counted, then removed', { timeout: benchTimeoutMs }, async () => {
    const folder = join(workDir, 'probe');
    await mkdir(folder);
    await copyFile(fixtureComponent('queue-probe'), join(folder, 'queue-probe.wasm'));
    await writeFile(
      join(folder, 'wasmlet.toml'),
      'name = "probe"\ncomponent = "queue-probe.wasm"\npublish = ["probe-out"]\n\n[[http]]\nroute = "/probe"\n\n[[queue]]\nqueue = "jobs"\nmax_attempts = 1\n',
    );
    const ok = await runCli(['bench', folder, '--queue', '--body', 'hello', '--requests', '6', '--connections', '2', '--json', ...remote], {}, benchTimeoutMs);
    assert.equal(ok.code, 0, ok.stderr);
    const result = JSON.parse(ok.stdout) as FunctionBenchResult;
    assertShape(result);
    assert.equal(result.target.kind, 'folder');
    assert.equal(result.trigger.kind, 'queue');
    const [config] = result.configurations;
    assert.equal(config!.temporary, true);
    assert.match(config!.function, /^probe-bench-[0-9a-f]{4}-0$/);
    assert.equal(result.trigger.kind === 'queue' && result.trigger.queue, `${config!.function}.jobs`);
    assert.deepEqual(config!.cold && [config!.cold.afterDeploy, config!.cold.outcome], [true, 'ok']);
    for (const level of config!.levels) {
      assertLevel(level, 6, 2);
      assert.deepEqual(level.outcomes, { ok: 6 });
    }
    // A message the probe fails (max_attempts = 1) ends in the copy's dead-letter queue: an error by outcome.
    const failing = await runCli(['bench', folder, '--queue', '--body', 'fail:benched', '--requests', '4', '--connections', '1', '--rounds', '1', '--json', ...remote], {}, benchTimeoutMs);
    assert.equal(failing.code, 0, failing.stderr);
    const failed = JSON.parse(failing.stdout) as FunctionBenchResult;
    const [level] = failed.configurations[0]!.levels;
    assertLevel(level!, 4, 1);
    assert.deepEqual(level!.outcomes, { dead_lettered: 4 });
    assert.equal(level!.saturated, true, 'failing calls end the rise');
    assert.ok(failed.warnings.some((w) => /4 of 4 calls failed \(4 dead_lettered\)/.test(w)), failed.warnings.join('\n'));
    assert.deepEqual(await functionNames(), ['hello-rust'], 'the temporary copies are gone');
  });

  test('a folder with --local: an in-process host, deployed under a temporary name, host CPU and memory measured', { timeout: benchTimeoutMs }, async () => {
    const run = await runCli(['bench', 'examples/hello-c', '--local', '--workers', '2', '--requests', '10', '--connections', '2', '--json', '--out', join(workDir, 'local')], {}, benchTimeoutMs);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as FunctionBenchResult;
    assertShape(result);
    assert.deepEqual(result.target, { kind: 'folder', name: 'hello-c', path: 'examples/hello-c', local: true, adminUrl: 'in-process' });
    assert.equal(result.hostMetrics, 'in-process');
    const [config] = result.configurations;
    assert.deepEqual(config!.settings, { memory_mb: 128, instance_reuse: 1, init_snapshot: false });
    assert.deepEqual(config!.cold && [config!.cold.afterDeploy, config!.cold.status], [true, '200']);
    assert.deepEqual(connectionsOf(config!), [1, 2]);
    for (const level of config!.levels) {
      assertLevel(level, 10, 2);
      assert.equal(typeof level.hostCpuMicrosPerRequest, 'number');
      assert.equal(typeof level.hostRssBytes, 'number');
    }
  });

  test('--invoke: direct invocations through the admin API, counted the same way', { timeout: benchTimeoutMs }, async () => {
    const run = await runCli(['bench', 'examples/hello-c', '--local', '--workers', '2', '--invoke', '--body', '{"name":"ada"}', '--requests', '4', '--connections', '1', '--rounds', '1', '--json', '--out', join(workDir, 'invoke')], {}, benchTimeoutMs);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as FunctionBenchResult;
    assert.deepEqual(result.trigger, { kind: 'invoke', bodyBytes: 14 });
    const [level] = result.configurations[0]!.levels;
    assertLevel(level!, 4, 1);
    assert.deepEqual(level!.outcomes, { ok: 4 });
  });

  test('--vary with two configurations: copies measured in alternating rounds, a recommendation naming one', { timeout: benchTimeoutMs }, async () => {
    const run = await runCli(['bench', 'examples/hello-c', '--local', '--workers', '2', '--vary', 'instance_reuse=1,2', '--requests', '8', '--connections', '2', '--json', '--out', join(workDir, 'vary')], {}, benchTimeoutMs);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as FunctionBenchResult;
    assertShape(result);
    assert.deepEqual(result.vary, { key: 'instance_reuse', values: [1, 2] });
    assert.deepEqual(result.configurations.map((c) => [c.label, c.baseline, c.temporary, c.settings.instance_reuse]), [
      ['instance_reuse = 1', true, true, 1],
      ['instance_reuse = 2', false, true, 2],
    ]);
    // instance_reuse does not change the compiled code: the second copy's first call finds it compiled.
    assert.deepEqual(result.configurations.map((c) => c.cold?.sharesCodeWith), [null, 'instance_reuse = 1']);
    for (const config of result.configurations) {
      assert.equal(config.cold?.afterDeploy, true);
      assert.ok(config.levels.length >= 1);
      for (const level of config.levels) {
        assertLevel(level, 8, 2);
        assert.deepEqual(level.outcomes, { ok: 8 });
      }
    }
    assert.ok(result.recommendation && ['instance_reuse = 1', 'instance_reuse = 2'].includes(result.recommendation.configuration));
    // The text form has the same figures: run it once more, small.
    const text = await runCli(['bench', 'examples/hello-c', '--local', '--workers', '2', '--vary', 'instance_reuse=1,2', '--requests', '4', '--connections', '1', '--out', join(workDir, 'vary')], {}, benchTimeoutMs);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^instance_reuse = 1 +1 +4 /m);
    assert.match(text.stdout, /^recommendation: /m);
    assert.match(text.stdout, /^chart: .*\.svg$/m);
  });

  test('target options without a target, suite options with one: usage errors, nothing run', async () => {
    const orphan = await runCli(['bench', '--vary', 'memory_mb=64,128']);
    assert.equal(orphan.code, 2);
    assert.match(orphan.stderr, /^wasmlet: --vary needs a target: wasmlet bench <name\|folder\|zip> --vary \.\.\. \(bad_request\)\n$/);
    const mixed = await runCli(['bench', 'examples/hello-c', '--quick']);
    assert.equal(mixed.code, 2);
    assert.match(mixed.stderr, /--only, --quick and --previous are options of the suite/);
    const previous = await runCli(['bench', 'examples/hello-c', '--previous', 'old.json']);
    assert.equal(previous.code, 2);
    assert.match(previous.stderr, /--only, --quick and --previous are options of the suite/);
  });

  test('Ctrl-C prints what was measured so far and exits 130', { timeout: benchTimeoutMs }, async () => {
    const child = spawn(process.execPath, [cliPath, 'bench', 'examples/hello-c', '--local', '--workers', '2', '--duration', '600', '--connections', '1', '--json', '--out', join(workDir, 'sigint')], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const measuring = new Promise<void>((resolve) =>
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        // A running block has reported counts: the measured part has started.
        if (/1 connection · round 1\/2 · \d+ calls/.test(stderr)) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // A bench that ends before it measured anything fails here, with what it said.
    await Promise.race([measuring, exited.then((code) => assert.fail(`wasmlet bench exited (${code}) before measuring:\n${stderr}`))]);
    child.kill('SIGINT');
    assert.equal(await exited, 130, stderr);
    const result = JSON.parse(stdout) as FunctionBenchResult;
    assertShape(result);
    assert.equal(result.interrupted, true);
    assert.ok(result.warnings.some((w) => w.startsWith('interrupted')));
    const [level] = result.configurations[0]!.levels;
    assert.equal(level!.connections, 1);
    assert.equal(level!.interrupted, true);
    assert.ok(level!.requests > 0, 'the calls measured before Ctrl-C are reported');
    assert.equal(level!.histogram.count, level!.requests);
    assert.match(stderr, /Ctrl-C: stopping/);
  });
});
