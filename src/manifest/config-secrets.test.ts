// [config] values that reference host secrets: parsed, frozen, listed, and kept out of the plain grants.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { grantsOfManifest, secretReferencesOf } from './instance-grants.js';
import { parseManifest } from './parse-manifest.js';

const manifest = parseManifest(`name = "pay"
component = "pay.wasm"

[config]
colour = "blue"
api_key = { secret = "STRIPE_KEY" }
webhook = { secret = "WEBHOOK_SECRET" }
`);

test('a reference is kept as { secret }, frozen, beside plain strings', () => {
  assert.deepEqual({ ...manifest.config }, { colour: 'blue', api_key: { secret: 'STRIPE_KEY' }, webhook: { secret: 'WEBHOOK_SECRET' } });
  assert.ok(Object.isFrozen(manifest.config.api_key));
});

test('secretReferencesOf lists [key, secret] in manifest order; none for a manifest without references', () => {
  assert.deepEqual(secretReferencesOf(manifest), [['api_key', 'STRIPE_KEY'], ['webhook', 'WEBHOOK_SECRET']]);
  assert.deepEqual(secretReferencesOf(parseManifest('name = "a"\ncomponent = "a.wasm"\n[config]\nx = "1"\n')), []);
});

test('the manifest grants hold the plain values only: a secret is resolved per version (invoke/version-grants.ts)', () => {
  assert.deepEqual({ ...grantsOfManifest(manifest).config }, { colour: 'blue' });
});
