// The embedded object store's SQLite schema (its versioned migration list), its prepared statements,
// and its rows as the port's values.
import type Database from 'better-sqlite3';
import type { Migration } from '../embedded/sqlite-database.js';
import type { ObjectInfo, PartInfo } from './object-store.js';

// Keys are BLOBs of UTF-8 so that ORDER BY and range bounds compare bytes, as S3 orders keys.
// An object's content is the concatenation of its chunks (one for a PutObject, one per part for a
// multipart upload); chunks and parts reference content files by SHA-256, counted in `blobs.refs`:
// a file is removed once no chunk and no part references it. `events` is the transactional outbox.
const schema = `
CREATE TABLE buckets (
  name TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE objects (
  id INTEGER PRIMARY KEY,
  bucket TEXT NOT NULL,
  key BLOB NOT NULL,
  size INTEGER NOT NULL,
  etag TEXT NOT NULL,
  content_type TEXT NOT NULL,
  metadata TEXT NOT NULL,
  last_modified INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX objects_by_key ON objects (bucket, key);
CREATE TABLE chunks (
  object_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  digest TEXT NOT NULL,
  size INTEGER NOT NULL,
  PRIMARY KEY (object_id, seq)
) STRICT, WITHOUT ROWID;
CREATE TABLE blobs (
  digest TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  refs INTEGER NOT NULL CHECK (refs > 0)
) STRICT, WITHOUT ROWID;
CREATE TABLE uploads (
  id TEXT PRIMARY KEY,
  bucket TEXT NOT NULL,
  key BLOB NOT NULL,
  content_type TEXT NOT NULL,
  metadata TEXT NOT NULL,
  initiated_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX uploads_by_bucket ON uploads (bucket);
CREATE TABLE parts (
  upload_id TEXT NOT NULL,
  part_number INTEGER NOT NULL,
  digest TEXT NOT NULL,
  size INTEGER NOT NULL,
  md5 TEXT NOT NULL,
  last_modified INTEGER NOT NULL,
  PRIMARY KEY (upload_id, part_number)
) STRICT, WITHOUT ROWID;
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  cause TEXT NOT NULL,
  bucket TEXT NOT NULL,
  key TEXT NOT NULL,
  size INTEGER NOT NULL,
  etag TEXT NOT NULL,
  time INTEGER NOT NULL
) STRICT;
CREATE TABLE usage (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  bytes INTEGER NOT NULL
) STRICT;
INSERT INTO usage (id, bytes) VALUES (1, 0);
`;

export const objectDatabaseMigrations: readonly Migration[] = [{ version: 1, apply: schema }];

export interface ObjectRow {
  id: number;
  bucket: string;
  key: Buffer;
  size: number;
  etag: string;
  content_type: string;
  metadata: string;
  last_modified: number;
}

export interface ChunkRow {
  digest: string;
  size: number;
}

export interface UploadRow {
  id: string;
  bucket: string;
  key: Buffer;
  content_type: string;
  metadata: string;
}

export interface PartRow {
  part_number: number;
  digest: string;
  size: number;
  md5: string;
  last_modified: number;
}

export interface EventRow {
  id: string;
  kind: 'created' | 'deleted';
  cause: 'put' | 'copy' | 'multipart' | 'delete';
  bucket: string;
  key: string;
  size: number;
  etag: string;
  time: number;
}

export function objectInfoOf(row: ObjectRow): ObjectInfo {
  return {
    bucket: row.bucket,
    key: row.key.toString('utf8'),
    size: row.size,
    etag: row.etag,
    contentType: row.content_type,
    metadata: JSON.parse(row.metadata) as Record<string, string>,
    lastModified: row.last_modified,
  };
}

export function partInfoOf(row: PartRow): PartInfo {
  return { partNumber: row.part_number, size: row.size, etag: row.md5, lastModified: row.last_modified };
}

export type Statements = ReturnType<typeof prepare>;

export function prepare(db: Database.Database) {
  const objectColumns = 'id, bucket, key, size, etag, content_type, metadata, last_modified';
  return {
    bucket: db.prepare('SELECT name, created_at FROM buckets WHERE name = ?'),
    buckets: db.prepare('SELECT name, created_at FROM buckets ORDER BY name'),
    insertBucket: db.prepare('INSERT INTO buckets (name, created_at) VALUES (?, ?)'),
    deleteBucket: db.prepare('DELETE FROM buckets WHERE name = ?'),
    anyObject: db.prepare('SELECT 1 FROM objects WHERE bucket = ? LIMIT 1'),
    uploadsOf: db.prepare('SELECT id FROM uploads WHERE bucket = ?'),

    object: db.prepare(`SELECT ${objectColumns} FROM objects WHERE bucket = ? AND key = ?`),
    insertObject: db.prepare('INSERT INTO objects (bucket, key, size, etag, content_type, metadata, last_modified) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    deleteObject: db.prepare('DELETE FROM objects WHERE id = ?'),
    chunks: db.prepare('SELECT digest, size FROM chunks WHERE object_id = ? ORDER BY seq'),
    insertChunk: db.prepare('INSERT INTO chunks (object_id, seq, digest, size) VALUES (?, ?, ?, ?)'),
    deleteChunks: db.prepare('DELETE FROM chunks WHERE object_id = ?'),
    // The (bucket, key) index serves the filter and the order: a page costs its own rows only.
    listFrom: db.prepare(`SELECT ${objectColumns} FROM objects WHERE bucket = ? AND key >= ? ORDER BY key LIMIT ?`),
    listAfter: db.prepare(`SELECT ${objectColumns} FROM objects WHERE bucket = ? AND key > ? ORDER BY key LIMIT ?`),

    blob: db.prepare('SELECT refs FROM blobs WHERE digest = ?'),
    ref: db.prepare('INSERT INTO blobs (digest, size, refs) VALUES (?, ?, 1) ON CONFLICT (digest) DO UPDATE SET refs = refs + 1'),
    deref: db.prepare('UPDATE blobs SET refs = refs - 1 WHERE digest = ? AND refs > 1'),
    dropBlob: db.prepare('DELETE FROM blobs WHERE digest = ? AND refs = 1'),

    upload: db.prepare('SELECT id, bucket, key, content_type, metadata FROM uploads WHERE id = ?'),
    insertUpload: db.prepare('INSERT INTO uploads (id, bucket, key, content_type, metadata, initiated_at) VALUES (?, ?, ?, ?, ?, ?)'),
    deleteUpload: db.prepare('DELETE FROM uploads WHERE id = ?'),
    part: db.prepare('SELECT part_number, digest, size, md5, last_modified FROM parts WHERE upload_id = ? AND part_number = ?'),
    parts: db.prepare('SELECT part_number, digest, size, md5, last_modified FROM parts WHERE upload_id = ? ORDER BY part_number'),
    partsAfter: db.prepare('SELECT part_number, digest, size, md5, last_modified FROM parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?'),
    upsertPart: db.prepare(
      'INSERT INTO parts (upload_id, part_number, digest, size, md5, last_modified) VALUES (?, ?, ?, ?, ?, ?) ' +
        'ON CONFLICT (upload_id, part_number) DO UPDATE SET digest = excluded.digest, size = excluded.size, md5 = excluded.md5, last_modified = excluded.last_modified',
    ),
    deleteParts: db.prepare('DELETE FROM parts WHERE upload_id = ?'),

    insertEvent: db.prepare('INSERT INTO events (id, kind, cause, bucket, key, size, etag, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    events: db.prepare('SELECT id, kind, cause, bucket, key, size, etag, time FROM events ORDER BY seq LIMIT ?'),
    deleteEvent: db.prepare('DELETE FROM events WHERE id = ?'),

    usage: db.prepare('SELECT bytes FROM usage WHERE id = 1'),
    addUsage: db.prepare('UPDATE usage SET bytes = bytes + ? WHERE id = 1'),
  };
}
