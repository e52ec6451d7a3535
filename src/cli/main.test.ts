// The real `wasmlet` entry point in a child process: option wiring, env vars, exit codes, the one-line rule.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { sampleFunction, startFakeAdminApi, type FakeAdminApi } from '../../test/support/fake-admin-api.js';

const mainPath = fileURLToPath(new URL('./main.js', import.meta.url));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function wasmlet(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const baseEnv = { ...process.env };
  delete baseEnv.WASMLET_ADMIN_URL;
  delete baseEnv.WASMLET_TOKEN;
  return new Promise((resolve) => {
    execFile(process.execPath, [mainPath, ...args], { env: { ...baseEnv, ...env } }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let api: FakeAdminApi;
const listBody = { functions: [sampleFunction()] };

before(async () => {
  api = await startFakeAdminApi({
    'GET /v1/functions': { body: listBody },
    'POST /v1/functions/hello/invoke': {
      status: 504,
      headers: { 'x-wasmlet-request-id': 'req-7' },
      body: { error: { code: 'timeout', message: 'hello exceeded its deadline of 5000 ms' } },
    },
  });
});
after(() => api.close());

describe('wasmlet (child process)', () => {
  test('--help documents the output and failure rule', async () => {
    const run = await wasmlet(['--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /wasmlet: <message> \(<code>\)/);
    assert.match(run.stdout, /--admin-url <url>/);
  });

  test('global options come from the environment and work after the command', async () => {
    const run = await wasmlet(['list', '--json'], { WASMLET_ADMIN_URL: api.url, WASMLET_TOKEN: 'env-token-0123456789' });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `${JSON.stringify(listBody)}\n`);
    assert.equal(api.requests.at(-1)?.headers.authorization, 'Bearer env-token-0123456789');
  });

  test('--admin-url beats the environment; an empty WASMLET_TOKEN sends no token', async () => {
    const run = await wasmlet(['--admin-url', api.url, 'list'], { WASMLET_ADMIN_URL: 'http://127.0.0.1:1', WASMLET_TOKEN: '' });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^NAME/);
    assert.equal(api.requests.at(-1)?.headers.authorization, undefined);
  });

  test('a failed invocation exits 1 with one stderr line', async () => {
    const run = await wasmlet(['invoke', 'hello', '--data', '{}', '--admin-url', api.url]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, 'wasmlet: hello exceeded its deadline of 5000 ms [request req-7] (timeout)\n');
  });

  test('an unreachable host exits 1 with one stderr line', async () => {
    const run = await wasmlet(['list', '--admin-url', 'http://127.0.0.1:1']);
    assert.equal(run.code, 1);
    assert.equal(run.stderr.split('\n').length, 2);
    assert.match(run.stderr, /^wasmlet: cannot reach the admin API at http:\/\/127\.0\.0\.1:1: .* \(internal\)\n$/);
  });

  test('a wrong command line exits 2: one stderr line, or the error JSON with --json', async () => {
    const human = await wasmlet(['list', '--bogus']);
    assert.equal(human.code, 2);
    assert.equal(human.stderr, "wasmlet: unknown option '--bogus' (bad_request)\n");

    const json = await wasmlet(['--json', 'logs', 'hello', '--limit', 'lots']);
    assert.equal(json.code, 2);
    assert.equal(json.stderr, '');
    assert.equal((JSON.parse(json.stdout) as { error: { code: string } }).error.code, 'bad_request');
  });

  test('new takes only a known language; build of a folder without wasmlet.toml fails in one line', async () => {
    const lang = await wasmlet(['new', 'cobol', '/tmp/never-created']);
    assert.equal(lang.code, 2);
    assert.match(lang.stderr, /^wasmlet: .*'cobol' is invalid.* Allowed choices are c, rust, go, python, js, dotnet\. \(bad_request\)\n$/);

    const build = await wasmlet(['build', fileURLToPath(new URL('.', import.meta.url))]);
    assert.equal(build.code, 1);
    assert.match(build.stderr, /^wasmlet: .* has no wasmlet\.toml; create one with `wasmlet new` \(manifest_missing\)\n$/);
  });

  test('no command at all shows the help and exits 2', async () => {
    const run = await wasmlet([]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^Usage: wasmlet/);
  });
});
