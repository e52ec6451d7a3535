// Chooses where S3 buckets live: the data directory's SQLite store and content files (the default),
// or NATS JetStream (`serve --nats`), shared by every host on it. Either way the changes that
// `[[object_event]]` subscriptions want go through this host's relay into its own queue database.
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { connectNats } from '../nats/connect-nats.js';
import { JetStreamObjectStore } from '../nats/jetstream-object-store.js';
import type { NatsOptions } from '../nats/nats-options.js';
import type { ObjectLimits } from '../objects/object-limits.js';
import type { ObjectChange, ObjectStore } from '../objects/object-store.js';
import { SqliteObjectStore } from '../objects/sqlite-object-store.js';
import type { SqliteSynchronous } from '../embedded/sqlite-database.js';
import type { Clock } from '../queue/clock.js';

const orphanCollectionIntervalMs = 60 * 60 * 1000;

export interface ObjectBackendOptions {
  readonly dataDir: string;
  readonly clock: Clock;
  readonly nats?: NatsOptions | undefined;
  readonly synchronous: SqliteSynchronous;
  readonly limits?: Partial<ObjectLimits> | undefined;
  /** The disk budget (embedded store only: JetStream's bytes are on the NATS servers). */
  readonly admitBytes: (bytes: number) => void;
  readonly recordEvent: (change: ObjectChange) => boolean;
  readonly onEvents: () => void;
  readonly log: (line: string) => void;
}

export interface ObjectBackend {
  readonly objects: ObjectStore;
  /** Closes the store and what this backend opened for it. */
  close(): Promise<void>;
}

export async function openObjectBackend(options: ObjectBackendOptions): Promise<ObjectBackend> {
  const { nats } = options;
  if (nats === undefined) {
    const objects = await SqliteObjectStore.open({
      dir: join(options.dataDir, 'objects'),
      clock: options.clock,
      synchronous: options.synchronous,
      limits: options.limits,
      admitBytes: options.admitBytes,
      recordEvent: options.recordEvent,
      onEvents: options.onEvents,
    });
    return { objects, close: () => objects.close() };
  }
  const connection = await connectNats(nats, 'wasmlet-objects');
  const replicas = nats.replicas ?? 1;
  try {
    const objects = await JetStreamObjectStore.open({
      connection, replicas, clock: options.clock, limits: options.limits, recordEvent: options.recordEvent, onEvents: options.onEvents, log: options.log,
      eventSource: eventSourceOf(options.dataDir),
    });
    options.log(`buckets (S3) on NATS JetStream at ${nats.servers.join(',')} (replicas ${replicas})`);
    // Blobs a crash left without a record: collected in the background at start and every hour after.
    let collecting: Promise<void> | undefined;
    const collect = () => {
      collecting ??= objects.collectOrphanBlobs()
        .then((count) => void (count > 0 && options.log(`removed ${count} object blobs no record names (left by a crash or a failed delete)`)))
        .catch((err: unknown) => options.log(`could not collect orphan object blobs: ${(err as Error).message}`))
        .finally(() => (collecting = undefined));
    };
    collect();
    const timer = setInterval(collect, orphanCollectionIntervalMs).unref();
    return {
      objects,
      async close() {
        clearInterval(timer);
        await collecting;
        await objects.close();
        await connection.drain().catch(() => undefined);
      },
    };
  } catch (err) {
    await connection.close().catch(() => undefined);
    throw err;
  }
}

/** This host's events: the same after a restart on the same data directory, another for another host. */
function eventSourceOf(dataDir: string): string {
  return createHash('sha256').update(`${hostname()}\0${resolve(dataDir)}`).digest('hex').slice(0, 16);
}
