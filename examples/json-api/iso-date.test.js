// node --test examples/json-api/
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIsoDate } from './iso-date.js';

test('a calendar date spans its whole UTC day', () => {
  const d = parseIsoDate('2026-03-01');
  assert.equal(d.kind, 'date');
  assert.equal(d.canonical, '2026-03-01');
  assert.equal(d.startMs, Date.UTC(2026, 2, 1));
  assert.equal(d.endMs, Date.UTC(2026, 2, 2));
});

test('date-times are normalised to UTC', () => {
  assert.equal(parseIsoDate('2026-03-01T17:30+02:00').canonical, '2026-03-01T15:30:00.000Z');
  assert.equal(parseIsoDate('2026-03-01T17:30:05.123456Z').canonical, '2026-03-01T17:30:05.123Z');
  assert.equal(parseIsoDate('2026-03-01T00:30-01:00').canonical, '2026-03-01T01:30:00.000Z');
});

test('the calendar is checked', () => {
  assert.ok('error' in parseIsoDate('2026-02-29'));
  assert.equal(parseIsoDate('2028-02-29').canonical, '2028-02-29');
  assert.ok('error' in parseIsoDate('2026-13-01'));
  assert.ok('error' in parseIsoDate('2026-04-31'));
  assert.ok('error' in parseIsoDate('2026-04-30T24:00Z'));
  assert.ok('error' in parseIsoDate('2026-04-30T10:00+24:00'));
});

test('years below 100 are not moved to the 1900s', () => {
  assert.equal(parseIsoDate('0099-01-01').startMs, new Date('0099-01-01T00:00:00Z').getTime());
});

test('a date-time needs a zone, and other formats are refused', () => {
  assert.match(parseIsoDate('2026-03-01T17:30').error, /time zone/);
  for (const text of ['', 'tomorrow', '2026-3-1', '01/03/2026', '2026-03-01 17:30Z', '20260301']) {
    assert.ok('error' in parseIsoDate(text), text);
  }
});
