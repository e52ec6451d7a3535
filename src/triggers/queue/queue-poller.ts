// The consumer loop every queue-driven trigger shares: lease a batch, hand it to a handler, keep at
// most `concurrency` batches in flight. An idle loop costs nothing: it sleeps until the store says
// its next message becomes deliverable, or until a send through this host wakes it (`notify`). The handler settles its own batch; if it never does (host
// crash, bug), the leases lapse and the store redelivers: at-least-once holds without the poller.
import type { Clock } from '../../queue/clock.js';
import type { LeasedMessage, QueueStore } from '../../queue/queue-store.js';

export interface PollerOptions {
  readonly queue: string;
  readonly batchSize: number;
  /** Wait up to this long for a partial batch to fill (Lambda's batching window); 0 sends what is there. */
  readonly maxBatchWaitMs: number;
  readonly concurrency: number;
  readonly visibilityTimeoutMs: number;
  /** The longest an idle poller sleeps without being woken: a safety net, not the way messages are found. */
  readonly maxIdleMs?: number;
}

export type BatchHandler = (messages: LeasedMessage[]) => Promise<void>;

/**
 * Every send goes through this host (one host per data directory), so sends wake pollers and
 * delays are known to the store: this only bounds how long a surprise (a clock step, a bug) can go
 * unnoticed. Thousands of idle functions then cost a few queries a second, not thousands.
 */
const defaultMaxIdleMs = 30_000;
/** Sleeping less than this is not worth a timer (the store's clock and the timers may disagree slightly). */
const minIdleMs = 5;
/** A failing store (disk full, locked) is retried at this pace rather than in a hot loop. */
const receiveErrorPauseMs = 1_000;
/** A filling batch looks for more messages at this pace. */
const batchFillPollMs = 20;

export class QueuePoller {
  readonly #store: QueueStore;
  readonly #options: PollerOptions;
  readonly #handle: BatchHandler;
  readonly #log: (line: string) => void;
  readonly #clock: Clock;
  readonly #inFlight = new Set<Promise<void>>();
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  /** A send arrived since the last receive began: the next sleep must not happen (no lost wake-ups). */
  #notified = false;

  constructor(store: QueueStore, options: PollerOptions, handle: BatchHandler, log: (line: string) => void, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
    this.#options = options;
    this.#handle = handle;
    this.#log = log;
  }

  get queue(): string {
    return this.#options.queue;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Something was sent to the queue: look now instead of at the next idle poll. */
  notify(): void {
    this.#notified = true;
    this.#wake?.();
  }

  /** Stops leasing and waits for the batches in flight to be settled. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
    await Promise.allSettled([...this.#inFlight]);
  }

  async #run(): Promise<void> {
    const { queue, batchSize, concurrency, visibilityTimeoutMs } = this.#options;
    while (this.#running) {
      if (this.#inFlight.size >= concurrency) {
        await Promise.race(this.#inFlight);
        continue;
      }
      let batch: LeasedMessage[];
      this.#notified = false;
      try {
        batch = await this.#store.receive(queue, { max: batchSize, visibilityTimeoutMs });
        if (batch.length > 0 && batch.length < batchSize && this.#options.maxBatchWaitMs > 0) batch = await this.#fill(batch);
      } catch (err) {
        this.#log(`queue ${queue}: receive failed: ${err instanceof Error ? err.message : String(err)}`);
        await this.#sleep(receiveErrorPauseMs);
        continue;
      }
      if (batch.length === 0) {
        await this.#sleep(await this.#idleFor());
        continue;
      }
      const handling: Promise<void> = this.#handle(batch)
        .catch((err: unknown) => this.#log(`queue ${queue}: a batch of ${batch.length} was not settled (its leases will lapse and it will be redelivered): ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => {
          this.#inFlight.delete(handling);
          // Its settlement moved visibility times (a retry's delay, a lease given back): look again.
          this.notify();
        });
      this.#inFlight.add(handling);
    }
  }

  /** Until the next message becomes deliverable, within [minIdleMs, maxIdleMs]. */
  async #idleFor(): Promise<number> {
    const maxIdleMs = this.#options.maxIdleMs ?? defaultMaxIdleMs;
    const next = await this.#store.nextVisibleAt(this.#options.queue).catch(() => null);
    if (next === null) return maxIdleMs;
    return Math.min(maxIdleMs, Math.max(minIdleMs, next - this.#clock.now()));
  }

  /** Leases more messages until the batch is full or the batching window closes. */
  async #fill(batch: LeasedMessage[]): Promise<LeasedMessage[]> {
    const { queue, batchSize, visibilityTimeoutMs, maxBatchWaitMs } = this.#options;
    const deadline = Date.now() + maxBatchWaitMs;
    while (this.#running && batch.length < batchSize && Date.now() < deadline) {
      await this.#sleep(Math.min(batchFillPollMs, deadline - Date.now()));
      this.#notified = false;
      batch.push(...(await this.#store.receive(queue, { max: batchSize - batch.length, visibilityTimeoutMs })));
    }
    return batch;
  }

  #sleep(ms: number): Promise<void> {
    if (this.#notified || !this.#running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.#wake === done) this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }
}
