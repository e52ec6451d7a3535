import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvocationLog, maxLineBytes, maxLinesPerInvocation } from './invocation-log.js';
import { Redactor } from './log-redaction.js';

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

test('with a redactor, every line is masked before it is cut or kept, on every stream', () => {
  const secret = 'Qm7f2Kp9Zt4Lr8Wn';
  const log = new InvocationLog(new Redactor([secret]));
  log.add('info', 'log', `key=${secret}, again ${secret}`);
  log.add('error', 'host', `${'x'.repeat(maxLineBytes - 4)}${secret}`); // the cut would fall inside the value
  log.write('stderr', bytes(`err ${secret}\n`));
  assert.deepEqual(
    log.finish().map((l) => l.message),
    ['key=[redacted], again [redacted]', `${'x'.repeat(maxLineBytes - 4)}[red…[cut]`, 'err [redacted]'],
  );
  assert.equal(log.redact(`a ${secret} b`), 'a [redacted] b');
});

test('a value split across writes, inside a line longer than the cut, or in a multi-byte character, is still masked', () => {
  const secret = 'sécret-Zt4Lr8Wn';
  const log = new InvocationLog(new Redactor([secret]));
  const encoded = bytes(secret);
  // Past the cut after the second piece: without the hold-back, 'sécret-' would leave as a line of its own.
  log.write('stdout', bytes('x'.repeat(maxLineBytes - 5)));
  log.write('stdout', encoded.subarray(0, 2)); // ends inside "é"
  log.write('stdout', encoded.subarray(2, 8));
  log.write('stdout', encoded.subarray(8));
  log.write('stdout', bytes(' end\n'));
  const text = log.finish().map((l) => l.message).join('\n');
  for (const piece of ['sécr', 'ret-', 'Lr8Wn', '\ufffd']) assert.ok(!text.includes(piece), `${piece} in the log`);
  assert.ok(text.includes('[reda'), text.slice(-40)); // the mask, itself cut at maxLineBytes
});

test('without a redactor, an overlong partial line is emitted as soon as it passes the cut (no hold-back)', () => {
  const log = new InvocationLog();
  log.write('stdout', bytes('y'.repeat(maxLineBytes + 1)));
  assert.equal(log.lines.length, 1);
});
