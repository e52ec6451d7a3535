import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleInvocation } from '../../../test/support/fake-admin-api.js';
import { asyncQueuedLine, invocationLines } from './invocation-lines.js';

test('asyncQueuedLine: queued, or the duplicate it is', () => {
  assert.equal(asyncQueuedLine({ invocationId: 'inv-1', duplicate: false, status: '/v1/invocations/inv-1' }), 'queued inv-1');
  assert.equal(asyncQueuedLine({ invocationId: 'inv-1', duplicate: true, status: '/v1/invocations/inv-1' }), 'duplicate of inv-1');
});

test('invocationLines: one field a line, labels aligned, times without milliseconds', () => {
  assert.equal(
    invocationLines(sampleInvocation()),
    [
      'invocation  01JDQ7A4Z3K8M2N5P6R7S8T9V0',
      'function    hello-rust',
      'state       succeeded',
      'attempts    1',
      'status      200',
      'last error  -',
      'created     2026-11-27T19:23:37Z',
      'updated     2026-11-27T19:23:38Z  (1.3 s later)',
      '',
    ].join('\n'),
  );
});

test('a run without an answer has no status; its error is kept on one line', () => {
  const text = invocationLines(sampleInvocation({ state: 'retrying', attempts: 2, status: null, lastError: 'hello trapped:\nunreachable', updatedAt: '2026-11-27T19:23:37.123Z' }));
  assert.match(text, /\nstatus {6}-\n/);
  assert.match(text, /\nlast error {2}hello trapped: unreachable\n/);
  assert.match(text, /\nupdated {5}2026-11-27T19:23:37Z\n$/);
  assert.match(invocationLines(sampleInvocation({ updatedAt: '2026-11-27T19:23:37.163Z' })), /\nupdated {5}2026-11-27T19:23:37Z {2}\(40 ms later\)\n$/);
});
