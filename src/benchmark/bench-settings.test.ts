import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseVary } from './bench-settings.js';

test('--vary values are typed per key, in the order given', () => {
  assert.deepEqual(parseVary('init_snapshot=false,true'), { key: 'init_snapshot', values: [false, true] });
  assert.deepEqual(parseVary('memory_mb=64,128,256'), { key: 'memory_mb', values: [64, 128, 256] });
  assert.deepEqual(parseVary('instance_reuse=100,1'), { key: 'instance_reuse', values: [100, 1] });
});

test('a wrong --vary names what is wrong', () => {
  assert.throws(() => parseVary('timeout_ms=1,2'), /timeout_ms cannot be varied; the keys are memory_mb, instance_reuse, init_snapshot/);
  assert.throws(() => parseVary('memory_mb=64'), /needs at least two values/);
  assert.throws(() => parseVary('memory_mb=64,0'), /positive integers, got "0"/);
  assert.throws(() => parseVary('init_snapshot=yes,no'), /true and false/);
  assert.throws(() => parseVary('memory_mb=64,64'), /repeated/);
  assert.throws(() => parseVary('memory_mb'), /key=value,value/);
});
