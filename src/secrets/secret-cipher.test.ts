import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { openSecret, sealSecret } from './secret-cipher.js';

const key = randomBytes(32);

test('a sealed value opens under its name and key', () => {
  assert.equal(openSecret(key, 'STRIPE_KEY', sealSecret(key, 'STRIPE_KEY', 'sk_live_ünïcode')), 'sk_live_ünïcode');
});

test('every seal draws a fresh IV: the same value never seals to the same bytes', () => {
  const a = sealSecret(key, 'A_KEY', 'same value');
  const b = sealSecret(key, 'A_KEY', 'same value');
  assert.notDeepEqual(a.subarray(0, 12), b.subarray(0, 12));
  assert.notDeepEqual(a, b);
  assert.ok(!a.includes('same value'));
});

test('a ciphertext moved to another name, altered, or opened with another key does not open', () => {
  const sealed = sealSecret(key, 'STRIPE_KEY', 'sk_live_123');
  assert.equal(openSecret(key, 'OTHER_KEY', sealed), undefined);
  const altered = Buffer.from(sealed);
  altered[altered.length - 1]! ^= 1;
  assert.equal(openSecret(key, 'STRIPE_KEY', altered), undefined);
  assert.equal(openSecret(randomBytes(32), 'STRIPE_KEY', sealed), undefined);
  assert.equal(openSecret(key, 'STRIPE_KEY', sealed.subarray(0, 20)), undefined);
});
