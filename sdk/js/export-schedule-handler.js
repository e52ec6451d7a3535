// Adapts the user's `export function handleSchedule(event)` to the
// `wasmlet:function/schedule-handler` export: returning is ok, a throw is err(message), which
// retries the event with the schedule's backoff. The toolchain generates
// `export const scheduleHandler = exportScheduleHandler(fn);`.
import { beginInvocation } from './globals.js';
import { guestError } from './guest-error.js';

// Bound from globalThis on purpose: a free `Error`-family identifier makes jco's bundler
// inject its Node.js error module, which adds ~170 KB to every component.
const { Error, TypeError } = globalThis;

/**
 * @param {Record<string, unknown>} mod the user's module namespace: exports handleSchedule
 * @returns {{ handle(event: { name: string, scheduledAt: number }): void }}
 */
export function exportScheduleHandler(mod) {
  const { handleSchedule } = mod;
  // Thrown at build time: componentization fails with this message.
  if (typeof handleSchedule !== 'function') throw new Error('wasmlet: a schedule handler is `export function handleSchedule(event)`');
  return {
    handle(event) {
      beginInvocation();
      try {
        const returned = handleSchedule(event);
        if (returned !== null && typeof returned === 'object' && typeof returned.then === 'function') {
          throw new TypeError('handleSchedule returned a Promise: async handlers are not supported (the guest runs synchronously: call fetchSync(), not await fetch())');
        }
      } catch (e) {
        throw guestError(e);
      }
    },
  };
}
