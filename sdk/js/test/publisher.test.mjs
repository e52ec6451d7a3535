// send() and sendJson() against a fake publisher import.
import './fake-wit/install.mjs';
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { fake } from './fake-wit/state.mjs';

const { send, sendJson, SendError } = await import('../publisher.js');

beforeEach(() => fake.reset());

test('send() hands the host bytes, string attribute pairs and a delay, and returns the id', () => {
  assert.equal(send('jobs', 'héllo'), 'msg-1');
  assert.equal(send('jobs', Uint8Array.of(1, 2), { attributes: { from: 'http', n: 3 }, delayMs: 500 }), 'msg-2');
  assert.equal(send('jobs', new Uint16Array([1]).buffer, { attributes: [['a', 'b'], ['a', 'c']] }), 'msg-3');
  assert.deepEqual(fake.sent.map(({ body, attributes, delayMs }) => ({ body, attributes, delayMs })), [
    { body: 'héllo', attributes: [], delayMs: 0 },
    { body: '\u0001\u0002', attributes: [['from', 'http'], ['n', '3']], delayMs: 500 },
    { body: '\u0001\u0000', attributes: [['a', 'b'], ['a', 'c']], delayMs: 0 },
  ]);
});

test('a refusal from the host is a SendError with the queue and the host\'s reason', () => {
  fake.refuse = (queue) => `queue "${queue}" is not in publish`;
  assert.throws(() => send('elsewhere', 'x'), (e) => {
    assert.ok(e instanceof SendError && e instanceof Error);
    assert.equal(e.name, 'SendError');
    assert.equal(e.queue, 'elsewhere');
    assert.equal(e.reason, 'queue "elsewhere" is not in publish');
    assert.equal(e.message, 'send to queue "elsewhere" failed: queue "elsewhere" is not in publish');
    return true;
  });
});

test('arguments the ABI cannot carry are errors before the host is called', () => {
  assert.throws(() => send('', 'x'), /queue must be a non-empty string/);
  assert.throws(() => send(42, 'x'), TypeError);
  assert.throws(() => send('q', { a: 1 }), /message body must be a string, Uint8Array or ArrayBuffer.*use sendJson\(\)/);
  assert.throws(() => send('q', 'x', { delayMs: -1 }), /delayMs must be an integer/);
  assert.throws(() => send('q', 'x', { delayMs: 2 ** 32 }), RangeError);
  assert.throws(() => send('q', 'x', { attributes: [['k']] }), /attribute #0 must be a \[name, value\] pair/);
  assert.throws(() => send('q', 'x', { attributes: { k: null } }), /attribute "k": value must be a string/);
  assert.equal(fake.sent.length, 0);
});

test('sendJson() serialises and sets content-type unless given', () => {
  sendJson('signups', { email: 'ada@example.com' });
  sendJson('signups', [1], { attributes: { 'Content-Type': 'application/x.signup+json' }, delayMs: 10 });
  assert.deepEqual(fake.sent[0].attributes, [['content-type', 'application/json']]);
  assert.equal(fake.sent[0].body, '{"email":"ada@example.com"}');
  assert.deepEqual(fake.sent[1].attributes, [['Content-Type', 'application/x.signup+json']]);
  assert.equal(fake.sent[1].delayMs, 10);
  assert.throws(() => sendJson('q', undefined), /not JSON-serializable/);
});
