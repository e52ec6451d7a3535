// A batch of queue messages as the host takes it in one request (`POST /v1/queues/{queue}/messages`,
// one transaction on the host): the host's batch JSON, each body as text or base64.
import { checkDelay } from './admin-request-parts.js';

/** The host's name for a batch send (`POST /v1/queues/{queue}/messages`), like SQS's SendMessageBatch. */
export const batchContentType = 'application/vnd.wasmlet.batch+json';

/** One message of a batch: a string body is sent as text, bytes as base64 (so any bytes survive the JSON). */
export interface BatchMessage {
  readonly body: Uint8Array | string;
  readonly attributes?: Readonly<Record<string, string>> | undefined;
  /** Not deliverable before this many ms from now. */
  readonly delayMs?: number | undefined;
  /** The message id; the host makes one when absent. */
  readonly id?: string | undefined;
}

/** A BatchMessage in the host's batch JSON (snake_case, `encoding` saying how `body` is written). */
export function batchEntry(message: BatchMessage): Record<string, unknown> {
  const text = typeof message.body === 'string';
  return {
    body: text ? message.body : Buffer.from(message.body as Uint8Array).toString('base64'),
    encoding: text ? 'text' : 'base64',
    ...(message.attributes !== undefined ? { attributes: message.attributes } : {}),
    ...(message.delayMs !== undefined ? { delay_ms: checkDelay(message.delayMs) } : {}),
    ...(message.id !== undefined ? { id: message.id } : {}),
  };
}
