import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { migrate, openSqlite, schemaVersionOf, type Migration } from './sqlite-database.js';

const v1: Migration = { version: 1, apply: 'CREATE TABLE a (x INTEGER) STRICT' };
const v2: Migration = { version: 2, apply: (db) => db.exec('CREATE TABLE b (y INTEGER) STRICT') };

test('migrate applies only the missing steps, in order, and records the version', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'wasmlet-sqlite-')), 'x.db');
  const first = openSqlite(path);
  migrate(first, 'test database', [v1]);
  first.prepare('INSERT INTO a VALUES (1)').run();
  first.close();
  const second = openSqlite(path, { synchronous: 'full' });
  migrate(second, 'test database', [v1, v2]);
  assert.equal(schemaVersionOf(second), 2);
  assert.equal(second.prepare('SELECT count(*) FROM a').pluck().get(), 1);
  second.prepare('INSERT INTO b VALUES (2)').run();
  assert.equal(second.pragma('journal_mode', { simple: true }), 'wal');
  second.close();
});

test('a newer schema than the host knows is refused, naming the file; a gap in the list is a bug', () => {
  const db = openSqlite(':memory:');
  migrate(db, 'test database', [v1, v2]);
  assert.throws(() => migrate(db, 'test database', [v1]), /test database has schema version 2; this host knows up to 1/);
  assert.throws(() => migrate(openSqlite(':memory:'), 'test database', [v2]), /migration 1 is numbered 2/);
});

test('a failing step leaves the file at the previous version', () => {
  const db = openSqlite(':memory:');
  assert.throws(() => migrate(db, 'test database', [v1, { version: 2, apply: 'CREATE TABLE b (y INTEGER) STRICT; SELECT * FROM missing' }]));
  assert.equal(schemaVersionOf(db), 1);
  assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'b'").pluck().get(), 0);
});
