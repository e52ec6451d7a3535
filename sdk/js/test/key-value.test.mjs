// openStore() and the KeyValueStore it returns, against a fake wasi:keyvalue host.
import './fake-wit/install.mjs';
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { fake } from './fake-wit/state.mjs';

const { openStore, KeyValueStore, KeyValueError, decodeUtf8 } = await import('../index.js');

beforeEach(() => fake.reset());

test('set and get: strings as UTF-8, bytes as given, JSON helpers; absent keys are undefined', () => {
  const kv = openStore();
  assert.ok(kv instanceof KeyValueStore);
  assert.equal(kv.name, 'default');
  kv.set('s', 'héllo');
  kv.set('b', Uint8Array.of(1, 2));
  kv.setJson('j', { a: [1] });
  assert.equal(kv.getText('s'), 'héllo');
  assert.deepEqual(kv.get('b'), Uint8Array.of(1, 2));
  assert.deepEqual(kv.getJson('j'), { a: [1] });
  assert.equal(kv.get('nope'), undefined);
  assert.equal(kv.getText('nope'), undefined);
  assert.equal(kv.exists('s'), true);
  kv.delete('s');
  assert.equal(kv.exists('s'), false);
  assert.throws(() => kv.set('k', { a: 1 }), /use setJson\(\) for objects/);
  assert.throws(() => kv.setJson('k', undefined), TypeError);
});

test('a store the manifest does not grant: KeyValueError access-denied at openStore', () => {
  assert.throws(() => openStore('sessions'), (e) => e instanceof KeyValueError && e.code === 'access-denied' && /key_value_stores/.test(e.message));
  fake.kvGranted = ['sessions'];
  assert.equal(openStore('sessions').name, 'sessions');
});

test('the host\'s error code leads its text: it becomes KeyValueError.code', () => {
  const kv = openStore();
  fake.kvRefuse = (op) => (op === 'set' ? { tag: 'other', val: 'kv_quota_exceeded: store "default" would hold 70000 bytes; its quota is 65536 (kv_quota_bytes): nothing was written' } : undefined);
  assert.throws(() => kv.set('k', 'v'), (e) => e instanceof KeyValueError && e.code === 'kv_quota_exceeded' && e.message.includes('would hold 70000 bytes'));
  fake.kvRefuse = () => ({ tag: 'other', val: 'some other host said no' });
  assert.throws(() => kv.get('k'), (e) => e instanceof KeyValueError && e.code === 'other' && e.message.endsWith('some other host said no'));
});

test('keys are checked before the host: non-empty strings without lone surrogates (they would reach it as another key)', () => {
  const kv = openStore();
  assert.throws(() => kv.set('', 'v'), TypeError);
  assert.throws(() => kv.get(42), TypeError);
  for (const key of ['a\ud800', '\udc00b', 'x\udc00\ud800']) assert.throws(() => kv.set(key, 'v'), (e) => e instanceof KeyValueError && e.code === 'kv_key_invalid', key);
  kv.set('😀', 'v');
  assert.equal(kv.getText('😀'), 'v');
});

test('keys() follows the cursor to the last page and filters by prefix; listKeys() is one page', () => {
  const kv = openStore();
  fake.kvPageSize = 2;
  for (const key of ['todo:3', 'todo:1', 'user:1', 'todo:2', 'a']) kv.set(key, '');
  assert.deepEqual(kv.keys(), ['a', 'todo:1', 'todo:2', 'todo:3', 'user:1']);
  assert.deepEqual(kv.keys({ prefix: 'todo:' }), ['todo:1', 'todo:2', 'todo:3']);
  assert.deepEqual(kv.listKeys(), { keys: ['a', 'todo:1'], cursor: '2' });
  assert.deepEqual(kv.listKeys('4'), { keys: ['user:1'], cursor: undefined });
});

test('increment() sends and returns numbers (s64 is a number in QuickJS), default delta 1', () => {
  const kv = openStore();
  assert.equal(kv.increment('n'), 1);
  assert.equal(kv.increment('n', 41), 42);
  assert.equal(kv.getText('n'), '42');
  assert.throws(() => kv.increment('n', 1.5), RangeError);
});

test('update() retries from the fresh handle when another writer won, and gives up after `attempts`', () => {
  const kv = openStore();
  kv.set('log', 'a');
  let intrusions = 1;
  fake.kvBeforeSwap = () => {
    if (intrusions-- > 0) kv.set('log', 'ab'); // someone else appends first
  };
  const seen = [];
  const written = kv.update('log', (current) => {
    seen.push(current === undefined ? undefined : decodeUtf8(current));
    return `${decodeUtf8(current)}c`;
  });
  assert.deepEqual(seen, ['a', 'ab']);
  assert.equal(decodeUtf8(written), 'abc');
  assert.equal(kv.getText('log'), 'abc');
  fake.kvBeforeSwap = () => kv.set('log', 'busy');
  assert.throws(() => kv.update('log', () => 'x', { attempts: 3 }), (e) => e instanceof KeyValueError && e.code === 'cas_failed');
  fake.kvBeforeSwap = () => {};
  assert.equal(decodeUtf8(kv.update('fresh', (current) => (current === undefined ? 'new' : 'old'))), 'new');
});

test('getMany() gives values in order, undefined for absent keys; setMany() takes an object or pairs; deleteMany()', () => {
  const kv = openStore();
  kv.setMany({ a: '1', b: Uint8Array.of(2) });
  kv.setMany([['c', '3']]);
  const [a, missing, b, c] = kv.getMany(['a', 'missing', 'b', 'c']);
  assert.equal(decodeUtf8(a), '1');
  assert.equal(missing, undefined);
  assert.deepEqual(b, Uint8Array.of(2));
  assert.equal(decodeUtf8(c), '3');
  kv.deleteMany(['a', 'b']);
  assert.deepEqual(kv.keys(), ['c']);
  assert.throws(() => kv.getMany('a'), TypeError);
  assert.throws(() => kv.setMany([['', 'v']]), TypeError);
});
