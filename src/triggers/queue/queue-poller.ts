// The consumer loop every queue-driven trigger shares: lease a batch, hand it to a handler, keep at
// most `concurrency` batches in flight. The handler settles its own batch; if it never does (host
// crash, bug), the leases lapse and the store redelivers: at-least-once holds without the poller.
import type { LeasedMessage, QueueStore } from '../../queue/queue-store.js';

export interface PollerOptions {
  readonly queue: string;
  readonly batchSize: number;
  /** Wait up to this long for a partial batch to fill (Lambda's batching window); 0 sends what is there. */
  readonly maxBatchWaitMs: number;
  readonly concurrency: number;
  readonly visibilityTimeoutMs: number;
  /** How often an idle poller looks again; sends through this host wake it at once (`notify`). */
  readonly idlePollMs?: number;
}

export type BatchHandler = (messages: LeasedMessage[]) => Promise<void>;

/** Short enough that delayed and retried messages are picked up promptly; an idle SQLite poll costs ~10 µs. */
const defaultIdlePollMs = 100;
/** A failing store (disk full, locked) is retried at this pace rather than in a hot loop. */
const receiveErrorPauseMs = 1_000;
/** A filling batch looks for more messages at this pace. */
const batchFillPollMs = 20;

export class QueuePoller {
  readonly #store: QueueStore;
  readonly #options: PollerOptions;
  readonly #handle: BatchHandler;
  readonly #log: (line: string) => void;
  readonly #inFlight = new Set<Promise<void>>();
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  constructor(store: QueueStore, options: PollerOptions, handle: BatchHandler, log: (line: string) => void) {
    this.#store = store;
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
      try {
        batch = await this.#store.receive(queue, { max: batchSize, visibilityTimeoutMs });
        if (batch.length > 0 && batch.length < batchSize && this.#options.maxBatchWaitMs > 0) batch = await this.#fill(batch);
      } catch (err) {
        this.#log(`queue ${queue}: receive failed: ${err instanceof Error ? err.message : String(err)}`);
        await this.#sleep(receiveErrorPauseMs);
        continue;
      }
      if (batch.length === 0) {
        await this.#sleep(this.#options.idlePollMs ?? defaultIdlePollMs);
        continue;
      }
      const handling: Promise<void> = this.#handle(batch)
        .catch((err: unknown) => this.#log(`queue ${queue}: a batch of ${batch.length} was not settled (its leases will lapse and it will be redelivered): ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => this.#inFlight.delete(handling));
      this.#inFlight.add(handling);
    }
  }

  /** Leases more messages until the batch is full or the batching window closes. */
  async #fill(batch: LeasedMessage[]): Promise<LeasedMessage[]> {
    const { queue, batchSize, visibilityTimeoutMs, maxBatchWaitMs } = this.#options;
    const deadline = Date.now() + maxBatchWaitMs;
    while (this.#running && batch.length < batchSize && Date.now() < deadline) {
      await this.#sleep(Math.min(batchFillPollMs, deadline - Date.now()));
      batch.push(...(await this.#store.receive(queue, { max: batchSize - batch.length, visibilityTimeoutMs })));
    }
    return batch;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }
}
