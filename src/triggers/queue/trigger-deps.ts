// What the queue-driven triggers (queue, async, schedule) need from the host.
import type { HostLog } from '../../logs/host-log.js';
import type { Clock } from '../../queue/clock.js';
import type { QueueStore } from '../../queue/queue-store.js';
import type { ActiveFunction } from '../../registry/registry.js';
import type { Invoker } from '../../invoke/invoker.js';
import type { Random } from './backoff.js';
import type { Tracer } from '../../tracing/tracing.js';

export interface TriggerDeps {
  readonly store: QueueStore;
  /** Where `[[object_event]]` triggers consume (the host's local queues while objects are not ported to JetStream); default `store`. */
  readonly objectEventStore?: QueueStore | undefined;
  readonly invoker: Invoker;
  /** The active version of a function now; undefined once it is deleted. */
  readonly functions: (name: string) => ActiveFunction | undefined;
  /** A published version (Lambda's PublishVersion) in runnable form; undefined once deleted. Absent: events name none. */
  readonly functionVersion?: ((name: string, version: number) => ActiveFunction | undefined) | undefined;
  readonly clock: Clock;
  readonly random: Random;
  readonly log: HostLog;
  /** Present when traces are exported: each delivered message gets a consumer span (tracing/trace-messages.ts). */
  readonly tracer?: Tracer | undefined;
}
