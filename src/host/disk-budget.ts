// The host's disk budget: what its data directory (queues, logs, content, artifacts, state) may
// hold, and how much free space it always leaves on the file system. Writers that accept data from
// outside — queue sends, deploys — ask `admit(bytes)` first; over either bound the write is refused
// whole with `storage_full` (507) and nothing already stored is touched.
//
// Usage is measured by walking the data directory (SQLite files counted by their pages in use, not
// their size: a drained queue's file keeps its free pages) every `refreshIntervalMs` and whenever a
// write was refused; between walks the bytes admitted are added, so a burst cannot overrun it.
import { open, readdir, lstat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { WasmletError } from '../errors/wasmlet-error.js';

export interface DiskBudgetOptions {
  /** Bytes the data directory may hold; default `defaultDiskBudgetShare` of its file system. */
  readonly budgetBytes?: number | undefined;
  /** Free bytes always left on the data directory's file system; default `defaultDiskReserveBytes`, at most 5 % of it. */
  readonly reserveBytes?: number | undefined;
}

/** By default the data directory may take up to half of its file system. */
export const defaultDiskBudgetShare = 0.5;
/** The OS, logs and SQLite's own temporary files need room too: 1 GiB (or 5 % of a small disk) stays free. */
export const defaultDiskReserveBytes = 1024 * 1024 * 1024;
/** How often usage is measured again when nothing is refused. */
export const refreshIntervalMs = 10_000;
/** After a refusal, usage is measured again at most this often (a drained queue frees room quickly). */
const refusedRefreshMs = 1_000;

const sqliteHeaderBytes = 100;
const sqliteMagic = 'SQLite format 3\u0000';

export class DiskBudget {
  readonly #dataDir: string;
  readonly #options: DiskBudgetOptions;
  #budgetBytes = Infinity;
  #reserveBytes = 0;
  #usedBytes = 0;
  #freeBytes = Infinity;
  /** Admitted since the last measurement. */
  #pendingBytes = 0;
  #measuredAt = 0;
  #measuring: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;

  private constructor(dataDir: string, options: DiskBudgetOptions) {
    this.#dataDir = dataDir;
    this.#options = options;
  }

  /** Measures once, then again every `refreshIntervalMs` until `close`. */
  static async open(dataDir: string, options: DiskBudgetOptions = {}): Promise<DiskBudget> {
    for (const [key, value] of Object.entries(options)) {
      if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) throw new WasmletError('bad_request', `disk ${key} must be a non-negative number of bytes, got ${String(value)}`);
    }
    const budget = new DiskBudget(dataDir, options);
    await budget.measure();
    // A failed walk (the directory going away under a closing host) keeps the last figures.
    budget.#timer = setInterval(() => void budget.measure().catch(() => undefined), refreshIntervalMs);
    budget.#timer.unref();
    return budget;
  }

  get budgetBytes(): number {
    return this.#budgetBytes;
  }

  get reserveBytes(): number {
    return this.#reserveBytes;
  }

  /** Bytes in use by the data directory at the last measurement, plus what was admitted since. */
  get usedBytes(): number {
    return this.#usedBytes + this.#pendingBytes;
  }

  /** Refuses (`storage_full`) a write of `bytes` that would pass the budget or eat into the reserve. */
  admit(bytes: number): void {
    const used = this.#usedBytes + this.#pendingBytes + bytes;
    const free = this.#freeBytes - this.#pendingBytes - bytes;
    if (used > this.#budgetBytes) {
      this.#remeasureSoon();
      throw new WasmletError('storage_full', `the data directory would hold ${used} bytes, over its budget of ${this.#budgetBytes} (serve --disk-budget): ${bytes} bytes refused`, {
        usedBytes: this.usedBytes, budgetBytes: this.#budgetBytes,
      });
    }
    if (free < this.#reserveBytes) {
      this.#remeasureSoon();
      throw new WasmletError('storage_full', `the disk of the data directory would have ${Math.max(0, free)} bytes free, under the ${this.#reserveBytes} it keeps free (serve --disk-reserve): ${bytes} bytes refused`, {
        freeBytes: this.#freeBytes, reserveBytes: this.#reserveBytes,
      });
    }
    this.#pendingBytes += bytes;
  }

  /** Walks the data directory and reads its file system's free space (one walk at a time). */
  measure(): Promise<void> {
    this.#measuring ??= this.#measure().finally(() => {
      this.#measuring = undefined;
    });
    return this.#measuring;
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer);
  }

  async #measure(): Promise<void> {
    const pendingBefore = this.#pendingBytes;
    const [used, fs] = await Promise.all([bytesUnder(this.#dataDir), statfs(this.#dataDir)]);
    const totalBytes = fs.blocks * fs.bsize;
    this.#budgetBytes = this.#options.budgetBytes ?? Math.floor(totalBytes * defaultDiskBudgetShare);
    this.#reserveBytes = this.#options.reserveBytes ?? Math.min(defaultDiskReserveBytes, Math.floor(totalBytes * 0.05));
    this.#usedBytes = used;
    this.#freeBytes = fs.bavail * fs.bsize;
    // What was admitted during the walk may or may not be in it: keep counting it (errs towards refusing).
    this.#pendingBytes = Math.max(0, this.#pendingBytes - pendingBefore);
    this.#measuredAt = Date.now();
  }

  #remeasureSoon(): void {
    if (Date.now() - this.#measuredAt >= refusedRefreshMs) void this.measure().catch(() => undefined);
  }
}

/** Bytes of the files under `dir`: SQLite databases by the pages they use, everything else by size. */
async function bytesUnder(dir: string): Promise<number> {
  let total = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0; // removed while walking
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await bytesUnder(path);
    else if (entry.isFile()) total += await fileBytes(path);
  }
  return total;
}

async function fileBytes(path: string): Promise<number> {
  try {
    const { size } = await lstat(path);
    if (!path.endsWith('.db') || size < sqliteHeaderBytes) return size;
    return (await sqlitePagesInUse(path, size)) ?? size;
  } catch {
    return 0;
  }
}

/** Reads a SQLite header: (file pages − free-list pages) × page size. Undefined when it is not SQLite. */
async function sqlitePagesInUse(path: string, size: number): Promise<number | undefined> {
  const file = await open(path, 'r');
  try {
    const header = Buffer.alloc(sqliteHeaderBytes);
    await file.read(header, 0, sqliteHeaderBytes, 0);
    if (header.toString('latin1', 0, 16) !== sqliteMagic) return undefined;
    const rawPageSize = header.readUInt16BE(16);
    const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
    const freePages = header.readUInt32BE(36);
    return Math.max(0, size - freePages * pageSize);
  } finally {
    await file.close();
  }
}
