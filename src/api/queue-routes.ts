// The queue endpoints of the admin API: publish, inspect, peek and redrive.
//   POST /v1/queues/{queue}/messages   one message (raw body) or a batch (JSON {messages: [...]})
//   GET  /v1/queues                    every queue with its counts
//   GET  /v1/queues/{queue}            one queue's counts
//   GET  /v1/queues/{queue}/messages   the oldest messages, whatever their state (e.g. a DLQ)
//   POST /v1/queues/{queue}/redrive    move dead letters back to their source queue
import type { Hono } from 'hono';
import * as z from 'zod';
import { WasmletError } from '../errors/wasmlet-error.js';
import { maxMessageBodyBytes, maxMessagesPerSend, parseQueueName } from '../queue/queue-input.js';
import { internalQueuePrefix } from '../queue/queue-names.js';
import type { OutgoingMessage, QueueStore, StoredMessage } from '../queue/queue-store.js';
import type { Registry } from '../registry/registry.js';
import { readBodyLimited } from './read-body.js';
import { withRequestTrace } from './admin-trace.js';

export interface QueueRouteDeps {
  readonly queues: QueueStore;
  readonly registry: Registry;
}

/** A batch's JSON: each body is base64 (or text when `encoding` says so), like SQS's SendMessageBatch. */
const batchSchema = z.strictObject({
  messages: z
    .array(
      z.strictObject({
        body: z.string(),
        encoding: z.enum(['text', 'base64']).default('text'),
        attributes: z.record(z.string(), z.string()).optional(),
        delay_ms: z.int().min(0).optional(),
        id: z.string().optional(),
      }),
    )
    .min(1)
    .max(maxMessagesPerSend),
});

/** A batch upload may carry many messages, each up to 1 MiB; the store checks each one again. */
const maxPublishRequestBytes = 16 * 1024 * 1024;
const defaultPeekLimit = 20;
const maxPeekLimit = 1_000;

export function mountQueueRoutes(app: Hono, deps: QueueRouteDeps): void {
  app.post('/v1/queues/:queue/messages', async (c) => {
    const queue = publicQueue(c.req.param('queue'));
    const contentType = c.req.header('content-type') ?? 'application/octet-stream';
    const isBatch = contentType.startsWith('application/vnd.wasmlet.batch+json');
    const read = await readBodyLimited(c.req.raw, isBatch ? maxPublishRequestBytes : maxMessageBodyBytes);
    if (!read.ok) throw new WasmletError('body_too_large', `a message body is at most ${maxMessageBodyBytes} bytes (a batch request ${maxPublishRequestBytes})`);
    const messages: OutgoingMessage[] = isBatch ? parseBatch(read.body) : [single(read.body, contentType, c.req.header('x-wasmlet-delay-ms'), c.req.header('x-wasmlet-message-id'))];
    const ids = await deps.queues.send(queue, withRequestTrace(c, messages));
    return c.json({ queue, ids }, 202);
  });

  app.get('/v1/queues', async (c) => c.json({ queues: await deps.queues.queues() }));

  app.get('/v1/queues/:queue', async (c) => {
    const queue = parseQueueName(c.req.param('queue'));
    return c.json({ queue, ...(await deps.queues.stats(queue)), consumer: consumerOf(deps.registry, queue) ?? null });
  });

  app.get('/v1/queues/:queue/messages', async (c) => {
    const queue = parseQueueName(c.req.param('queue'));
    const limit = parseIntegerQuery(c.req.query('limit'), 'limit', 1, maxPeekLimit) ?? defaultPeekLimit;
    const messages = await deps.queues.list(queue, { limit });
    return c.json({ queue, messages: messages.map(describeMessage) });
  });

  app.post('/v1/queues/:queue/redrive', async (c) => {
    const from = parseQueueName(c.req.param('queue'));
    const given = c.req.query('to');
    const to = given ?? sourceOf(deps.registry, from);
    if (to === undefined) {
      throw new WasmletError('bad_request', `no [[queue]] or [[object_event]] trigger names ${from} as its dead_letter queue; say where to move its messages with ?to=<queue>`);
    }
    const limit = parseIntegerQuery(c.req.query('limit'), 'limit', 1, maxPeekLimit) ?? maxPeekLimit;
    // The source a trigger names may be a host queue (an [[object_event]]'s); a queue a person names may not.
    const moved = await deps.queues.redrive(from, given === undefined ? to : publicQueue(to), limit);
    return c.json({ from, to, moved });
  });
}

/** Host-owned queues (async events, schedule ticks) can be read, never written from outside. */
function publicQueue(name: string): string {
  const queue = parseQueueName(name);
  if (queue.startsWith(internalQueuePrefix)) throw new WasmletError('bad_request', `queue "${queue}" belongs to the host ("${internalQueuePrefix}" prefix); it cannot be written to`);
  return queue;
}

function single(body: Uint8Array, contentType: string, delay: string | undefined, id: string | undefined): OutgoingMessage {
  const delayMs = delay === undefined ? undefined : Number(delay);
  if (delayMs !== undefined && (!/^\d+$/.test(delay!) || !Number.isSafeInteger(delayMs))) {
    throw new WasmletError('bad_request', `x-wasmlet-delay-ms must be a whole number of milliseconds, got ${JSON.stringify(delay)}`);
  }
  return { body, attributes: { 'content-type': contentType }, ...(delayMs !== undefined ? { delayMs } : {}), ...(id !== undefined ? { id } : {}) };
}

function parseBatch(raw: Uint8Array): OutgoingMessage[] {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(raw));
  } catch {
    throw new WasmletError('bad_request', 'the batch is not valid JSON');
  }
  const parsed = batchSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new WasmletError('bad_request', `batch: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data.messages.map((m) => ({
    body: m.encoding === 'base64' ? Buffer.from(m.body, 'base64') : new TextEncoder().encode(m.body),
    ...(m.attributes !== undefined ? { attributes: m.attributes } : {}),
    ...(m.delay_ms !== undefined ? { delayMs: m.delay_ms } : {}),
    ...(m.id !== undefined ? { id: m.id } : {}),
  }));
}

/** Bodies are shown as text when they are valid UTF-8, and always as base64. */
function describeMessage(m: StoredMessage) {
  let text: string | null;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(m.body);
  } catch {
    text = null;
  }
  return {
    id: m.id,
    state: m.state,
    attempt: m.attempt,
    enqueuedAt: new Date(m.enqueuedAt).toISOString(),
    visibleAt: new Date(m.visibleAt).toISOString(),
    lastError: m.lastError,
    attributes: m.attributes,
    text,
    base64: Buffer.from(m.body).toString('base64'),
  };
}

function consumerOf(registry: Registry, queue: string): string | undefined {
  return registry.list().find((fn) => fn.manifest.queue.some((t) => t.queue === queue))?.name;
}

/** The queue whose trigger dead-letters into `dlq` (an [[object_event]]'s is the host queue of its bucket). */
function sourceOf(registry: Registry, dlq: string): string | undefined {
  for (const fn of registry.list()) {
    const trigger = fn.manifest.queue.find((t) => t.deadLetter === dlq) ?? fn.manifest.objectEvent.find((t) => t.deadLetter === dlq);
    if (trigger) return trigger.queue;
  }
  return undefined;
}

function parseIntegerQuery(raw: string | undefined, name: string, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new WasmletError('bad_request', `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return value;
}
