// Adapts the user's module to the `wasmlet:function/http-handler` export. The JS toolchain
// (toolchains/js/build.mjs) generates the component's entry as:
//   import * as fn from './handler.js';
//   export const httpHandler = exportHttpHandler(fn);
import { beginInvocation } from './globals.js';
import { guestError } from './guest-error.js';
import { normalizeResponse } from './response.js';

// Bound from globalThis on purpose: a free `Error`-family identifier makes jco's bundler
// inject its Node.js error module, which adds ~170 KB to every component.
const { Error } = globalThis;

/**
 * @param {Record<string, unknown>} mod the user's module namespace; it exports
 *   `handle(request)`, or a default function, or a default object with `handle`.
 * @returns {{ handle(request: object): object }}
 */
export function exportHttpHandler(mod) {
  const handle = pickHandle(mod);
  return {
    handle(request) {
      beginInvocation();
      try {
        return normalizeResponse(handle(request));
      } catch (e) {
        throw guestError(e);
      }
    },
  };
}

function pickHandle(mod) {
  if (typeof mod.handle === 'function') return mod.handle;
  const d = mod.default;
  if (typeof d === 'function') return d;
  if (d && typeof d.handle === 'function') return d.handle.bind(d);
  // Thrown at build time: componentization fails with this message.
  throw new Error('wasmlet: the function module must export `function handle(request)` (or a default function, or a default object with a handle method); ' +
    'queue and schedule handlers must be named exports (handleMessage or handleBatch, handleSchedule)');
}
