import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WasmletError } from '../errors/wasmlet-error.js';
import { bufferOutput } from './cli-output.js';
import { failureLine, failureOf, reportFailure } from './failure.js';

test('failureLine is one line: wasmlet: <message> (<code>)', () => {
  assert.equal(failureLine({ code: 'manifest_invalid', message: 'bad\n\n  1| x = \n' }), 'wasmlet: bad 1| x = (manifest_invalid)');
});

test('failureOf keeps a WasmletError and turns anything else into internal', () => {
  assert.deepEqual(failureOf(new WasmletError('timeout', 'too slow', { ms: 5 })), { code: 'timeout', message: 'too slow', details: { ms: 5 } });
  assert.deepEqual(failureOf(new TypeError('x is not a function')), { code: 'internal', message: 'x is not a function' });
  assert.deepEqual(failureOf('thrown string'), { code: 'internal', message: 'thrown string' });
});

test('reportFailure writes the stderr line, or with --json the error JSON on stdout only', () => {
  const human = bufferOutput();
  reportFailure(human, false, { code: 'function_not_found', message: 'no function named x' });
  assert.equal(human.stdout, '');
  assert.equal(human.stderr, 'wasmlet: no function named x (function_not_found)\n');

  const json = bufferOutput();
  reportFailure(json, true, { code: 'function_not_found', message: 'no function named x', details: { name: 'x' } });
  assert.equal(json.stderr, '');
  assert.deepEqual(JSON.parse(json.stdout), { error: { code: 'function_not_found', message: 'no function named x', details: { name: 'x' } } });
});
