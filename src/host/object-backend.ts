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

const collectionIntervalMs = 60 * 1000;
/** Orphans are rare (a crash) and cost a read of every record: every 60th pass, an hour apart. */
const orphanPassEvery = 60;

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
    // The blobs of replaced and deleted objects once their grace period is over, every minute; blobs
    // a crash left without a record, at start and every hour. In the background, one pass at a time.
    let collecting: Promise<void> | undefined;
    let passes = 0;
    const collect = () => {
      const orphansToo = passes++ % orphanPassEvery === 0;
      collecting ??= (async () => {
        const retired = await objects.collectRetiredBlobs();
        const orphans = orphansToo ? await objects.collectOrphanBlobs() : 0;
        if (retired + orphans > 0) options.log(`removed ${retired} blobs of replaced or deleted objects, ${orphans} no record named (left by a crash or a failed delete)`);
      })()
        .catch((err: unknown) => options.log(`could not collect object blobs: ${(err as Error).message}`))
        .finally(() => (collecting = undefined));
    };
    collect();
    const timer = setInterval(collect, collectionIntervalMs).unref();
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
