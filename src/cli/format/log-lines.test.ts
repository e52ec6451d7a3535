import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logLines } from './log-lines.js';

test('logLines: time level [requestId] message, levels padded', () => {
  const text = logLines([
    { time: '2026-11-27T19:23:37.123Z', requestId: 'r-1', level: 'info', stream: 'log', message: 'started' },
    { time: '2026-11-27T19:23:37.130Z', requestId: 'r-1', level: 'error', stream: 'stderr', message: 'boom' },
  ]);
  assert.equal(text, '2026-11-27T19:23:37.123Z info  [r-1] started\n2026-11-27T19:23:37.130Z error [r-1] boom\n');
  assert.equal(logLines([]), '');
});
