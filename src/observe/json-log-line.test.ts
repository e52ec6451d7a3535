import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hostLogWriter, jsonLogLine } from './json-log-line.js';

describe('json log lines', () => {
  const at = new Date(Date.UTC(2026, 11, 7, 3, 0, 0));

  test('time, level and message, plus the ids the line has', () => {
    assert.deepEqual(JSON.parse(jsonLogLine('worker replaced', { level: 'warn' }, at, undefined)), { time: '2026-12-07T03:00:00.000Z', level: 'warn', message: 'worker replaced' });
    const full = JSON.parse(jsonLogLine('request failed', { requestId: 'r-1', functionName: 'hello', level: 'error' }, at, 'a'.repeat(32)));
    assert.deepEqual(full, { time: '2026-12-07T03:00:00.000Z', level: 'error', message: 'request failed', requestId: 'r-1', function: 'hello', traceId: 'a'.repeat(32) });
  });

  test('info by default; a message with quotes and newlines stays one line', () => {
    const text = jsonLogLine('say "hi"\nthen go', {}, at, undefined);
    assert.equal(text.includes('\n'), false);
    assert.equal(JSON.parse(text).level, 'info');
    assert.equal(JSON.parse(text).message, 'say "hi"\nthen go');
  });

  test('the writer: json lines, or the plain text as before', () => {
    const written: string[] = [];
    hostLogWriter('json', (t) => written.push(t))('started', { requestId: 'x' });
    hostLogWriter('text', (t) => written.push(t))('started', { requestId: 'x' });
    assert.equal(JSON.parse(written[0]!).requestId, 'x');
    assert.ok(written[0]!.endsWith('}\n'));
    assert.equal(written[1], 'started\n');
  });
});
