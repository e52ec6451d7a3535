// What a handler threw, turned into the `err(string)` of the handler's WIT result.
import { isTrap } from './trap.js';
import { log } from './host.js';

// Bound from globalThis on purpose: a free `Error`-family identifier makes jco's bundler
// inject its Node.js error module, which adds ~170 KB to every component.
const { Error } = globalThis;

/**
 * The value an export adapter throws for `e`: a string, which the component model maps to
 * `err(string)` (anything else traps). A trap() is logged and rethrown as is, to trap.
 */
export function guestError(e) {
  if (isTrap(e)) {
    log.error(`trap: ${e.reason}`);
    return e;
  }
  return errorMessage(e);
}

/** `Name: message` and the stack for an Error, a string verbatim, anything else JSON. */
export function errorMessage(e) {
  if (e instanceof Error) {
    const stack = typeof e.stack === 'string' && e.stack.trim() !== '' ? `\n${e.stack.trimEnd()}` : '';
    return `${errorTitle(e)}${stack}`;
  }
  return errorTitle(e);
}

/** One line for `e`: `Name: message` for an Error, a string verbatim, anything else JSON. */
export function errorTitle(e) {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  if (typeof e === 'string') return e;
  try {
    return `uncaught ${JSON.stringify(e)}`;
  } catch {
    return `uncaught ${String(e)}`;
  }
}
