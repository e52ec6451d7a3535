// Adapts the user's module to the `wasmlet:function/queue-handler` export, from either form:
//   export function handleMessage(message, queue)  one call per message; its return value
//     (nothing, ok(), retry(ms?), fail(reason)) is that message's result, and a throw retries
//     that message alone, after the trigger's backoff;
//   export function handleBatch(queue, messages)   the whole batch: one result per message,
//     in order; a throw is err(message), which retries the whole batch.
// The toolchain generates `export const queueHandler = exportQueueHandler(fn);`.
import { beginInvocation } from './globals.js';
import { errorMessage, guestError } from './guest-error.js';
import { log } from './host.js';
import { isTrap } from './trap.js';
import { messageResult, retry } from './queue.js';

// Bound from globalThis on purpose: a free `Error`-family identifier makes jco's bundler
// inject its Node.js error module, which adds ~170 KB to every component.
const { Error, TypeError } = globalThis;

/**
 * @param {Record<string, unknown>} mod the user's module namespace: exports handleMessage or handleBatch
 * @returns {{ handle(queue: string, messages: object[]): object[] }}
 */
export function exportQueueHandler(mod) {
  const batch = typeof mod.handleBatch === 'function' ? mod.handleBatch : undefined;
  const each = typeof mod.handleMessage === 'function' ? mod.handleMessage : undefined;
  // Thrown at build time: componentization fails with these messages.
  if (batch && each) throw new Error('wasmlet: export either handleMessage or handleBatch, not both');
  if (!batch && !each) throw new Error('wasmlet: a queue handler is `export function handleMessage(message, queue)` or `export function handleBatch(queue, messages)`');
  const handleBatch = batch ?? ((queue, messages) => messages.map((message) => eachResult(each, message, queue)));
  return {
    handle(queue, messages) {
      beginInvocation();
      try {
        return batchResults(handleBatch(queue, messages), messages.length);
      } catch (e) {
        throw guestError(e);
      }
    },
  };
}

/** One message through handleMessage: a throw (other than trap()) retries it with the trigger's backoff. */
function eachResult(handleMessage, message, queue) {
  try {
    return messageResult(handleMessage(message, queue), 'handleMessage');
  } catch (e) {
    if (isTrap(e)) throw e;
    log.error(`message ${message.id} (attempt ${message.attempt}) will be retried: ${errorMessage(e)}`);
    return retry();
  }
}

function batchResults(results, count) {
  if (!Array.isArray(results)) throw new TypeError(`handleBatch must return an array of results, one per message, got ${typeof results}`);
  if (results.length !== count) throw new TypeError(`handleBatch returned ${results.length} results for ${count} messages`);
  return results.map((result) => messageResult(result, 'handleBatch'));
}
