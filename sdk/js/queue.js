// Queue messages and what a handler answers for each: the `message` record and the
// `message-result` variant of `wasmlet:function/queue-handler`.
import { describe } from './body-bytes.js';

// Bound from globalThis on purpose: a free `Error`-family identifier makes jco's bundler
// inject its Node.js error module, which adds ~170 KB to every component.
const { TypeError, RangeError } = globalThis;

/** retry's delay is a WIT u32. */
const MAX_RETRY_DELAY_MS = 0xffffffff;

const OK = Object.freeze({ tag: 'ok' });

/** Done: the message is deleted. Returning nothing means the same. */
export function ok() {
  return OK;
}

/**
 * Deliver the message again after `delayMs`, or after the trigger's backoff when omitted.
 * After the trigger's `max_attempts` deliveries it goes to the dead-letter queue instead.
 * @param {number} [delayMs]
 */
export function retry(delayMs) {
  if (delayMs === undefined || delayMs === null) return Object.freeze({ tag: 'retry', val: null });
  if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > MAX_RETRY_DELAY_MS) {
    throw new RangeError(`retry(): delayMs must be an integer 0-${MAX_RETRY_DELAY_MS}, got ${describe(delayMs)}`);
  }
  return Object.freeze({ tag: 'retry', val: delayMs });
}

/**
 * Permanent failure: the message goes to the dead-letter queue now, with this reason.
 * @param {string} reason
 */
export function fail(reason) {
  return Object.freeze({ tag: 'fail', val: String(reason) });
}

/**
 * The first value of a message attribute (names match exactly); undefined when absent.
 * @param {{ attributes: [string, string][] }} message
 * @param {string} name
 * @example attribute(message, 'content-type') === 'application/json'
 */
export function attribute(message, name) {
  const hit = message.attributes.find(([n]) => n === name);
  return hit ? hit[1] : undefined;
}

/**
 * Checks what a handler gave for one message and returns the WIT variant: nothing means ok;
 * otherwise a value made by ok(), retry() or fail() (or an equal plain object).
 * @param {string} who names the handler in the error, e.g. 'handleMessage'
 */
export function messageResult(value, who) {
  if (value === undefined || value === null) return OK;
  if (typeof value === 'object' && typeof value.then === 'function') {
    throw new TypeError(`${who} returned a Promise: async handlers are not supported (the guest runs synchronously: call fetchSync(), not await fetch())`);
  }
  switch (typeof value === 'object' ? value.tag : undefined) {
    case 'ok':
      return OK;
    case 'retry':
      return retry(value.val);
    case 'fail':
      if (typeof value.val !== 'string') break;
      return fail(value.val);
    default:
      break;
  }
  throw new TypeError(`${who} must give ok(), retry(delayMs?), fail(reason) or nothing for a message, got ${describe(value)}`);
}
