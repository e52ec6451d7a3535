// Queue names: the alphabet every backend accepts, and the names the host keeps for itself.
import { createHash } from 'node:crypto';

/** Queue names become parts of URLs and metric labels: keep them to a safe, short alphabet. */
export const queueNamePattern = /^[a-z0-9][a-z0-9._-]{0,127}$/;

/** Queues whose names start with this belong to the host (async invocations, schedule ticks). */
export const internalQueuePrefix = 'wasmlet.';

/** The durable queue of a function's async invocations (function names are DNS labels: always valid here). */
export function asyncQueueName(functionName: string): string {
  return `${internalQueuePrefix}async.${functionName}`;
}

/** The durable queue of a function's schedule ticks. */
export function scheduleQueueName(functionName: string): string {
  return `${internalQueuePrefix}schedule.${functionName}`;
}

/** Longest queue name (queueNamePattern). */
const maxQueueNameChars = 128;

/**
 * The durable queue of a function's `[[object_event]]` on `bucket` (one per bucket and function).
 * A 63-character function name and a 63-character bucket do not fit beside the prefix: then the
 * bucket is replaced by a digest of it, so the name stays unique and stable.
 */
export function objectEventQueueName(functionName: string, bucket: string): string {
  const name = `${internalQueuePrefix}objects.${functionName}.${bucket}`;
  if (name.length <= maxQueueNameChars) return name;
  return `${internalQueuePrefix}objects.${functionName}.${createHash('sha256').update(bucket).digest('hex').slice(0, 16)}`;
}

/** A trigger's dead-letter queue when the manifest names none. */
export function defaultDeadLetterQueue(queue: string): string {
  const name = `${queue}-dlq`;
  // A 128-character queue name leaves no room for the suffix: keep the end, which tells it apart.
  return name.length <= 128 ? name : name.slice(name.length - 128).replace(/^[._-]+/, '');
}
