import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redactor, redactorFor } from './log-redaction.js';

test('every occurrence of every term is masked; the longest wins where terms overlap', () => {
  const redactor = new Redactor(['abcd-efgh', 'abcd']);
  assert.equal(redactor.redact('x abcd-efgh y abcd z abcdabcd'), 'x [redacted] y [redacted] z [redacted][redacted]');
  assert.equal(redactor.redact('nothing here'), 'nothing here');
  assert.equal(redactor.longestChars, 9);
});

test('terms are literal text, not patterns', () => {
  const redactor = new Redactor(['a.b*c(d)[e]$^|\\']);
  assert.equal(redactor.redact('axbbbcde'), 'axbbbcde');
  assert.equal(redactor.redact('<a.b*c(d)[e]$^|\\>'), '<[redacted]>');
});

test('no terms, no redactor; the same terms array, the same redactor', () => {
  assert.equal(redactorFor(undefined), undefined);
  assert.equal(redactorFor([]), undefined);
  const terms = ['some-secret'];
  assert.equal(redactorFor(terms), redactorFor(terms));
});
