// Adapts the user's module to the `wasmlet:function/http-handler` export. The JS
// toolchain (toolchains/js/build.mjs) generates the component's entry as:
//   import * as fn from './handler.js';
//   export const httpHandler = exportHandler(fn);
import { reseedRandom } from './globals.js';
import { normalizeResponse } from './response.js';

// Bound from globalThis on purpose: a free `Error`-family identifier makes jco's bundler
// inject its Node.js error module, which adds ~170 KB to every component.
const { Error } = globalThis;

/**
 * @param {Record<string, unknown>} mod the user's module namespace; it exports
 *   `handle(request)`, or a default function, or a default object with `handle`.
 * @returns {{ handle(request: object): object }}
 */
export function exportHandler(mod) {
  const handle = pickHandle(mod);
  // False in the build-time snapshot, so every instance sees its first request here.
  let started = false;
  return {
    handle(request) {
      if (!started) {
        started = true;
        reseedRandom();
      }
      try {
        return normalizeResponse(handle(request));
      } catch (e) {
        // The component model maps a thrown value to `err(string)` only when it is a
        // string or an Error; anything else traps. Always throw a string.
        throw errorMessage(e);
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
  throw new Error('wasmlet: the function module must export `function handle(request)` (or a default function, or a default object with a handle method)');
}

function errorMessage(e) {
  if (e instanceof Error) {
    const stack = typeof e.stack === 'string' && e.stack.trim() !== '' ? `\n${e.stack.trimEnd()}` : '';
    return `${e.name}: ${e.message}${stack}`;
  }
  if (typeof e === 'string') return e;
  try {
    return `uncaught ${JSON.stringify(e)}`;
  } catch {
    return `uncaught ${String(e)}`;
  }
}
