// The real `wasmlet` entry point in a child process: option wiring, env vars, exit codes, the one-line rule.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { templateLanguages, templateNames } from '../build/create-function.js';
import { buildLanguages } from '../manifest/manifest.js';
import { sampleFunction, sampleInvocation, startFakeAdminApi, type FakeAdminApi } from '../../test/support/fake-admin-api.js';

const mainPath = fileURLToPath(new URL('./main.js', import.meta.url));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** An empty data dir: a `.wasmlet/admin-token` where the tests run (a host started there) is not picked up. */
let emptyDataDir: string;

function wasmlet(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, WASMLET_DATA_DIR: emptyDataDir };
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
  emptyDataDir = await mkdtemp(join(tmpdir(), 'wasmlet-cli-data-'));
  api = await startFakeAdminApi({
    'GET /v1/functions': { body: listBody },
    'POST /v1/functions/hello/invoke': {
      status: 504,
      headers: { 'x-wasmlet-request-id': 'req-7' },
      body: { error: { code: 'timeout', message: 'hello exceeded its deadline of 5000 ms' } },
    },
    'POST /v1/functions/events/invoke': { status: 202, body: { invocationId: 'inv-1', duplicate: false, status: '/v1/invocations/inv-1' } },
    'GET /v1/invocations/inv-1': { body: { invocation: sampleInvocation({ id: 'inv-1' }) } },
    'POST /v1/queues/jobs/messages': { status: 202, body: { queue: 'jobs', ids: ['m-1'] } },
    'POST /v1/queues/jobs-dlq/redrive?to=parked&limit=3': { body: { from: 'jobs-dlq', to: 'parked', moved: 2 } },
  });
});
after(async () => {
  await api.close();
  await rm(emptyDataDir, { recursive: true, force: true });
});

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

  test("without --token, the token a host generated into --data-dir / WASMLET_DATA_DIR is sent; --token wins", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-cli-token-'));
    try {
      await writeFile(join(dataDir, 'admin-token'), 'generated-token-0123456789\n', { mode: 0o600 });
      assert.equal((await wasmlet(['list', '--data-dir', dataDir, '--admin-url', api.url])).code, 0);
      assert.equal(api.requests.at(-1)?.headers.authorization, 'Bearer generated-token-0123456789');
      assert.equal((await wasmlet(['list', '--admin-url', api.url], { WASMLET_DATA_DIR: dataDir })).code, 0);
      assert.equal(api.requests.at(-1)?.headers.authorization, 'Bearer generated-token-0123456789');
      assert.equal((await wasmlet(['list', '--admin-url', api.url], { WASMLET_DATA_DIR: dataDir, WASMLET_TOKEN: 'env-token-0123456789' })).code, 0);
      assert.equal(api.requests.at(-1)?.headers.authorization, 'Bearer env-token-0123456789');
      assert.equal((await wasmlet(['list', '--admin-url', api.url, '--token', 'flag-token-0123456789'], { WASMLET_DATA_DIR: dataDir })).code, 0);
      assert.equal(api.requests.at(-1)?.headers.authorization, 'Bearer flag-token-0123456789');

      // A token file others can read is refused, not sent.
      await chmod(join(dataDir, 'admin-token'), 0o644);
      const sent = api.requests.length;
      const loose = await wasmlet(['list', '--admin-url', api.url], { WASMLET_DATA_DIR: dataDir });
      assert.equal(loose.code, 1);
      assert.match(loose.stderr, /^wasmlet: the admin token .*admin-token is accessible to other users \(mode 0644\); restrict it with: chmod 600 .* \(bad_request\)\n$/);
      assert.equal(api.requests.length, sent);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
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

  test('new takes only a known template; build of a folder without wasmlet.toml fails in one line', async () => {
    const lang = await wasmlet(['new', 'cobol', '/tmp/never-created']);
    assert.equal(lang.code, 2);
    assert.ok(lang.stderr.startsWith('wasmlet: '), lang.stderr);
    assert.ok(lang.stderr.endsWith(`'cobol' is invalid for argument 'template'. Allowed choices are ${templateNames.join(', ')}. (bad_request)\n`), lang.stderr);
    assert.deepEqual(templateNames.slice(0, buildLanguages.length), buildLanguages, 'every language is a template');

    const build = await wasmlet(['build', fileURLToPath(new URL('.', import.meta.url))]);
    assert.equal(build.code, 1);
    assert.match(build.stderr, /^wasmlet: .* has no wasmlet\.toml; create one with `wasmlet new` \(manifest_missing\)\n$/);
  });

  test('new accepts every template, the wasi:http variants included, and its help lists them', async () => {
    const work = await mkdtemp(join(tmpdir(), 'wasmlet-new-main-'));
    try {
      for (const template of ['js-http', 'python-http'] as const) {
        const created = await wasmlet(['new', template, join(work, `my-${template}`)]);
        assert.equal(created.code, 0, created.stderr);
        assert.match(created.stdout, new RegExp(`^created my-${template} \\(${template}, ${templateLanguages[template]}\\) in `));
      }
      const help = await wasmlet(['new', '--help']);
      assert.equal(help.code, 0, help.stderr);
      assert.match(help.stdout, /^Usage: wasmlet new \[options\] <template> <dir>$/m);
      for (const template of templateNames) assert.match(help.stdout, new RegExp(`\\b${template}\\b`), `--help lists ${template}`);
      assert.match(help.stdout, /wasi:http\/proxy/);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  test('invoke --async and invocation are wired to their options', async () => {
    const queued = await wasmlet(['invoke', 'events', '--async', '--idempotency-key', 'order-42', '--data', '{}', '--admin-url', api.url]);
    assert.equal(queued.code, 0, queued.stderr);
    assert.equal(queued.stdout, 'queued inv-1\n');
    assert.equal(api.requests.at(-1)?.headers['idempotency-key'], 'order-42');
    assert.equal(api.requests.at(-1)?.headers['x-wasmlet-invocation-type'], 'Event');

    const record = await wasmlet(['invocation', 'inv-1', '--admin-url', api.url]);
    assert.equal(record.code, 0, record.stderr);
    assert.match(record.stdout, /^invocation {2}inv-1\n.*\nstate {7}succeeded\n/s);
  });

  test('queue send and queue dlq --redrive are wired to their options', async () => {
    const sent = await wasmlet(['queue', 'send', 'jobs', '--data', 'hi', '--attribute', 'a=1', '--attribute', 'b=x=y', '--delay-ms', '0', '--content-type', 'text/plain', '--admin-url', api.url]);
    assert.equal(sent.code, 0, sent.stderr);
    assert.equal(sent.stdout, 'm-1\n');
    assert.deepEqual(JSON.parse(new TextDecoder().decode(api.requests.at(-1)?.body)), {
      messages: [{ body: 'hi', encoding: 'text', attributes: { 'content-type': 'text/plain', a: '1', b: 'x=y' }, delay_ms: 0 }],
    });

    const moved = await wasmlet(['queue', 'dlq', 'jobs-dlq', '--redrive', '--to', 'parked', '--limit', '3', '--admin-url', api.url]);
    assert.equal(moved.code, 0, moved.stderr);
    assert.equal(moved.stdout, 'moved 2 message(s) from jobs-dlq to parked\n');
  });

  test('queue and async options used wrongly are usage errors (exit 2, one line)', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['queue', 'send', 'jobs'], /^wasmlet: give the message with --data, --data-file or --batch-file \(bad_request\)\n$/],
      [['queue', 'send', 'jobs', '--data', 'x', '--batch-file', 'b.jsonl'], /cannot be used with option '--data <text>'/],
      [['queue', 'send', 'jobs', '--data', 'x', '--delay-ms', '-5'], /expected a whole number >= 0/],
      [['queue', 'send', 'jobs', '--data', 'x', '--attribute', 'a=1', '--attribute', 'a=2'], /a is given twice/],
      [['queue', 'dlq', 'jobs-dlq', '--to', 'jobs'], /^wasmlet: --to needs --redrive \(bad_request\)\n$/],
      [['queue', 'peek', 'jobs', '--limit', '0'], /expected a positive integer/],
      [['invoke', 'events', '--idempotency-key', 'k'], /^wasmlet: --idempotency-key needs --async \(bad_request\)\n$/],
      [['serve', '--queue-durability', 'sometimes'], /Allowed choices are normal, full/],
      [['queue'], /^Usage: wasmlet queue/],
    ];
    const requests = api.requests.length;
    for (const [args, stderr] of cases) {
      const run = await wasmlet([...args, '--admin-url', api.url]);
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr, stderr, args.join(' '));
    }
    assert.equal(api.requests.length, requests);
  });

  test('kv commands are wired to their arguments; misuse is a usage error (exit 2, one line, no request)', async () => {
    const kvApi = await startFakeAdminApi({
      'GET /v1/kv/default/keys/a%2Fb': { body: 'value bytes', headers: { 'content-type': 'application/octet-stream' } },
      'PUT /v1/kv/default/keys/k': { status: 201, body: { store: 'default', key: 'k', bytes: 2, created: true } },
    });
    try {
      const got = await wasmlet(['kv', 'get', 'default', 'a/b', '--admin-url', kvApi.url]);
      assert.deepEqual([got.code, got.stdout], [0, 'value bytes']);
      const set = await wasmlet(['kv', 'set', 'default', 'k', 'hi', '--admin-url', kvApi.url]);
      assert.deepEqual([set.code, set.stdout], [0, 'created default/k (2 bytes)\n']);
      const cases: Array<[string[], RegExp]> = [
        [['kv', 'set', 'default', 'k'], /^wasmlet: give the value as an argument or with --data-file \(one of them\) \(bad_request\)\n$/],
        [['kv', 'set', 'default', 'k', 'v', '--data-file', 'f'], /give the value as an argument or with --data-file/],
        [['kv', 'list', '--prefix', 'todo:'], /^wasmlet: --prefix needs a store \(bad_request\)\n$/],
        [['kv', 'get', 'default'], /missing required argument 'key'/],
        [['kv'], /^Usage: wasmlet kv/],
      ];
      const requests = kvApi.requests.length;
      for (const [args, stderr] of cases) {
        const run = await wasmlet([...args, '--admin-url', kvApi.url]);
        assert.equal(run.code, 2, args.join(' '));
        assert.match(run.stderr, stderr, args.join(' '));
      }
      assert.equal(kvApi.requests.length, requests);
    } finally {
      await kvApi.close();
    }
  });

  test('no command at all shows the help and exits 2', async () => {
    const run = await wasmlet([]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^Usage: wasmlet/);
  });
});
