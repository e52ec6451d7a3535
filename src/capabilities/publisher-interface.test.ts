import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PublishedMessage } from './publisher-interface.js';
import { createPublisherInterface, maxPublishedPerInvocation } from './publisher-interface.js';

const bytes = (s: string) => new TextEncoder().encode(s);

function publisher(allowed: string[]) {
  const outbox: PublishedMessage[] = [];
  return { outbox, send: createPublisherInterface(allowed, outbox)['wasmlet:function/publisher'].send };
}

/** What jco's glue makes of a throw: err(payload). */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    assert.ok(Object.hasOwn(err as object, 'payload'), `a plain Error would trap the guest: ${String(err)}`);
    return (err as { payload: string }).payload;
  }
  assert.fail('send was accepted');
}

test('send buffers a copy of the message and returns its new id', () => {
  const { outbox, send } = publisher(['jobs']);
  const body = bytes('hello');
  const id = send('jobs', { body, attributes: [['k', 'v']], delayMs: 5 });
  body[0] = 0; // the guest reuses its memory: the outbox must not change
  assert.match(id, /^[0-9a-f-]{36}$/);
  assert.equal(outbox.length, 1);
  const [sent] = outbox;
  assert.deepEqual({ queue: sent!.queue, ...sent!.message, body: new TextDecoder().decode(sent!.message.body) }, { queue: 'jobs', id, body: 'hello', attributes: { k: 'v' }, delayMs: 5 });
});

test('a queue outside the publish list is refused as err, naming what is allowed', () => {
  const { outbox, send } = publisher(['jobs']);
  assert.match(refusal(() => send('other', { body: bytes('x'), attributes: [], delayMs: 0 })), /"other" is not in the manifest's publish list \(it lists jobs\)/);
  assert.match(refusal(() => publisher([]).send('jobs', { body: bytes('x'), attributes: [], delayMs: 0 })), /it lists none/);
  assert.equal(outbox.length, 0);
});

test('oversized bodies, repeated attributes and too many messages are refused', () => {
  const { send } = publisher(['jobs']);
  assert.match(refusal(() => send('jobs', { body: new Uint8Array(1024 * 1024 + 1), attributes: [], delayMs: 0 })), /over the 1048576-byte limit/);
  assert.match(refusal(() => send('jobs', { body: bytes('x'), attributes: [['a', '1'], ['a', '2']], delayMs: 0 })), /"a" is given twice/);
  for (let i = 0; i < maxPublishedPerInvocation; i++) send('jobs', { body: bytes('x'), attributes: [], delayMs: 0 });
  assert.match(refusal(() => send('jobs', { body: bytes('x'), attributes: [], delayMs: 0 })), /at most 1000 messages/);
});
