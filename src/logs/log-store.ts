// Per-function invocation logs: the recent entries in memory for `wasmlet logs`, and every entry
// appended to <dir>/<name>.jsonl (rotated by size) so they survive a restart. File writes are
// batched off the request path: per-line file calls cost more CPU than a hello invocation.
import { appendFile, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CapturedLine, LogLevel, LogStream } from '../capabilities/invocation-log.js';

export interface LogEntry {
  readonly time: string;
  readonly requestId: string;
  readonly level: LogLevel;
  readonly stream: LogStream;
  readonly message: string;
  /** The W3C trace id of the invocation, when it was traced. */
  readonly traceId?: string;
}

export interface LogStoreOptions {
  /** The trace id of the invocation being recorded (read when its lines are appended); absent or undefined: none. */
  readonly traceId?: () => string | undefined;
}

/** Told of each entry of its function as it is appended (`wasmlet logs --follow`). */
export type LogFollower = (entry: LogEntry) => void;

/** Entries kept in memory per function. */
export const maxEntriesInMemory = 1000;
/** A log file is rotated to <name>.jsonl.1 past this size (one old file is kept). */
export const maxLogFileBytes = 8 * 1024 * 1024;
/** How much of the file tail is read to answer after a restart. */
const tailReadBytes = 512 * 1024;
/** Pending lines are written at most this late (a crash loses at most this window of logs). */
const flushDelayMs = 200;
/** ...or as soon as this much is pending, to bound memory under a log storm. */
const flushPendingBytes = 256 * 1024;

export class LogStore {
  readonly #dir: string;
  readonly #recent = new Map<string, LogEntry[]>();
  readonly #pending = new Map<string, string[]>();
  readonly #fileBytes = new Map<string, number>();
  #pendingBytes = 0;
  #flushTimer: NodeJS.Timeout | undefined;
  #dirReady = false;
  #writes: Promise<void> = Promise.resolve();
  readonly #traceId: (() => string | undefined) | undefined;
  /** Per function, who follows its log live, and how to end them when the host closes. */
  readonly #followers = new Map<string, Map<LogFollower, () => void>>();

  constructor(dir: string, options: LogStoreOptions = {}) {
    this.#dir = dir;
    this.#traceId = options.traceId;
  }

  append(name: string, requestId: string, lines: readonly CapturedLine[]): void {
    if (lines.length === 0) return;
    const traceId = this.#traceId?.();
    const entries: LogEntry[] = lines.map((l) => ({
      time: new Date(l.time).toISOString(),
      requestId,
      level: l.level,
      stream: l.stream,
      message: l.message,
      ...(traceId ? { traceId } : {}),
    }));
    const followers = this.#followers.get(name);
    if (followers) for (const entry of entries) for (const follower of followers.keys()) follower(entry);
    const recent = this.#recent.get(name) ?? [];
    recent.push(...entries);
    // shift() moves the array's start in place (V8 left-trims it); splice(0, n) copied all 1,000
    // entries, 4 µs per line on the request path.
    while (recent.length > maxEntriesInMemory) recent.shift();
    this.#recent.set(name, recent);
    const text = entries.map((e) => JSON.stringify(e)).join('\n') + '\n';
    const pending = this.#pending.get(name) ?? [];
    pending.push(text);
    this.#pending.set(name, pending);
    this.#pendingBytes += text.length;
    if (this.#pendingBytes >= flushPendingBytes) void this.flush();
    else this.#flushTimer ??= setTimeout(() => void this.flush(), flushDelayMs).unref();
  }

  async tail(name: string, limit: number): Promise<LogEntry[]> {
    let recent = this.#recent.get(name);
    if (!recent) {
      await this.flush();
      recent = await this.#readFileTail(name);
      this.#recent.set(name, recent);
    }
    return recent.slice(-limit);
  }

  /**
   * Calls `follower` with each entry of `name` appended from now on, until the returned function is
   * called; `onEnd` when the host closes (or the function is deleted) first. A follower must not throw.
   */
  follow(name: string, follower: LogFollower, onEnd: () => void = () => undefined): () => void {
    let followers = this.#followers.get(name);
    if (!followers) {
      followers = new Map();
      this.#followers.set(name, followers);
    }
    followers.set(follower, onEnd);
    return () => {
      followers.delete(follower);
      if (followers.size === 0 && this.#followers.get(name) === followers) this.#followers.delete(name);
    };
  }

  /** Ends every follower (the host is closing): their streams close instead of holding the listener open. */
  endFollowers(name?: string): void {
    const all = name === undefined ? [...this.#followers.values()] : [this.#followers.get(name) ?? new Map<LogFollower, () => void>()];
    if (name === undefined) this.#followers.clear();
    else this.#followers.delete(name);
    for (const followers of all) for (const onEnd of followers.values()) onEnd();
  }

  /** Forgets a deleted function's logs. */
  async remove(name: string): Promise<void> {
    this.#recent.delete(name);
    this.endFollowers(name);
    await this.flush();
    this.#fileBytes.delete(name);
    await rm(this.#file(name), { force: true });
    await rm(`${this.#file(name)}.1`, { force: true });
  }

  /** Writes everything pending. Logging never fails a request: errors are swallowed. */
  flush(): Promise<void> {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const batch = [...this.#pending.entries()];
    this.#pending.clear();
    this.#pendingBytes = 0;
    for (const [name, texts] of batch) {
      this.#writes = this.#writes.then(() => this.#write(name, texts.join(''))).catch(() => undefined);
    }
    return this.#writes;
  }

  #file(name: string): string {
    return join(this.#dir, `${name}.jsonl`);
  }

  async #write(name: string, text: string): Promise<void> {
    if (!this.#dirReady) {
      await mkdir(this.#dir, { recursive: true });
      this.#dirReady = true;
    }
    const file = this.#file(name);
    let size = this.#fileBytes.get(name) ?? (await stat(file).then((s) => s.size, () => 0));
    if (size + text.length > maxLogFileBytes) {
      await rename(file, `${file}.1`).catch(() => undefined);
      size = 0;
    }
    await appendFile(file, text);
    this.#fileBytes.set(name, size + Buffer.byteLength(text));
  }

  async #readFileTail(name: string): Promise<LogEntry[]> {
    let handle;
    try {
      handle = await open(this.#file(name), 'r');
    } catch {
      return [];
    }
    try {
      const { size } = await handle.stat();
      const start = Math.max(0, size - tailReadBytes);
      const buffer = Buffer.alloc(size - start);
      await handle.read(buffer, 0, buffer.length, start);
      const lines = buffer.toString('utf8').split('\n');
      if (start > 0) lines.shift(); // first line is probably cut
      const entries: LogEntry[] = [];
      for (const line of lines) {
        try {
          if (line) entries.push(JSON.parse(line) as LogEntry);
        } catch {
          // a torn final line after a crash: skip it
        }
      }
      return entries.slice(-maxEntriesInMemory);
    } finally {
      await handle.close();
    }
  }
}
