// Turns schedule ticks into messages on each function's schedule queue. The tick's message and the
// schedule's "last fired" mark are written in one transaction, with the tick in the message id: a
// restart never fires a tick twice, and a tick missed while the host was down is fired once when it
// is back (see schedule-ticks.ts for how far back it looks).
import type Database from 'better-sqlite3';
import type { ScheduleSpec } from '../../manifest/manifest.js';
import type { Clock } from '../../queue/clock.js';
import { scheduleQueueName } from '../../queue/queue-names.js';
import type { SqliteQueueStore } from '../../queue/sqlite-queue-store.js';
import type { ActiveFunction } from '../../registry/registry.js';
import { dueTicks, nextTick, scheduleKey } from './schedule-ticks.js';

/** How often due schedules are checked: schedules tick on whole seconds at the finest. */
const checkIntervalMs = 250;

const schema = `
CREATE TABLE IF NOT EXISTS schedules (
  function TEXT NOT NULL,
  name TEXT NOT NULL,
  key TEXT NOT NULL,
  last_tick INTEGER NOT NULL,
  PRIMARY KEY (function, name)
) STRICT;
`;

/** The JSON body of a tick's message. */
export interface TickMessage {
  readonly name: string;
  readonly scheduledAt: number;
}

interface Armed {
  readonly functionName: string;
  readonly spec: ScheduleSpec;
  nextDue: number;
}

export class Scheduler {
  readonly #queues: SqliteQueueStore;
  readonly #db: Database.Database;
  readonly #clock: Clock;
  readonly #onFired: (functionName: string) => void;
  readonly #sql;
  #armed: Armed[] = [];
  #timer: NodeJS.Timeout | undefined;

  /** `onFired` is told which function's schedule queue got messages, to wake its consumer. */
  constructor(queues: SqliteQueueStore, clock: Clock, onFired: (functionName: string) => void) {
    this.#queues = queues;
    this.#db = queues.database;
    this.#clock = clock;
    this.#onFired = onFired;
    this.#db.exec(schema);
    this.#sql = {
      get: this.#db.prepare('SELECT key, last_tick FROM schedules WHERE function = ? AND name = ?'),
      upsert: this.#db.prepare('INSERT INTO schedules (function, name, key, last_tick) VALUES (?, ?, ?, ?) ON CONFLICT (function, name) DO UPDATE SET key = excluded.key, last_tick = excluded.last_tick'),
      forget: this.#db.prepare('DELETE FROM schedules WHERE function = ?'),
    };
  }

  /** Re-reads the schedules of the active functions; fires whatever is already due. */
  sync(functions: readonly ActiveFunction[]): void {
    this.#armed = [];
    for (const fn of functions) {
      for (const spec of fn.manifest.schedule) this.#armed.push({ functionName: fn.name, spec, nextDue: this.#fire(fn.name, spec) });
    }
    this.#timer ??= setInterval(() => this.check(), checkIntervalMs);
    this.#timer.unref();
  }

  /** Re-reads the schedules of one function (undefined: deleted); the others are left as they are. */
  syncFunction(name: string, fn: ActiveFunction | undefined): void {
    this.#armed = this.#armed.filter((armed) => armed.functionName !== name);
    for (const spec of fn?.manifest.schedule ?? []) this.#armed.push({ functionName: name, spec, nextDue: this.#fire(name, spec) });
    this.#timer ??= setInterval(() => this.check(), checkIntervalMs);
    this.#timer.unref();
  }

  /** Fires every schedule that is due now (the timer calls this; tests call it with their clock). */
  check(): void {
    const now = this.#clock.now();
    for (const armed of this.#armed) {
      if (armed.nextDue <= now) armed.nextDue = this.#fire(armed.functionName, armed.spec);
    }
  }

  /** A deleted function's schedules start afresh if it is ever deployed again. */
  forget(functionName: string): void {
    this.#sql.forget.run(functionName);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Sends the due ticks of one schedule and returns when it is next due. */
  #fire(functionName: string, spec: ScheduleSpec): number {
    const now = this.#clock.now();
    const key = scheduleKey(spec);
    const fired = this.#db.transaction(() => {
      const row = this.#sql.get.get(functionName, spec.name) as { key: string; last_tick: number } | undefined;
      if (row === undefined || row.key !== key) {
        // New or changed: it starts ticking from now; nothing before its deploy is owed.
        this.#sql.upsert.run(functionName, spec.name, key, now);
        return { last: now, count: 0 };
      }
      const ticks = dueTicks(spec, row.last_tick, now);
      if (ticks.length === 0) return { last: row.last_tick, count: 0 };
      const messages = ticks.map((tick) => ({
        // The tick in the id: the same tick can never be queued twice while the first is waiting.
        id: `${spec.name}.${tick}`,
        body: new TextEncoder().encode(JSON.stringify({ name: spec.name, scheduledAt: tick } satisfies TickMessage)),
      }));
      this.#queues.sendWithinTransaction(scheduleQueueName(functionName), messages);
      this.#sql.upsert.run(functionName, spec.name, key, ticks.at(-1)!);
      return { last: ticks.at(-1)!, count: ticks.length };
    }).immediate();
    if (fired.count > 0) this.#onFired(functionName);
    return nextTick(spec, fired.last);
  }
}
