import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError } from 'commander';
import { parseKeyValue, parseNonNegativeInteger, parsePort, parsePositiveInteger } from './option-parsers.js';

test('parsePort takes 0 to 65535 written in digits', () => {
  assert.equal(parsePort('0'), 0);
  assert.equal(parsePort('8080'), 8080);
  for (const bad of ['', '-1', '65536', '80.5', '0x50', '1e3', ' 80', 'http']) {
    assert.throws(() => parsePort(bad), InvalidArgumentError, bad);
  }
});

test('parsePositiveInteger refuses 0 and non-integers', () => {
  assert.equal(parsePositiveInteger('12'), 12);
  for (const bad of ['0', '-3', '2.5', 'many']) assert.throws(() => parsePositiveInteger(bad), /expected a positive integer/, bad);
});

test('parseNonNegativeInteger takes 0', () => {
  assert.equal(parseNonNegativeInteger('0'), 0);
  assert.equal(parseNonNegativeInteger('1500'), 1500);
  for (const bad of ['', '-1', '2.5', '1e3', 'soon']) assert.throws(() => parseNonNegativeInteger(bad), /expected a whole number >= 0/, bad);
});

test('parseKeyValue collects pairs, splitting at the first =, and refuses a repeated key', () => {
  const once = parseKeyValue('from=cli');
  assert.deepEqual(parseKeyValue('query=a=b', once), { from: 'cli', query: 'a=b' });
  assert.deepEqual(parseKeyValue('empty='), { empty: '' });
  assert.deepEqual(once, { from: 'cli' }, 'the previous record is not changed');
  for (const bad of ['novalue', '=x', '']) assert.throws(() => parseKeyValue(bad), /expected key=value/, bad);
  assert.throws(() => parseKeyValue('from=again', once), /from is given twice/);
});
