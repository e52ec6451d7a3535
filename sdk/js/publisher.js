// Sending messages to durable queues (`wasmlet:function/publisher`). The host buffers them and
// publishes when the invocation returns; the manifest's `publish` lists the allowed queues.
import { send as hostSend } from 'wasmlet:function/publisher@0.1.0';
import { bodyBytes, describe } from './body-bytes.js';
import { stringPairs } from './string-pairs.js';

// Bound from globalThis on purpose: a free `Error`-family identifier makes jco's bundler
// inject its Node.js error module, which adds ~170 KB to every component.
const { Error, TypeError, RangeError } = globalThis;

/** delay-ms is a WIT u32. */
const MAX_DELAY_MS = 0xffffffff;

/** The host refused a message: its queue is not in `publish`, or it is too large or malformed. */
export class SendError extends Error {
  /** @param {string} queue @param {string} reason the host's words */
  constructor(queue, reason) {
    super(`send to queue "${queue}" failed: ${reason}`);
    this.name = 'SendError';
    this.queue = queue;
    this.reason = reason;
  }
}

/**
 * Sends a message to `queue`; it is published when the invocation returns (a trap or a timeout
 * drops it). Arguments of the wrong type throw TypeError/RangeError before reaching the host.
 * @param {string} queue a queue the manifest's `publish` lists
 * @param {string | Uint8Array | ArrayBuffer | ArrayBufferView} body a string is sent as UTF-8
 * @param {{ attributes?: Record<string, string> | [string, string][], delayMs?: number }} [options]
 *   attributes: routing metadata (at most 32 pairs); delayMs: hidden from consumers this long
 * @returns {string} the new message's id
 * @throws {SendError} when the host refuses the message
 * @example send('thumbnails', imageBytes, { attributes: { size: '128' } });
 */
export function send(queue, body, options = {}) {
  if (typeof queue !== 'string' || queue === '') throw new TypeError(`send(): queue must be a non-empty string, got ${describe(queue)}`);
  const { attributes, delayMs = 0 } = options ?? {};
  if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > MAX_DELAY_MS) {
    throw new RangeError(`send(): delayMs must be an integer 0-${MAX_DELAY_MS}, got ${describe(delayMs)}`);
  }
  const message = {
    body: bodyBytes(body, 'send(): message body', 'sendJson()'),
    attributes: stringPairs(attributes, 'send(): attribute'),
    delayMs,
  };
  try {
    return hostSend(queue, message);
  } catch (e) {
    // componentize-qjs throws the `err(reason)` of a WIT result as an Error with that message.
    throw new SendError(queue, e instanceof Error ? e.message : String(e));
  }
}

/**
 * Sends `JSON.stringify(value)` with the attribute content-type: application/json (unless
 * `options.attributes` names a content-type).
 * @returns {string} the new message's id
 * @example sendJson('signups', { email, name });
 */
export function sendJson(queue, value, options = {}) {
  const body = JSON.stringify(value);
  if (body === undefined) throw new TypeError(`sendJson(): ${typeof value} is not JSON-serializable`);
  const attributes = stringPairs(options?.attributes, 'send(): attribute');
  const typed = attributes.some(([name]) => name.toLowerCase() === 'content-type');
  return send(queue, body, { ...options, attributes: typed ? attributes : [['content-type', 'application/json'], ...attributes] });
}
