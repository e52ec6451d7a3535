import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { WasmletError } from '../errors/wasmlet-error.js';
import { SqliteSecretStore } from './sqlite-secret-store.js';

describe('SqliteSecretStore', () => {
  let dir: string;
  const key = randomBytes(32);
  let now = Date.parse('2026-01-02T03:04:05.000Z');
  const clock = { now: () => now };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wasmlet-secret-store-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('set, replace, list (names and dates only), reveal, delete', () => {
    const store = new SqliteSecretStore({ path: join(dir, 'basic.db'), key, clock });
    try {
      const first = store.set('STRIPE_KEY', 'sk_one');
      assert.equal(first.created, true);
      assert.deepEqual(first.info, { name: 'STRIPE_KEY', createdAt: '2026-01-02T03:04:05.000Z', updatedAt: '2026-01-02T03:04:05.000Z' });
      now += 60_000;
      const second = store.set('STRIPE_KEY', 'sk_two');
      assert.equal(second.created, false);
      assert.deepEqual(second.info, { name: 'STRIPE_KEY', createdAt: '2026-01-02T03:04:05.000Z', updatedAt: '2026-01-02T03:05:05.000Z' });
      store.set('A_TOKEN', 'tok');
      assert.deepEqual(store.list().map((s) => s.name), ['A_TOKEN', 'STRIPE_KEY']);
      assert.deepEqual(Object.keys(store.list()[0]!).sort(), ['createdAt', 'name', 'updatedAt']);
      assert.equal(store.reveal('STRIPE_KEY'), 'sk_two');
      assert.equal(store.reveal('NOT_SET'), undefined);
      assert.equal(store.delete('A_TOKEN'), true);
      assert.equal(store.delete('A_TOKEN'), false);
      assert.equal(store.has('A_TOKEN'), false);
      assert.throws(() => store.set('bad name', 'x'), (err: unknown) => err instanceof WasmletError && err.code === 'secret_invalid');
    } finally {
      store.close();
    }
  });

  test('revisions change with every value and are never reused; the generation with every change', () => {
    const path = join(dir, 'revisions.db');
    let store = new SqliteSecretStore({ path, key, clock });
    const generations = [store.generation];
    store.set('B_KEY', 'x1');
    const b1 = store.revisionOf('B_KEY');
    generations.push(store.generation);
    store.set('B_KEY', 'x2');
    const b2 = store.revisionOf('B_KEY');
    generations.push(store.generation);
    store.delete('B_KEY');
    generations.push(store.generation);
    assert.equal(store.revisionOf('B_KEY'), undefined);
    assert.equal(new Set(generations).size, generations.length);
    assert.notEqual(b1, b2);
    store.close();
    // Reopened: a value set again gets a revision no earlier value had (a worker may still hold grants keyed by one).
    store = new SqliteSecretStore({ path, key, clock });
    store.set('B_KEY', 'x3');
    const b3 = store.revisionOf('B_KEY')!;
    assert.ok(b3 > b2!, `${b3} after ${b2}`);
    store.close();
  });

  test('on disk the value is sealed: not in the database, its WAL, or anywhere in the folder; the file is 0600', async () => {
    const folder = await mkdtemp(join(dir, 'disk-'));
    const path = join(folder, 'secrets.db');
    const store = new SqliteSecretStore({ path, key, clock });
    const value = 'plain-text-canary-7c41e0';
    store.set('CANARY', value);
    for (const name of await readdir(folder)) assert.ok(!(await readFile(join(folder, name))).includes(value), `${name} holds the value`);
    store.close();
    for (const name of await readdir(folder)) assert.ok(!(await readFile(join(folder, name))).includes(value), `${name} holds the value`);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
  });

  test('another key is refused at open; a row moved to another name does not decrypt', () => {
    const path = join(dir, 'keys.db');
    const store = new SqliteSecretStore({ path, key, clock, keySource: 'the key file' });
    store.set('FROM_KEY', 'value-from');
    store.set('TO_KEY', 'value-to');
    store.close();
    assert.throws(
      () => new SqliteSecretStore({ path, key: randomBytes(32), clock, keySource: '/etc/other.key' }),
      /\/etc\/other\.key is not the key the secrets in .*keys\.db were sealed with/,
    );
    const db = new Database(path);
    db.prepare("UPDATE secrets SET sealed = (SELECT sealed FROM secrets WHERE name = 'FROM_KEY') WHERE name = 'TO_KEY'").run();
    db.close();
    const reopened = new SqliteSecretStore({ path, key, clock });
    try {
      assert.equal(reopened.reveal('FROM_KEY'), 'value-from');
      assert.throws(() => reopened.reveal('TO_KEY'), /secret TO_KEY does not decrypt/);
    } finally {
      reopened.close();
    }
  });
});
