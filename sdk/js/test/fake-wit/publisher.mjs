// Fake `wasmlet:function/publisher@0.1.0` for the native tests. It checks the argument types the
// canonical ABI needs (a wrong one traps in the real component) and throws a refusal the way
// componentize-qjs surfaces `err(reason)`: as an Error whose message is the reason.
import assert from 'node:assert/strict';
import { fake } from './state.mjs';

export function send(queue, message) {
  assert.equal(typeof queue, 'string');
  assert.deepEqual(Object.keys(message).sort(), ['attributes', 'body', 'delayMs']);
  assert.ok(message.body instanceof Uint8Array, 'body is a Uint8Array');
  for (const pair of message.attributes) assert.ok(pair.length === 2 && pair.every((s) => typeof s === 'string'), 'attribute pairs are strings');
  assert.ok(Number.isInteger(message.delayMs) && message.delayMs >= 0, 'delayMs is a u32');
  const reason = fake.refuse(queue);
  if (reason !== undefined) throw new Error(reason);
  const id = `msg-${fake.sent.length + 1}`;
  fake.sent.push({ queue, id, body: new TextDecoder().decode(message.body), attributes: message.attributes, delayMs: message.delayMs });
  return id;
}
