// Chooses where queues, async invocation records, schedule state and key-value stores live: the
// embedded SQLite files (the default) or NATS JetStream (`serve --nats`), shared by every host on it.
// The embedded queue database is opened either way (`openQueues`): object events stay on the host that
// stored the object and go through its local queues (host/object-backend.ts).
import { join } from 'node:path';
import type { InvocationState, InvocationStore } from '../async/invocation-records.js';
import { SqliteInvocationStore } from '../async/invocation-store.js';
import { connectNats } from '../nats/connect-nats.js';
import { JetStreamInvocationStore } from '../nats/jetstream-invocation-store.js';
import { JetStreamKeyValueStores } from '../nats/jetstream-key-value-stores.js';
import { JetStreamQueueStore } from '../nats/jetstream-queue-store.js';
import { JetStreamScheduleStore } from '../nats/jetstream-schedule-store.js';
import type { NatsOptions } from '../nats/nats-options.js';
import type { Clock } from '../queue/clock.js';
import type { KeyValueStores } from '../kv/key-value-store.js';
import type { QueueQuota } from '../queue/queue-quota.js';
import type { QueueStore } from '../queue/queue-store.js';
import { SqliteQueueStore, type SqliteQueueStoreOptions } from '../queue/sqlite-queue-store.js';
import type { ScheduleStore } from '../schedules/schedule-store.js';
import { SqliteScheduleStore } from '../schedules/sqlite-schedule-store.js';
import type { HostOptions } from './host-options.js';

export interface QueueBackend {
  /** Queues every trigger, the invoker's outbox and the admin API use. */
  readonly queues: QueueStore;
  readonly invocations: InvocationStore & { countByState(): Record<InvocationState, number> | Promise<Record<InvocationState, number>> };
  readonly schedules: ScheduleStore;
  /** Key-value stores shared by the hosts (JetStream KV buckets); undefined: the data directory's SQLite stores. */
  readonly keyValue?: KeyValueStores | undefined;
  /** Closes what this backend opened (not the embedded queue database: its owner closes it). */
  close(): Promise<void>;
}

export interface QueueBackendOptions {
  readonly local: SqliteQueueStore;
  readonly clock: Clock;
  readonly nats?: NatsOptions | undefined;
  /** Told which queues received messages (on JetStream: from any host). */
  readonly onSent: (queues: ReadonlySet<string>) => void;
  /** `serve --queue-max-messages/--queue-max-bytes` as given: on JetStream, each queue's stream limits. */
  readonly queueQuota?: Partial<QueueQuota> | undefined;
  readonly log: (line: string) => void;
}

export async function openQueueBackend(options: QueueBackendOptions): Promise<QueueBackend> {
  const { local, clock, nats } = options;
  if (nats === undefined) {
    return {
      queues: local,
      invocations: new SqliteInvocationStore(local.database, local, clock),
      schedules: new SqliteScheduleStore(local.database, local),
      close: async () => {},
    };
  }
  const connection = await connectNats(nats, 'wasmlet');
  const replicas = nats.replicas ?? 1;
  const queues = new JetStreamQueueStore({
    connection, clock, replicas, onSent: options.onSent, quota: options.queueQuota,
    ...(nats.duplicateWindowMs !== undefined ? { duplicateWindowMs: nats.duplicateWindowMs } : {}),
  });
  const invocations = new JetStreamInvocationStore({ connection, queues, clock, replicas });
  const schedules = new JetStreamScheduleStore({ connection, queues, clock, replicas });
  const keyValue = new JetStreamKeyValueStores({ connection, replicas });
  options.log(`queues, async invocations, schedules and key-value stores on NATS JetStream at ${nats.servers.join(',')} (replicas ${replicas})`);
  return {
    queues,
    invocations,
    schedules,
    keyValue,
    async close() {
      await schedules.close();
      await queues.close();
      await connection.drain().catch(() => undefined);
    },
  };
}

/** The queue database, its leases released: the previous process (if any) is gone and can never settle them, so their messages are redelivered now. */
export async function openQueues(options: HostOptions, store: Pick<SqliteQueueStoreOptions, 'clock' | 'onSent' | 'guard' | 'admitBytes' | 'quota'>, log: (line: string) => void): Promise<SqliteQueueStore> {
  const queues = new SqliteQueueStore({ path: join(options.dataDir, 'queues.db'), synchronous: options.queueDurability ?? 'normal', ...store });
  try {
    const orphaned = await queues.releaseAllLeases();
    if (orphaned > 0) log(`redelivering ${orphaned} message(s) that were in flight when the host last stopped`);
    return queues;
  } catch (err) {
    await queues.close();
    throw err;
  }
}
