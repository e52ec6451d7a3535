import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvocationLog, maxLinesPerInvocation } from './invocation-log.js';

const bytes = (text: string) => new TextEncoder().encode(text);

test('stdio chunks become whole lines; the tail is flushed at the end', () => {
  const log = new InvocationLog();
  log.write('stdout', bytes('hel'));
  log.write('stdout', bytes('lo\nwor'));
  log.write('stderr', bytes('oops\r\n'));
  const lines = log.finish();
  assert.deepEqual(
    lines.map((l) => [l.stream, l.level, l.message]),
    [
      ['stdout', 'info', 'hello'],
      ['stderr', 'warn', 'oops'],
      ['stdout', 'info', 'wor'],
    ],
  );
});

test('a chatty guest is bounded and told so', () => {
  const log = new InvocationLog();
  for (let i = 0; i < maxLinesPerInvocation + 50; i++) log.add('info', 'log', `line ${i}`);
  const lines = log.finish();
  assert.equal(lines.length, maxLinesPerInvocation + 1);
  assert.match(lines.at(-1)!.message, /50 log lines dropped/);
});

test('finishAndRestart hands over one invocation\'s lines and starts the next with a full budget', () => {
  const log = new InvocationLog();
  for (let i = 0; i < maxLinesPerInvocation + 1; i++) log.add('info', 'log', `first ${i}`);
  log.write('stdout', bytes('tail of the first'));
  const first = log.finishAndRestart();
  assert.equal(first.length, maxLinesPerInvocation + 1);
  assert.equal(log.lines.length, 0);
  log.add('info', 'log', 'second');
  assert.deepEqual(log.finish().map((l) => l.message), ['second']);
  assert.equal(first.at(-1)!.message, '2 log lines dropped (per-invocation limit)');
});
