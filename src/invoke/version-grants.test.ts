import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WasmletError } from '../errors/wasmlet-error.js';
import { grantsOfManifest } from '../manifest/instance-grants.js';
import { parseManifest } from '../manifest/parse-manifest.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { VersionGrants } from './version-grants.js';

/** A store in memory that counts decryptions. */
function fakeStore(initial: Record<string, string>) {
  const values = new Map(Object.entries(initial));
  const revisions = new Map([...values.keys()].map((name, i) => [name, i + 1]));
  let revision = values.size;
  let generation = 0;
  let reveals = 0;
  let broken = false;
  const store: SecretStore = {
    set(name, value) {
      values.set(name, value);
      revisions.set(name, ++revision);
      generation++;
      return { info: { name, createdAt: '', updatedAt: '' }, created: true };
    },
    list: () => [],
    delete(name) {
      generation++;
      revisions.delete(name);
      return values.delete(name);
    },
    has: (name) => values.has(name),
    revisionOf: (name) => revisions.get(name),
    get generation() {
      return generation;
    },
    reveal(name) {
      reveals++;
      if (broken) throw new WasmletError('internal', `secret ${name} does not decrypt: its stored value was altered`);
      return values.get(name);
    },
    close() {},
  };
  return { store, reveals: () => reveals, breakIt: () => void (broken = true) };
}

const withSecret = parseManifest('name = "pay"\ncomponent = "c.wasm"\n\n[config]\ncolour = "blue"\napi_key = { secret = "STRIPE_KEY" }\n');
const plain = parseManifest('name = "hello"\ncomponent = "c.wasm"\n\n[config]\ncolour = "blue"\n');

test('a function without secrets runs with its manifest grants under its bundle digest', () => {
  const grants = new VersionGrants(fakeStore({}).store);
  const version = grants.of(plain, 'b1');
  assert.ok(version.ok);
  assert.equal(version.versionKey, 'b1');
  assert.equal(version.grants, grantsOfManifest(plain));
  assert.equal(version.grants.redact, undefined);
});

test('secrets are resolved into config and the redaction terms, once per change of a secret the function reads', () => {
  const fake = fakeStore({ STRIPE_KEY: 'sk_live_1234', OTHER: 'unrelated' });
  const grants = new VersionGrants(fake.store);
  const first = grants.of(withSecret, 'b1');
  assert.ok(first.ok);
  assert.deepEqual({ ...first.grants.config }, { colour: 'blue', api_key: 'sk_live_1234' });
  assert.deepEqual(first.grants.redact, ['sk_live_1234']);
  assert.match(first.versionKey, /^b1:secrets=/);
  assert.equal(grants.of(withSecret, 'b1'), first, 'the same object while nothing changed');
  assert.equal(fake.reveals(), 1);

  fake.store.set('OTHER', 'still unrelated');
  const afterOther = grants.of(withSecret, 'b1');
  assert.equal(afterOther, first, 'a secret it does not read changes nothing');
  assert.equal(fake.reveals(), 1);

  fake.store.set('STRIPE_KEY', 'sk_live_5678');
  const second = grants.of(withSecret, 'b1');
  assert.ok(second.ok);
  assert.notEqual(second.versionKey, first.versionKey);
  assert.equal(second.grants.config.api_key, 'sk_live_5678');
  assert.equal(fake.reveals(), 2);
  assert.ok(grants.of(withSecret, 'b2').ok && grants.of(withSecret, 'b2').ok);
  assert.match((grants.of(withSecret, 'b2') as { versionKey: string }).versionKey, /^b2:/);
});

test('a referenced secret that is gone or does not decrypt is a failure naming the key and the secret', () => {
  const fake = fakeStore({ STRIPE_KEY: 'sk_live_1234' });
  const grants = new VersionGrants(fake.store);
  fake.store.delete('STRIPE_KEY');
  assert.deepEqual(grants.of(withSecret, 'b1'), {
    ok: false,
    message: 'config key "api_key" references secret STRIPE_KEY, which is not set (wasmlet secret set STRIPE_KEY)',
  });
  fake.store.set('STRIPE_KEY', 'sk_again');
  fake.breakIt();
  const broken = grants.of(withSecret, 'b1');
  assert.equal(broken.ok, false);
  assert.match((broken as { message: string }).message, /^config key "api_key": secret STRIPE_KEY does not decrypt/);
});
