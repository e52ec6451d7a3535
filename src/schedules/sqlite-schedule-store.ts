// The embedded ScheduleStore: cursors in the queue database's `schedules` table (migrated by
// queue/queue-database.ts), each moved in one transaction with the tick messages it records.
import type Database from 'better-sqlite3';
import type { SqliteQueueStore } from '../queue/sqlite-queue-store.js';
import type { FirePlan, ScheduleCursor, ScheduleStore } from './schedule-store.js';

export class SqliteScheduleStore implements ScheduleStore {
  readonly #db: Database.Database;
  readonly #queues: SqliteQueueStore;
  readonly #sql;

  /** `db`: the queue database `queues` runs on. */
  constructor(db: Database.Database, queues: SqliteQueueStore) {
    this.#db = db;
    this.#queues = queues;
    this.#sql = {
      get: db.prepare('SELECT key, last_tick FROM schedules WHERE function = ? AND name = ?'),
      upsert: db.prepare('INSERT INTO schedules (function, name, key, last_tick) VALUES (?, ?, ?, ?) ON CONFLICT (function, name) DO UPDATE SET key = excluded.key, last_tick = excluded.last_tick'),
      forget: db.prepare('DELETE FROM schedules WHERE function = ?'),
    };
  }

  async lead(): Promise<boolean> {
    return true;
  }

  async fire(cursor: ScheduleCursor, queue: string, plan: (last: number | undefined) => FirePlan): Promise<FirePlan> {
    return this.#db.transaction(() => {
      const row = this.#sql.get.get(cursor.functionName, cursor.name) as { key: string; last_tick: number } | undefined;
      const last = row === undefined || row.key !== cursor.key ? undefined : row.last_tick;
      const planned = plan(last);
      if (planned.messages.length > 0) this.#queues.sendWithinTransaction(queue, planned.messages);
      if (planned.last !== last) this.#sql.upsert.run(cursor.functionName, cursor.name, cursor.key, planned.last);
      return planned;
    }).immediate();
  }

  async forget(functionName: string): Promise<void> {
    this.#sql.forget.run(functionName);
  }

  async close(): Promise<void> {}
}
