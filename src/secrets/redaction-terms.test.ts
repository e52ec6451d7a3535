import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactionTermsOf } from './redaction-terms.js';

test('values of 4 characters or more, longest first, each once; shorter ones are left out', () => {
  assert.deepEqual(redactionTermsOf(['abcd', 'abc', 'sk_live_long', 'abcd', '']), ['sk_live_long', 'abcd']);
  assert.deepEqual(redactionTermsOf(['ab😀']), []); // 3 characters, though 4 UTF-16 units
});

test('a multi-line value also yields each of its lines (trimmed), since stdio is captured line by line', () => {
  const pem = '-----BEGIN KEY-----\r\n  MIIBOgIBAAJBAK\r\nabc\n   \n-----END KEY-----\n';
  assert.deepEqual(redactionTermsOf([pem]), [pem, '-----BEGIN KEY-----', '-----END KEY-----', 'MIIBOgIBAAJBAK']);
});
