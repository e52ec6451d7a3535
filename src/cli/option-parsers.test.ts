import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidArgumentError } from 'commander';
import { parseKeyValue, parseMebibytes, parseNonNegativeInteger, parsePort, parsePositiveInteger, parseSize } from './option-parsers.js';

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

describe('parseSize and parseMebibytes', () => {
  test('sizes take binary units', () => {
    assert.equal(parseSize('1073741824'), 1073741824);
    assert.equal(parseSize('512M'), 512 * 1024 * 1024);
    assert.equal(parseSize('1.5G'), 1.5 * 1024 ** 3);
    assert.equal(parseSize('2GiB'), 2 * 1024 ** 3);
    assert.throws(() => parseSize('lots'), /512M/);
    assert.throws(() => parseSize('5X'), /512M/);
  });

  test('memory sizes are MiB by default', () => {
    assert.equal(parseMebibytes('4096'), 4096);
    assert.equal(parseMebibytes('8G'), 8192);
    assert.throws(() => parseMebibytes('1K'), /at least 1 MiB/);
  });
});
