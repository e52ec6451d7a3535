// The export adapters the toolchain wraps a user module in, against fake host imports:
// how returns and throws become the WIT results of each handler.
import './fake-wit/install.mjs';
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { fake } from './fake-wit/state.mjs';

const { exportHttpHandler } = await import('../export-http-handler.js');
const { exportQueueHandler } = await import('../export-queue-handler.js');
const { exportScheduleHandler } = await import('../export-schedule-handler.js');
const { fail, retry, ok, trap, send, text, bodyText } = await import('../index.js');

beforeEach(() => fake.reset());

const messages = ['one', 'two', 'three'].map((body, i) => ({
  id: `m${i}`, body: new TextEncoder().encode(body), attempt: 1, enqueuedAt: 1_700_000_000_000, attributes: [],
}));

/** What the component model does with a throw out of a result-returning export. */
function outcome(fn) {
  try {
    return { ok: fn() };
  } catch (e) {
    return typeof e === 'string' ? { err: e } : { trapped: e };
  }
}

test('handleMessage: nothing is ok, results pass through, a throw retries that message alone', () => {
  const handler = exportQueueHandler({
    handleMessage(message, queue) {
      assert.equal(queue, 'jobs');
      const body = bodyText(message);
      if (body === 'two') throw new Error('flaky');
      if (body === 'three') return fail('no');
      send('out', body);
      return undefined;
    },
  });
  assert.deepEqual(outcome(() => handler.handle('jobs', messages)), {
    ok: [{ tag: 'ok' }, { tag: 'retry', val: null }, { tag: 'fail', val: 'no' }],
  });
  assert.equal(fake.sent.length, 1);
  assert.equal(fake.logs.length, 1);
  assert.equal(fake.logs[0][0], 'error');
  assert.match(fake.logs[0][1], /^message m1 \(attempt 1\) will be retried: Error: flaky/);
});

test('handleMessage: a malformed result is that message\'s error: retried and logged', () => {
  const handler = exportQueueHandler({ handleMessage: () => 'done' });
  assert.deepEqual(outcome(() => handler.handle('jobs', messages.slice(0, 1))).ok, [{ tag: 'retry', val: null }]);
  assert.match(fake.logs[0][1], /handleMessage must give ok\(\), retry/);
});

test('handleBatch: one result per message; a throw or a wrong count is err for the whole batch', () => {
  const results = [ok(), retry(250), undefined];
  assert.deepEqual(outcome(() => exportQueueHandler({ handleBatch: () => results }).handle('q', messages)), {
    ok: [{ tag: 'ok' }, { tag: 'retry', val: 250 }, { tag: 'ok' }],
  });
  assert.deepEqual(outcome(() => exportQueueHandler({ handleBatch: () => { throw 'batch-error requested'; } }).handle('q', messages)), {
    err: 'batch-error requested',
  });
  assert.match(outcome(() => exportQueueHandler({ handleBatch: () => { throw new RangeError('bad'); } }).handle('q', messages)).err, /^RangeError: bad\n/);
  assert.match(outcome(() => exportQueueHandler({ handleBatch: () => [ok()] }).handle('q', messages)).err,
    /^TypeError: handleBatch returned 1 results for 3 messages\n/);
  assert.match(outcome(() => exportQueueHandler({ handleBatch: () => ({}) }).handle('q', messages)).err, /must return an array/);
});

test('trap() escapes every adapter as a non-string, so the component traps', () => {
  const crash = () => trap('state is corrupt');
  for (const call of [
    () => exportQueueHandler({ handleMessage: crash }).handle('q', messages),
    () => exportQueueHandler({ handleBatch: crash }).handle('q', messages),
    () => exportScheduleHandler({ handleSchedule: crash }).handle({ name: 'n', scheduledAt: 0 }),
    () => exportHttpHandler({ handle: crash }).handle({ method: 'GET', path: '/', query: '', headers: [], body: new Uint8Array() }),
  ]) {
    fake.reset();
    const result = outcome(call);
    assert.ok(result.trapped && !(result.trapped instanceof Error), 'thrown value is neither a string nor an Error');
    assert.deepEqual(fake.logs, [['error', 'trap: state is corrupt']]);
  }
});

test('handleSchedule: returning is ok, a throw or a Promise is err', () => {
  const seen = [];
  const handler = exportScheduleHandler({ handleSchedule: (event) => { seen.push(event); } });
  assert.deepEqual(outcome(() => handler.handle({ name: 'nightly', scheduledAt: 1_700_000_000_000 })), { ok: undefined });
  assert.deepEqual(seen, [{ name: 'nightly', scheduledAt: 1_700_000_000_000 }]);
  assert.deepEqual(outcome(() => exportScheduleHandler({ handleSchedule: () => { throw 'failing schedule'; } }).handle({ name: 'x', scheduledAt: 0 })), {
    err: 'failing schedule',
  });
  assert.match(outcome(() => exportScheduleHandler({ handleSchedule: async () => {} }).handle({ name: 'x', scheduledAt: 0 })).err, /returned a Promise/);
});

test('adapters refuse a module without their handler (this fails the build)', () => {
  assert.throws(() => exportQueueHandler({}), /handleMessage\(message, queue\)/);
  assert.throws(() => exportQueueHandler({ handleMessage() {}, handleBatch() {} }), /not both/);
  assert.throws(() => exportScheduleHandler({}), /handleSchedule\(event\)/);
  assert.throws(() => exportHttpHandler({ handleMessage() {} }), /queue and schedule handlers must be named exports/);
});

test('the HTTP adapter still accepts handle, a default function and a default object', () => {
  const request = { method: 'GET', path: '/', query: '', headers: [], body: new Uint8Array() };
  for (const mod of [{ handle: () => 'hi' }, { default: () => 'hi' }, { default: { handle: () => text(200, 'hi') } }]) {
    assert.equal(exportHttpHandler(mod).handle(request).status, 200);
  }
  assert.match(outcome(() => exportHttpHandler({ handle: () => ({ status: 70000 }) }).handle(request)).err, /^RangeError: response status/);
});
