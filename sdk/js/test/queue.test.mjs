// Queue results and message helpers (pure: no host needed).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attribute, fail, messageResult, ok, retry } from '../queue.js';
import { bodyJson, bodyText } from '../request.js';

const message = {
  id: 'm-1',
  body: new TextEncoder().encode('{"email":"ada@example.com"}'),
  attempt: 2,
  enqueuedAt: 1_700_000_000_000,
  attributes: [['content-type', 'application/json'], ['trace', 'a'], ['trace', 'b']],
};

test('results are the WIT message-result variant', () => {
  assert.deepEqual(ok(), { tag: 'ok' });
  assert.deepEqual(retry(), { tag: 'retry', val: null }); // option none: the trigger's backoff
  assert.deepEqual(retry(0), { tag: 'retry', val: 0 });
  assert.deepEqual(retry(1500), { tag: 'retry', val: 1500 });
  assert.deepEqual(fail('bad address'), { tag: 'fail', val: 'bad address' });
  assert.throws(() => retry(-1), /delayMs must be an integer 0-4294967295/);
  assert.throws(() => retry(1.5), RangeError);
  assert.throws(() => retry(2 ** 32), RangeError);
});

test('what a handler gives for a message is checked and normalised', () => {
  assert.deepEqual(messageResult(undefined, 'h'), { tag: 'ok' });
  assert.deepEqual(messageResult(null, 'h'), { tag: 'ok' });
  assert.deepEqual(messageResult({ tag: 'retry' }, 'h'), { tag: 'retry', val: null });
  assert.deepEqual(messageResult({ tag: 'retry', val: 7 }, 'h'), { tag: 'retry', val: 7 });
  assert.deepEqual(messageResult({ tag: 'fail', val: 'x' }, 'h'), { tag: 'fail', val: 'x' });
  assert.throws(() => messageResult('ok', 'handleBatch'), /handleBatch must give ok\(\), retry\(delayMs\?\), fail\(reason\) or nothing/);
  assert.throws(() => messageResult({ tag: 'fail' }, 'h'), /must give/);
  assert.throws(() => messageResult({ tag: 'retry', val: -3 }, 'h'), RangeError);
  assert.throws(() => messageResult(Promise.resolve(), 'handleMessage'), /handleMessage returned a Promise/);
});

test('attribute() finds the first value by exact name', () => {
  assert.equal(attribute(message, 'content-type'), 'application/json');
  assert.equal(attribute(message, 'trace'), 'a');
  assert.equal(attribute(message, 'Content-Type'), undefined);
});

test('bodyText and bodyJson read a message body too', () => {
  assert.equal(bodyText(message), '{"email":"ada@example.com"}');
  assert.deepEqual(bodyJson(message), { email: 'ada@example.com' });
  const notJson = { ...message, body: new TextEncoder().encode('hello') };
  assert.equal(bodyJson(notJson, null), null);
  assert.throws(() => bodyJson(notJson), /body is not valid JSON/);
});
