import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InvokeResult } from '../../client/api-types.js';
import { invokeFailure } from './invoke-failure.js';

function result(status: number, body: unknown, requestId: string | null = 'req-9'): InvokeResult {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { status, headers: {}, body: new TextEncoder().encode(text), requestId };
}

test('a status below 400 is success', () => {
  assert.equal(invokeFailure('hello', result(200, 'ok')), undefined);
  assert.equal(invokeFailure('hello', result(302, '')), undefined);
});

test("the host's error JSON gives the code, the message and the request id; the body is not output", () => {
  const failure = invokeFailure('hello', result(502, { error: { code: 'guest_trap', message: 'hello trapped: unreachable' } }));
  assert.deepEqual(failure, { code: 'guest_trap', message: 'hello trapped: unreachable [request req-9]', details: undefined, bodyIsOutput: false });
});

test("a function's own error status becomes http_<status>, and its body is still output", () => {
  assert.deepEqual(invokeFailure('hello', result(404, 'no such greeting', null)), {
    code: 'http_404',
    message: 'hello answered with status 404',
    bodyIsOutput: true,
  });
});
