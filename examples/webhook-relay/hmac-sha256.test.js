// The hand-written HMAC-SHA256 against node:crypto, on the lengths where padding changes.
import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { hmacSha256, sha256, toHex } from './hmac-sha256.js';

test('sha256 matches node:crypto around every padding boundary', () => {
  for (const n of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 70_000]) {
    const data = randomBytes(n);
    assert.equal(toHex(sha256(data)), createHash('sha256').update(data).digest('hex'), `${n} bytes`);
  }
  assert.equal(toHex(sha256(new TextEncoder().encode('abc'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('hmacSha256 matches node:crypto for short, block-sized and long keys', () => {
  for (const keyBytes of [0, 5, 64, 65, 200]) {
    const key = randomBytes(keyBytes);
    const message = randomBytes(333);
    assert.equal(toHex(hmacSha256(key, message)), createHmac('sha256', key).update(message).digest('hex'), `${keyBytes}-byte key`);
  }
});
