// Fake `wasmlet:function/outbound-http@0.1.0` for the native tests. It checks the argument types the
// canonical ABI needs (a wrong one traps in the real component) and throws `err(http-error)` the
// way componentize-qjs surfaces it: an Error whose `payload` is the http-error record.
import assert from 'node:assert/strict';
import { fake } from './state.mjs';

export function send(request) {
  assert.deepEqual(Object.keys(request).sort(), ['body', 'headers', 'method', 'url']);
  assert.equal(typeof request.method, 'string');
  assert.equal(typeof request.url, 'string');
  assert.ok(request.body instanceof Uint8Array, 'body is a Uint8Array');
  for (const pair of request.headers) assert.ok(pair.length === 2 && pair.every((s) => typeof s === 'string'), 'header pairs are strings');
  fake.requests.push({ ...request, body: new TextDecoder().decode(request.body) });
  const answer = fake.answer(request);
  if (answer.error) throw Object.assign(new Error('[object Object] (see error.payload)'), { payload: answer.error });
  return answer;
}
