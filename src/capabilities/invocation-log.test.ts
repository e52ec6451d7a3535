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
