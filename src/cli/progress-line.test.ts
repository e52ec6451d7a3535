import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bufferOutput } from './cli-output.js';
import { progressLine } from './progress-line.js';

test('plain output: a line per step, its running counts at most every 2 s', () => {
  const output = bufferOutput();
  let now = 0;
  const line = progressLine(output, () => now);
  line.update('a · 1 connection · round 1/2 · warm-up');
  line.update('a · 1 connection · round 1/2 · 10 calls');
  now = 500;
  line.update('a · 1 connection · round 1/2 · 20 calls');
  now = 2600;
  line.update('a · 1 connection · round 1/2 · 30 calls');
  line.note('Ctrl-C: stopping');
  line.done();
  assert.equal(
    output.stderr,
    ['[bench   0.0 s] a · 1 connection · round 1/2 · warm-up', '[bench   0.0 s] a · 1 connection · round 1/2 · 10 calls', '[bench   2.6 s] a · 1 connection · round 1/2 · 30 calls', '[bench   2.6 s] Ctrl-C: stopping', ''].join('\n'),
  );
});

test('a terminal: one line redrawn in place, ended once', () => {
  const buffer = bufferOutput();
  const line = progressLine({ ...buffer, out: buffer.out, err: buffer.err, errIsTTY: true }, () => 0);
  line.update('x · 5 calls');
  line.update('x · 6 calls');
  line.done();
  line.done();
  assert.equal(buffer.stderr, '\r\u001b[K[bench   0.0 s] x · 5 calls\r\u001b[K[bench   0.0 s] x · 6 calls\n');
});
