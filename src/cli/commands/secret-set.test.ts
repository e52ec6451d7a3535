import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { startFakeAdminApi, type FakeAdminApi, type RecordedRequest } from '../../../test/support/fake-admin-api.js';
import { bufferOutput } from '../cli-output.js';
import type { CommandContext } from '../command-context.js';
import type { SecretInput } from '../read-secret-value.js';
import { secretSetCommand } from './secret-set.js';

let api: FakeAdminApi;

/** Answers like the host: created the first time, redacted unless shorter than 4 characters. */
function put(request: RecordedRequest) {
  const value = new TextDecoder().decode(request.body);
  const created = !api.requests.slice(0, -1).some((r) => r.url === request.url);
  const info = { name: 'STRIPE_KEY', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
  return { status: created ? 201 : 200, body: { secret: info, created, redacted: [...value].length >= 4, minRedactedChars: 4 } };
}

before(async () => {
  api = await startFakeAdminApi({ 'PUT /v1/secrets/STRIPE_KEY': put, 'PUT /v1/secrets/TINY': put });
});
after(() => api.close());

function ctx(json = false): CommandContext & { output: ReturnType<typeof bufferOutput> } {
  return { adminUrl: api.url, json, output: bufferOutput() };
}

/** A terminal that "types" `keys`, recording its raw mode. */
function terminal(keys: string): SecretInput & { modes: boolean[] } {
  const stream = Readable.from([keys]) as unknown as SecretInput & { modes: boolean[] };
  return Object.assign(stream, { isTTY: true, modes: [] as boolean[], setRawMode(mode: boolean) { stream.modes.push(mode); } });
}

describe('secret set', () => {
  test('a piped value is sent as the body, less one trailing newline, and never printed', async () => {
    const context = ctx();
    assert.equal(await secretSetCommand('STRIPE_KEY', context, { input: Readable.from([Buffer.from('sk_live_'), Buffer.from('1234\n')]) }), 0);
    const request = api.requests.at(-1)!;
    assert.equal(new TextDecoder().decode(request.body), 'sk_live_1234');
    assert.equal(context.output.stdout, 'created secret STRIPE_KEY\n');
    assert.ok(!context.output.stderr.includes('sk_live_1234'));
    const again = ctx(true);
    assert.equal(await secretSetCommand('STRIPE_KEY', again, { input: Readable.from(['two\r\nlines\r\n']) }), 0);
    assert.equal(new TextDecoder().decode(api.requests.at(-1)!.body), 'two\r\nlines');
    assert.deepEqual(JSON.parse(again.output.stdout), { secret: { name: 'STRIPE_KEY', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' }, created: false, redacted: true, minRedactedChars: 4 });
  });

  test('a value too short to be masked in logs is stored with a warning', async () => {
    const context = ctx();
    assert.equal(await secretSetCommand('TINY', context, { input: Readable.from(['abc']) }), 0);
    assert.match(context.output.stderr, /warning: TINY is shorter than 4 characters, so it is not masked in function logs/);
  });

  test('an empty stdin is refused before anything is sent', async () => {
    const before = api.requests.length;
    const context = ctx();
    assert.equal(await secretSetCommand('STRIPE_KEY', context, { input: Readable.from(['\n']) }), 1);
    assert.match(context.output.stderr, /no value on stdin for STRIPE_KEY/);
    assert.equal(api.requests.length, before);
  });

  test('at a terminal: a prompt, raw mode (no echo) while typing, backspace honoured, raw mode restored', async () => {
    const context = ctx();
    const input = terminal('sk_livX\u007f_99\r');
    assert.equal(await secretSetCommand('STRIPE_KEY', context, { input }), 0);
    assert.equal(new TextDecoder().decode(api.requests.at(-1)!.body), 'sk_liv_99');
    assert.deepEqual(input.modes, [true, false]);
    assert.equal(context.output.stderr, 'value of STRIPE_KEY (not shown): \n');
    const cancelled = ctx();
    const interrupted = terminal('sk_\u0003');
    assert.equal(await secretSetCommand('STRIPE_KEY', cancelled, { input: interrupted }), 1);
    assert.deepEqual(interrupted.modes, [true, false]);
    assert.match(cancelled.output.stderr, /cancelled/);
  });
});
