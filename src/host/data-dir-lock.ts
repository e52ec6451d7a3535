// One host per data directory: the embedded queue treats every lease it finds at startup as
// orphaned (see QueueStore.releaseAllLeases), which is only true if no other host is using it.
//
// The claim is a kernel lock, not a PID in a file: `<data-dir>/host.lock` is a small SQLite
// database held in `locking_mode = EXCLUSIVE` after one write, so SQLite keeps its POSIX lock on the
// file for as long as the connection is open. The kernel drops that lock when the process dies, by
// whatever means (SIGKILL, OOM kill, power loss), so a dead host never blocks a start and a
// reused PID means nothing. SQLite also sees the lock of another connection in the same process, so
// two hosts in one process (tests) are refused too.
import { readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { WasmletError } from '../errors/wasmlet-error.js';

/** The lock. Never deleted: a process could be opening it when it goes, then hold a lock on a file nobody else can see. */
export const lockFileName = 'host.lock';
/** Who holds the lock, for the refusal's message only: the lock itself is the kernel's. */
const holderFileName = 'host.pid';

/**
 * Claims `dataDir` for this process; refuses while another process (or another host in this one)
 * holds it.
 * @returns a function that releases the claim
 * @example const unlock = await lockDataDir('.wasmlet'); try { ... } finally { await unlock(); }
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const path = join(dataDir, lockFileName);
  const holderPath = join(dataDir, holderFileName);
  let db: Database.Database;
  try {
    db = claim(path);
  } catch (err) {
    if (!isDamaged(err)) throw await refusal(err, dataDir, holderPath);
    // Damaged bytes in a file that only ever holds a lock (a holder would have answered BUSY before
    // its bytes were read): start it afresh, truncated in place so that every claimant keeps one inode.
    await truncate(path, 0);
    db = claim(path);
  }
  await writeFile(holderPath, `${process.pid}\n`);
  return async () => {
    if (!db.open) return;
    const holder = await readFile(holderPath, 'utf8').catch(() => '');
    if (Number.parseInt(holder, 10) === process.pid) await rm(holderPath, { force: true });
    db.close(); // the kernel lock goes with the connection
  };
}

/** Opens the lock database and writes to it: from then on the connection holds SQLite's exclusive lock until closed. */
function claim(path: string): Database.Database {
  // timeout 0: a held lock is an answer, not something to wait for.
  const db = new Database(path, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, since TEXT NOT NULL)');
    db.transaction(() => {
      db.exec('DELETE FROM holder');
      db.prepare('INSERT INTO holder (pid, since) VALUES (?, ?)').run(process.pid, new Date().toISOString());
    }).exclusive();
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

async function refusal(err: unknown, dataDir: string, holderPath: string): Promise<Error> {
  if ((err as { code?: unknown }).code !== 'SQLITE_BUSY') return new Error(`cannot lock data directory ${dataDir}: ${(err as Error).message}`, { cause: err });
  const holder = Number.parseInt(await readFile(holderPath, 'utf8').catch(() => ''), 10);
  const who = Number.isInteger(holder) && holder > 0 ? `another wasmlet host (pid ${holder})` : 'another wasmlet host';
  return new WasmletError('bad_request', `data directory ${dataDir} is in use by ${who}; give each host its own --data-dir`, Number.isInteger(holder) ? { pid: holder } : undefined, { cause: err });
}

function isDamaged(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'));
}
