import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleMessage } from '../../../test/support/fake-admin-api.js';
import { bodyCell, messageLines, oneLine, redriveLine } from './message-lines.js';

test('messageLines: id, state, attempt, the quoted body and the last error, aligned', () => {
  const text = messageLines([
    sampleMessage({ id: 'msg-1', body: 'hello' }),
    sampleMessage({ id: 'msg-22', state: 'delayed', attempt: 3, body: new Uint8Array([0xff, 0, 1]), lastError: 'retry requested\n  after attempt 3 of 3' }),
  ]);
  assert.equal(
    text,
    ['msg-1   visible  attempt 0  "hello"', 'msg-22  delayed  attempt 3  <3 bytes binary>  error: retry requested after attempt 3 of 3', ''].join('\n'),
  );
  assert.equal(messageLines([]), '');
});

test('bodyCell keeps a line one line: escapes, and long text cut with an ellipsis', () => {
  assert.equal(bodyCell(sampleMessage({ body: 'two\nlines' })), '"two\\nlines"');
  assert.equal(bodyCell(sampleMessage({ body: '' })), '""');
  const long = bodyCell(sampleMessage({ body: `${'é'.repeat(59)}🙂tail` }));
  assert.equal(long, `"${'é'.repeat(59)}🙂"…`);
});

test('a long last error is cut', () => {
  const line = messageLines([sampleMessage({ lastError: `boom ${'x'.repeat(500)}` })]);
  assert.ok(line.length < 260, line);
  assert.match(line, /error: boom x+…\n$/);
});

test('redriveLine and oneLine', () => {
  assert.equal(redriveLine({ from: 'jobs-dlq', to: 'jobs', moved: 3 }), 'moved 3 message(s) from jobs-dlq to jobs');
  assert.equal(oneLine('  a\n\tb  '), 'a b');
});
