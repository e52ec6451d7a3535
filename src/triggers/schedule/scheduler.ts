// Turns schedule ticks into messages on each function's schedule queue, through the ScheduleStore
// port (schedules/schedule-store.ts): the tick's message and the schedule's "last fired" mark go
// together, with the tick in the message id, so a restart never fires a tick twice and a tick missed
// while the host was down is fired once when it is back (see schedule-ticks.ts for how far back it
// looks). With several hosts only the one holding the store's leadership fires.
import type { ScheduleSpec } from '../../manifest/manifest.js';
import type { Clock } from '../../queue/clock.js';
import { scheduleQueueName } from '../../queue/queue-names.js';
import type { ActiveFunction } from '../../registry/registry.js';
import type { ScheduleStore } from '../../schedules/schedule-store.js';
import { dueTicks, nextTick, scheduleKey } from './schedule-ticks.js';

/** How often due schedules are checked: schedules tick on whole seconds at the finest. */
const checkIntervalMs = 250;

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
  readonly #store: ScheduleStore;
  readonly #clock: Clock;
  readonly #onFired: (functionName: string) => void;
  readonly #log: (line: string) => void;
  #armed: Armed[] = [];
  #timer: NodeJS.Timeout | undefined;
  /** One pass at a time: a slow store (JetStream) must not overlap passes. */
  #checking: Promise<void> = Promise.resolve();

  /** `onFired` is told which function's schedule queue got messages, to wake its consumer. */
  constructor(store: ScheduleStore, clock: Clock, onFired: (functionName: string) => void, log: (line: string) => void = () => {}) {
    this.#store = store;
    this.#clock = clock;
    this.#onFired = onFired;
    this.#log = log;
  }

  /** Re-reads the schedules of the active functions; fires whatever is already due. */
  sync(functions: readonly ActiveFunction[]): Promise<void> {
    this.#armed = [];
    for (const fn of functions) {
      for (const spec of fn.manifest.schedule) this.#armed.push({ functionName: fn.name, spec, nextDue: Number.NEGATIVE_INFINITY });
    }
    this.#start();
    return this.check();
  }

  /** Re-reads the schedules of one function (undefined: deleted); the others are left as they are. */
  syncFunction(name: string, fn: ActiveFunction | undefined): Promise<void> {
    this.#armed = this.#armed.filter((armed) => armed.functionName !== name);
    for (const spec of fn?.manifest.schedule ?? []) this.#armed.push({ functionName: name, spec, nextDue: Number.NEGATIVE_INFINITY });
    this.#start();
    return this.check();
  }

  /** Fires every schedule that is due now, when this host leads (the timer calls this; tests call it with their clock). */
  check(): Promise<void> {
    this.#checking = this.#checking.then(() => this.#check()).catch((err: unknown) => this.#log(`schedules: ${(err as Error).message}`));
    return this.#checking;
  }

  /** A deleted function's schedules start afresh if it is ever deployed again. */
  forget(functionName: string): Promise<void> {
    return this.#store.forget(functionName);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #start(): void {
    this.#timer ??= setInterval(() => void this.check(), checkIntervalMs);
    this.#timer.unref();
  }

  async #check(): Promise<void> {
    const now = this.#clock.now();
    if (!this.#armed.some((armed) => armed.nextDue <= now)) return;
    // Another host fires while it leads; this one looks again at the next pass (a takeover
    // recomputes from the stored cursor, so nothing is lost or doubled).
    if (!(await this.#store.lead())) return;
    for (const armed of this.#armed) {
      if (armed.nextDue <= now) armed.nextDue = await this.#fire(armed.functionName, armed.spec);
    }
  }

  /** Sends the due ticks of one schedule and returns when it is next due. */
  async #fire(functionName: string, spec: ScheduleSpec): Promise<number> {
    const now = this.#clock.now();
    const cursor = { functionName, name: spec.name, key: scheduleKey(spec) };
    const fired = await this.#store.fire(cursor, scheduleQueueName(functionName), (last) => {
      // New or changed: it starts ticking from now; nothing before its deploy is owed.
      if (last === undefined) return { last: now, messages: [] };
      const ticks = dueTicks(spec, last, now);
      return {
        last: ticks.at(-1) ?? last,
        messages: ticks.map((tick) => ({
          // The tick in the id: the same tick can never be queued twice while the first is waiting.
          id: `${spec.name}.${tick}`,
          body: new TextEncoder().encode(JSON.stringify({ name: spec.name, scheduledAt: tick } satisfies TickMessage)),
        })),
      };
    });
    if (fired.messages.length > 0) this.#onFired(functionName);
    return nextTick(spec, fired.last);
  }
}
