import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { WasmletError } from '../errors/wasmlet-error.js';
import { DiskBudget } from './disk-budget.js';

const kib = 1024;

async function withDir(work: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'wasmlet-disk-budget-'));
  try {
    await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('admits writes up to the budget, then refuses with storage_full; admitted bytes count until measured', () =>
  withDir(async (dir) => {
    await writeFile(join(dir, 'blob'), new Uint8Array(256 * kib));
    const budget = await DiskBudget.open(dir, { budgetBytes: 300 * kib, reserveBytes: 0 });
    try {
      assert.equal(budget.usedBytes, 256 * kib);
      budget.admit(40 * kib);
      assert.throws(() => budget.admit(8 * kib), (err: unknown) => err instanceof WasmletError && err.code === 'storage_full' && /budget of 307200/.test(err.message));
      assert.equal(budget.usedBytes, 296 * kib, 'the refused write is not counted');
    } finally {
      budget.close();
    }
  }));

test('a SQLite file counts by the pages it uses: deleted rows free budget', () =>
  withDir(async (dir) => {
    const path = join(dir, 'queues.db');
    const db = new Database(path);
    db.exec('CREATE TABLE t (b BLOB)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    for (let i = 0; i < 64; i++) insert.run(Buffer.alloc(16 * kib));
    const full = await DiskBudget.open(dir, { reserveBytes: 0 });
    const usedFull = full.usedBytes;
    full.close();
    db.exec('DELETE FROM t');
    db.close();
    const drained = await DiskBudget.open(dir, { reserveBytes: 0 });
    drained.close();
    assert.ok(usedFull >= 1024 * kib, `full: ${usedFull}`);
    assert.ok(drained.usedBytes < usedFull / 4, `drained: ${drained.usedBytes} of ${usedFull}`);
  }));

test('the reserve keeps free space on the disk whatever the budget', () =>
  withDir(async (dir) => {
    const budget = await DiskBudget.open(dir, { reserveBytes: Number.MAX_SAFE_INTEGER });
    try {
      assert.throws(() => budget.admit(1), (err: unknown) => err instanceof WasmletError && err.code === 'storage_full' && /keeps free/.test(err.message));
    } finally {
      budget.close();
    }
  }));
