// The observability of `wasmlet serve` as a user meets it: --log-format json writes every host log
// line as a JSON object, --metrics-public serves /metrics to a scraper without the token, and
// `wasmlet logs NAME --follow` prints lines as they are logged until Ctrl-C (exit 0).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { cliPath, runCli, startServe, type ServingHost } from '../support/cli-process.js';
import { fixturesDir, repoRoot } from '../support/paths.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.js';

describe('wasmlet serve --log-format json --metrics-public; wasmlet logs --follow', () => {
  let dataDir: string;
  let host: ServingHost;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-observability-'));
    host = await startServe(['--data-dir', dataDir, '--workers', '2', '--log-format', 'json', '--metrics-public']);
    const deployed = await runCli(['--admin-url', host.urls.admin, '--data-dir', dataDir, 'deploy', join(fixturesDir, 'logger')]);
    assert.equal(deployed.code, 0, deployed.stderr);
  });

  after(async () => {
    await host?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('/metrics answers a scraper without the token and counts the calls', async () => {
    assert.equal((await fetch(`${host.urls.http}/fx/logger`)).status, 200);
    const response = await fetch(`${host.urls.admin}/metrics`);
    assert.equal(response.status, 200);
    const metrics = parsePrometheusText(await response.text());
    assert.ok((sampleValue(metrics, 'wasmlet_invocations_total', { function: 'fx-logger', trigger: 'http', outcome: 'ok' }) ?? 0) >= 1);
    // Only /metrics: the rest of the admin API still needs the token.
    assert.equal((await fetch(`${host.urls.admin}/v1/functions`)).status, 401);
  });

  test('logs --follow prints a line logged while it follows, and Ctrl-C ends it with status 0', async () => {
    const first = (await fetch(`${host.urls.http}/fx/logger`)).headers.get('x-wasmlet-request-id')!;
    const follower = spawn(process.execPath, [cliPath, '--admin-url', host.urls.admin, '--data-dir', dataDir, 'logs', 'fx-logger', '--follow', '--limit', '6'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => follower.once('exit', (code) => resolve(code)));
    const lines = createInterface({ input: follower.stdout! })[Symbol.asyncIterator]();
    const lineWith = async (requestId: string): Promise<string> => {
      for (;;) {
        const next = await lines.next();
        assert.ok(!next.done, 'the follow ended early');
        if (next.value.includes(`[${requestId}]`)) return next.value;
      }
    };
    try {
      // The backlog: the call before it connected. Once printed, the stream is live.
      assert.match(await lineWith(first), / \[[0-9a-f-]{36}\] /);
      const second = (await fetch(`${host.urls.http}/fx/logger`)).headers.get('x-wasmlet-request-id')!;
      assert.notEqual(second, first);
      assert.match(await lineWith(second), /^\d{4}-\d\d-\d\dT[\d:.]+Z (debug|info |warn |error) \[/);
    } finally {
      follower.kill('SIGINT');
    }
    assert.equal(await exited, 0);
  });

  test('every host log line on stderr is a JSON object with time, level and message', async () => {
    const lines = host.stderr().split('\n').filter((line) => line !== '');
    assert.ok(lines.length > 0, 'the host logged something (its token line at least)');
    for (const line of lines) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      assert.match(String(parsed.time), /^\d{4}-\d\d-\d\dT/);
      assert.ok(['debug', 'info', 'warn', 'error'].includes(String(parsed.level)), line);
      assert.equal(typeof parsed.message, 'string');
    }
  });
});
