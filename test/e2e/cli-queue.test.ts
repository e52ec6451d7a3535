// End to end as a user works with queues and async invocations: `wasmlet serve` in its own process,
// the C probe (test/fixtures/queue-probe) deployed with a [[queue]] trigger, every step through the CLI.
// The probe fails a message whose body is `fail:<reason>` and reports any other to "probe-out".
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { InvocationBody, PeekBody, QueueStatsBody } from '../../src/client/api-types.js';
import { bundleWith } from '../support/bundles.js';
import { runCli, startServe, type ServingHost } from '../support/cli-process.js';
import { fixtureComponent } from '../support/paths.js';
import { waitFor } from '../support/queue-helpers.js';

const manifest = `name = "probe"
component = "component.wasm"
publish = ["probe-out"]

[[http]]
route = "/probe"

[[queue]]
queue = "jobs"
max_attempts = 2
backoff = { initial_ms = 10, max_ms = 10 }
`;

/** Each CLI run starts a process (a few hundred ms): give the consumer time for several polls. */
const settleTimeoutMs = 30_000;

describe('wasmlet queue and async commands against a served host', () => {
  let dataDir: string;
  let host: ServingHost;
  let admin: string[];

  /** `wasmlet <args> --admin-url ...`, asserting exit 0; its stdout. */
  async function cli(...args: string[]): Promise<string> {
    const run = await runCli([...args, ...admin]);
    assert.equal(run.code, 0, `wasmlet ${args.join(' ')}: ${run.stderr}`);
    assert.equal(run.stderr, '');
    return run.stdout;
  }

  async function cliJson<T>(...args: string[]): Promise<T> {
    return JSON.parse(await cli(...args, '--json')) as T;
  }

  /** The messages of `queue` once there are `count` of them. */
  function messagesOnce(queue: string, count: number): Promise<PeekBody['messages']> {
    return waitFor(
      `${count} message(s) in ${queue}`,
      async () => {
        const { messages } = await cliJson<PeekBody>('queue', 'peek', queue, '--limit', '100');
        return messages.length === count ? messages : undefined;
      },
      settleTimeoutMs,
    );
  }

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-e2e-queue-'));
    // `full` durability: the flag reaches the host (each commit fsyncs; the behaviour is the same).
    host = await startServe(['--data-dir', dataDir, '--workers', '2', '--queue-durability', 'full']);
    // --data-dir: the CLI sends the token this host generated there.
    admin = ['--admin-url', host.urls.admin, '--data-dir', dataDir];
    const zip = join(dataDir, 'probe.zip');
    await writeFile(zip, bundleWith(manifest, fixtureComponent('queue-probe')));
    assert.match(await cli('deploy', zip), /^deployed probe v1 /);
  });

  after(async () => {
    await host.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('queue send (one message and a batch file) reaches the trigger; peek and stats show the result', async () => {
    const one = await cli('queue', 'send', 'jobs', '--data', 'hello');
    assert.match(one, /^\S+\n$/);
    const batchFile = join(dataDir, 'batch.jsonl');
    await writeFile(batchFile, '{"n":1}\n{"n":2}\n');
    const two = (await cli('queue', 'send', 'jobs', '--batch-file', batchFile)).trim().split('\n');
    assert.equal(two.length, 2);
    const ids = [one.trim(), ...two];

    const reports = await messagesOnce('probe-out', 3);
    assert.deepEqual(reports.map((m) => m.text).sort(), [`jobs ${ids[0]} 1 hello`, `jobs ${ids[1]} 1 {"n":1}`, `jobs ${ids[2]} 1 {"n":2}`].sort());

    const lines = (await cli('queue', 'peek', 'probe-out')).trim().split('\n');
    assert.equal(lines.length, 3);
    for (const line of lines) assert.match(line, /^\S+ +visible +attempt 0 +"jobs \S+ 1 .*"$/);
    assert.ok(lines.some((line) => line.endsWith(`"jobs ${ids[0]} 1 hello"`)), lines.join('\n'));

    const settled = await waitFor(
      'jobs to drain',
      async () => {
        const stats = await cliJson<QueueStatsBody>('queue', 'stats', 'jobs');
        return stats.visible + stats.inFlight + stats.delayed === 0 ? stats : undefined;
      },
      settleTimeoutMs,
    );
    assert.equal(settled.consumer, 'probe');
    assert.match(await cli('queue', 'stats', 'jobs'), /^QUEUE +VISIBLE +IN-FLIGHT +DELAYED +OLDEST +CONSUMER\njobs +0 +0 +0 +- +probe\n$/);
    assert.match(await cli('queue', 'stats'), /^QUEUE +VISIBLE +IN-FLIGHT +DELAYED +OLDEST\n(.*\n)*probe-out +3 +0 +0 +\d+ (ms|s)( \d+ s)?\n/);
  });

  test('attributes, a delay and a binary body are kept, as peek shows', async () => {
    await cli('queue', 'send', 'inbox', '--data', 'later', '--attribute', 'from=cli', '--content-type', 'text/plain', '--delay-ms', '600000');
    const blob = join(dataDir, 'blob.bin');
    await writeFile(blob, new Uint8Array([0xff, 0xfe, 0]));
    await cli('queue', 'send', 'inbox', '--data-file', blob);

    const { messages } = await cliJson<PeekBody>('queue', 'peek', 'inbox');
    assert.deepEqual(
      messages.map((m) => [m.state, m.text, m.attributes]),
      [
        ['delayed', 'later', { 'content-type': 'text/plain', from: 'cli' }],
        ['visible', null, { 'content-type': 'application/octet-stream' }],
      ],
    );
    const lines = (await cli('queue', 'peek', 'inbox', '--limit', '2')).trim().split('\n');
    assert.match(lines[0]!, /^\S+ +delayed +attempt 0 +"later"$/);
    assert.match(lines[1]!, /^\S+ +visible +attempt 0 +<3 bytes binary>$/);
  });

  test('a failed message is dead-lettered; dlq lists it and --redrive moves it (to --to, or back to its queue)', async () => {
    await cli('queue', 'send', 'jobs', '--data', 'fail:bad address');
    await cli('queue', 'send', 'jobs', '--data', 'fail:no such user');
    await messagesOnce('jobs-dlq', 2);

    const lines = (await cli('queue', 'dlq', 'jobs-dlq')).trim().split('\n');
    assert.deepEqual(
      lines.map((line) => line.replace(/^\S+ +/, '').replace(/ +/g, ' ')).sort(),
      ['visible attempt 1 "fail:bad address" error: bad address', 'visible attempt 1 "fail:no such user" error: no such user'],
    );

    assert.equal(await cli('queue', 'dlq', 'jobs-dlq', '--redrive', '--to', 'parked', '--limit', '1'), 'moved 1 message(s) from jobs-dlq to parked\n');
    assert.match(await cli('queue', 'stats', 'parked'), /\nparked +1 +0 +0 +\S+( \S+)? +-\n$/);
    assert.equal((await cliJson<PeekBody>('queue', 'peek', 'parked')).messages[0]?.text, 'fail:bad address');

    // Back to jobs with a fresh budget: the probe fails it again, into the DLQ once more.
    assert.equal(await cli('queue', 'dlq', 'jobs-dlq', '--redrive'), 'moved 1 message(s) from jobs-dlq to jobs\n');
    const again = await messagesOnce('jobs-dlq', 1);
    assert.equal(again[0]?.text, 'fail:no such user');

    const orphan = await runCli(['queue', 'dlq', 'parked', '--redrive', ...admin]);
    assert.equal(orphan.code, 1);
    assert.match(orphan.stderr, /^wasmlet: no \[\[queue\]\] or \[\[object_event\]\] trigger names parked as its dead_letter queue.* \(bad_request\)\n$/);
  });

  test('invoke --async is queued at once and reaches succeeded; the same idempotency key is a duplicate', async () => {
    const queued = await cli('invoke', 'probe', '--async', '--idempotency-key', 'order-42', '--data', '{"n":1}');
    const id = /^queued (\S+)\n$/.exec(queued)?.[1];
    assert.ok(id, queued);
    assert.equal(await cli('invoke', 'probe', '--async', '--idempotency-key', 'order-42', '--data', '{"n":1}'), `duplicate of ${id}\n`);

    const record = await waitFor(
      `invocation ${id} to succeed`,
      async () => {
        const { invocation } = await cliJson<InvocationBody>('invocation', id);
        return invocation.state === 'succeeded' ? invocation : undefined;
      },
      settleTimeoutMs,
    );
    assert.deepEqual([record.function, record.attempts, record.status, record.lastError], ['probe', 1, 200, null]);
    const text = await cli('invocation', id);
    assert.match(text, new RegExp(`^invocation {2}${id}\\nfunction {4}probe\\nstate {7}succeeded\\nattempts {4}1\\nstatus {6}200\\nlast error {2}-\\ncreated {5}\\S+Z\\nupdated {5}\\S+Z`));

    const missing = await runCli(['invocation', 'no-such-invocation', ...admin]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^wasmlet: no async invocation no-such-invocation .*\(invocation_not_found\)\n$/);
  });
});
