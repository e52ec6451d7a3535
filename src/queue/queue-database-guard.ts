// Keeps a damaged or vanished queue database from being silently replaced by an empty one. SQLite
// happily opens a missing or 0-byte file as a new, empty database: the host would then start with
// every acknowledged message gone and nothing said. So once a database exists, a marker file
// (`<db>.created`) says so; while it is there, a missing, empty or schema-less database is refused,
// as is one SQLite reports as damaged, with a message naming the file and the way out.
//
// Refused rather than started with the store marked failed: the file is the host's (every
// function's queue, async invocation records, schedule state, dead letters), not one function's,
// and it is the only copy of acknowledged messages. A host that served HTTP while every send,
// async invocation and tick failed would lose work at each call, where nobody reads the start log;
// a refused start is seen at once, and the damaged file stays exactly as it was for salvage.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type Database from 'better-sqlite3';
import { WasmletError } from '../errors/wasmlet-error.js';

export const createdMarkerSuffix = '.created';

export class QueueDatabaseGuard {
  readonly #path: string;
  readonly #marker: string;
  readonly #expectData: boolean;
  #markerFound = false;

  constructor(path: string, options: { readonly expectData: boolean }) {
    this.#path = path;
    this.#marker = `${path}${createdMarkerSuffix}`;
    this.#expectData = options.expectData;
  }

  /** Before SQLite opens (and would create) the file: refuses a missing or empty database that should hold data. */
  checkBeforeOpen(): void {
    this.#markerFound = existsSync(this.#marker);
    const size = existsSync(this.#path) ? statSync(this.#path).size : undefined;
    if (this.#markerFound) {
      if (size === undefined) throw this.#lost('is missing');
      if (size === 0) throw this.#lost('is empty (0 bytes)');
    } else if (size === 0 && this.#expectData) {
      throw queueDatabaseDamaged(this.#path, 'is empty (0 bytes) while the registry lists functions');
    }
  }

  /** Before migrating: a marked database without the queue schema is not the one the marker speaks of. */
  checkSchema(userVersion: number): void {
    if (this.#markerFound && userVersion === 0) throw this.#lost('holds no queue schema (an empty database)');
  }

  /** After the schema is committed: checkpointed to the database file first, so the marker never outlives what it vouches for. */
  markCreated(db: Database.Database): void {
    if (this.#markerFound) return;
    db.pragma('wal_checkpoint(FULL)');
    writeDurably(this.#marker, `${JSON.stringify({ createdAt: new Date().toISOString() })}\n`);
  }

  #lost(what: string): WasmletError {
    const created = readCreatedAt(this.#marker);
    return queueDatabaseDamaged(this.#path, `${what}, but ${this.#marker} says this data directory had one${created ? ` (created ${created})` : ''}`);
  }
}

/** The error for a database SQLite reports as damaged (not a database, malformed), or undefined for any other error. */
export function damageOf(err: unknown, path: string): WasmletError | undefined {
  if (err instanceof WasmletError) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !(code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'))) return undefined;
  return queueDatabaseDamaged(path, `is damaged (${(err as Error).message})`, err);
}

function queueDatabaseDamaged(path: string, what: string, cause?: unknown): WasmletError {
  const aside = join(dirname(path), 'damaged');
  return new WasmletError(
    'data_dir_damaged',
    `queue database ${path} ${what}. The host does not start on it, so that its messages are not replaced by empty queues. ` +
      `Restore it from a backup, or salvage what it holds (sqlite3 ${path} .recover > ${path}.recovered.sql); ` +
      `to start with empty queues instead, move it aside: mkdir -p ${aside} && mv ${path}* ${aside}/`,
    { file: path },
    cause === undefined ? undefined : { cause },
  );
}

function readCreatedAt(marker: string): string | undefined {
  try {
    const { createdAt } = JSON.parse(readFileSync(marker, 'utf8')) as { createdAt?: unknown };
    return typeof createdAt === 'string' ? createdAt : undefined;
  } catch {
    return undefined;
  }
}

/** Write-then-rename with an fsync: the constructor that calls this is synchronous (better-sqlite3 is). */
function writeDurably(path: string, text: string): void {
  const temporary = `${path}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}
