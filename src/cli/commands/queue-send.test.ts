import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startFakeAdminApi, type FakeAdminApi, type RecordedRequest } from '../../../test/support/fake-admin-api.js';
import { bufferOutput } from '../cli-output.js';
import type { CommandContext } from '../command-context.js';
import { queueSendCommand } from './queue-send.js';

let api: FakeAdminApi;
let dir: string;

/** Answers one id per message sent: m-1, m-2... */
function ids(request: RecordedRequest) {
  const batch = request.headers['content-type'] === 'application/vnd.wasmlet.batch+json';
  const count = batch ? (JSON.parse(new TextDecoder().decode(request.body)) as { messages: unknown[] }).messages.length : 1;
  return { status: 202, body: { queue: 'jobs', ids: Array.from({ length: count }, (_, i) => `m-${i + 1}`) } };
}

before(async () => {
  api = await startFakeAdminApi({ 'POST /v1/queues/jobs/messages': ids });
  dir = await mkdtemp(join(tmpdir(), 'wasmlet-queue-send-'));
});
after(async () => {
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

function ctx(json = false): CommandContext & { output: ReturnType<typeof bufferOutput> } {
  return { adminUrl: api.url, json, output: bufferOutput() };
}

function batchOf(request: RecordedRequest | undefined): unknown {
  assert.equal(request?.headers['content-type'], 'application/vnd.wasmlet.batch+json');
  return JSON.parse(new TextDecoder().decode(request.body));
}

describe('queue send', () => {
  test('--data sends one raw message and prints its id; --json the API body', async () => {
    const c = ctx();
    assert.equal(await queueSendCommand('jobs', { data: 'hello', delayMs: 250, contentType: 'text/plain' }, c), 0, c.output.stderr);
    assert.equal(c.output.stdout, 'm-1\n');
    const request = api.requests.at(-1)!;
    assert.equal(new TextDecoder().decode(request.body), 'hello');
    assert.equal(request.headers['content-type'], 'text/plain');
    assert.equal(request.headers['x-wasmlet-delay-ms'], '250');

    const json = ctx(true);
    assert.equal(await queueSendCommand('jobs', { data: 'hello' }, json), 0);
    assert.deepEqual(JSON.parse(json.output.stdout), { queue: 'jobs', ids: ['m-1'] });
  });

  test('--data-file sends the bytes as they are', async () => {
    const path = join(dir, 'blob.bin');
    await writeFile(path, new Uint8Array([0xff, 0, 7]));
    const c = ctx();
    assert.equal(await queueSendCommand('jobs', { dataFile: path }, c), 0, c.output.stderr);
    assert.deepEqual(api.requests.at(-1)?.body, new Uint8Array([0xff, 0, 7]));
    assert.equal(api.requests.at(-1)?.headers['content-type'], 'application/octet-stream');
  });

  test('--attribute makes it a batch of one, keeping the content type the raw form would give', async () => {
    const c = ctx();
    assert.equal(await queueSendCommand('jobs', { data: 'hi', attribute: { from: 'cli' }, delayMs: 10 }, c), 0, c.output.stderr);
    assert.equal(c.output.stdout, 'm-1\n');
    assert.deepEqual(batchOf(api.requests.at(-1)), {
      messages: [{ body: 'hi', encoding: 'text', attributes: { 'content-type': 'application/octet-stream', from: 'cli' }, delay_ms: 10 }],
    });

    const path = join(dir, 'blob2.bin');
    await writeFile(path, new Uint8Array([0xff]));
    assert.equal(await queueSendCommand('jobs', { dataFile: path, attribute: { from: 'cli' }, contentType: 'image/x-test' }, ctx()), 0);
    assert.deepEqual(batchOf(api.requests.at(-1)), {
      messages: [{ body: '/w==', encoding: 'base64', attributes: { 'content-type': 'image/x-test', from: 'cli' } }],
    });
  });

  test('--batch-file sends one text message per non-blank line, in one request, and prints every id', async () => {
    const path = join(dir, 'batch.jsonl');
    await writeFile(path, '{"n":1}\r\n\n{"n":2}\n   \n{"n":3}');
    const c = ctx();
    const before = api.requests.length;
    assert.equal(await queueSendCommand('jobs', { batchFile: path, attribute: { from: 'cli' }, contentType: 'application/json' }, c), 0, c.output.stderr);
    assert.equal(api.requests.length, before + 1);
    assert.equal(c.output.stdout, 'm-1\nm-2\nm-3\n');
    const attributes = { from: 'cli', 'content-type': 'application/json' };
    assert.deepEqual(batchOf(api.requests.at(-1)), {
      messages: ['{"n":1}', '{"n":2}', '{"n":3}'].map((body) => ({ body, encoding: 'text', attributes })),
    });
  });

  test('an unreadable or empty batch file, no body, or two content types fail in one line before any request', async () => {
    const empty = join(dir, 'empty.jsonl');
    await writeFile(empty, '\n\n');
    const before = api.requests.length;
    const cases: Array<[Parameters<typeof queueSendCommand>[1], RegExp]> = [
      [{ batchFile: join(dir, 'missing.jsonl') }, /^wasmlet: cannot read --batch-file .*missing\.jsonl: .*ENOENT.* \(bad_request\)\n$/],
      [{ batchFile: empty }, /^wasmlet: --batch-file .*empty\.jsonl has no messages \(one body per line\) \(bad_request\)\n$/],
      [{}, /^wasmlet: give the message with exactly one of --data, --data-file or --batch-file \(bad_request\)\n$/],
      [{ data: 'x', batchFile: empty }, /exactly one of/],
      [{ data: 'x', contentType: 'text/plain', attribute: { 'content-type': 'text/html' } }, /either --content-type or --attribute content-type/],
    ];
    for (const [options, message] of cases) {
      const c = ctx();
      assert.equal(await queueSendCommand('jobs', options, c), 1);
      assert.match(c.output.stderr, message);
    }
    assert.equal(api.requests.length, before);
  });

  test("the host's refusal is one line with its code", async () => {
    const refusing = await startFakeAdminApi({
      'POST /v1/queues/wasmlet.async.x/messages': { status: 400, body: { error: { code: 'bad_request', message: 'queue "wasmlet.async.x" belongs to the host' } } },
    });
    try {
      const output = bufferOutput();
      assert.equal(await queueSendCommand('wasmlet.async.x', { data: 'x' }, { adminUrl: refusing.url, json: false, output }), 1);
      assert.equal(output.stderr, 'wasmlet: queue "wasmlet.async.x" belongs to the host (bad_request)\n');
    } finally {
      await refusing.close();
    }
  });
});
