import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WasmletError } from '../errors/wasmlet-error.js';
import { maxSecretValueBytes, parseSecretName, parseSecretValue } from './secret-input.js';

const encode = (text: string) => new TextEncoder().encode(text);

function failsWith(code: string, message: RegExp) {
  return (err: unknown) => err instanceof WasmletError && err.code === code && message.test(err.message);
}

test('names: upper-case letters, digits and "_", starting with a letter, at most 128', () => {
  for (const name of ['A', 'STRIPE_KEY', 'K2', `A${'B'.repeat(127)}`]) assert.equal(parseSecretName(name), name);
  for (const name of ['', 'stripe', '2KEY', '_KEY', 'A-B', 'A B', `A${'B'.repeat(128)}`]) {
    assert.throws(() => parseSecretName(name), failsWith('secret_invalid', /must be 1 to 128 upper-case letters/), name);
  }
});

test('values: non-empty UTF-8 up to the limit; errors give the size, never the value', () => {
  assert.equal(parseSecretValue(encode('sk ü')), 'sk ü');
  assert.equal(parseSecretValue(encode('v'.repeat(maxSecretValueBytes))).length, maxSecretValueBytes);
  assert.throws(() => parseSecretValue(new Uint8Array()), failsWith('secret_invalid', /must not be empty/));
  assert.throws(() => parseSecretValue(encode('v'.repeat(maxSecretValueBytes + 1))), failsWith('secret_too_large', /^a secret value is at most 65536 bytes, got 65537$/));
  assert.throws(() => parseSecretValue(new Uint8Array([0x61, 0xff])), failsWith('secret_invalid', /must be UTF-8 text/));
});
