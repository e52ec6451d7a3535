// Deliberately crashing the instance: the host sees a trap (HTTP 502; a queue batch or a schedule
// event is retried; nothing the invocation sent is published), as with a Rust panic.

/**
 * Thrown by trap(). Not an Error on purpose: componentize-qjs turns a thrown string or Error
 * into `err(message)`, and any other thrown value into a trap (its lowering panics), which
 * is the only way JavaScript can make QuickJS trap. The export adapters rethrow it untouched.
 */
class Trap {
  constructor(reason) {
    this.reason = reason;
    Object.freeze(this);
  }
}

/**
 * Ends the invocation as a trap instead of a guest error; the reason goes to the log first.
 * Use it when continuing could do harm, e.g. state that must not be published.
 * @param {string} reason
 * @returns {never}
 * @example if (total < 0) trap(`negative total ${total}`);
 */
export function trap(reason) {
  throw new Trap(String(reason));
}

/** @returns {boolean} */
export function isTrap(value) {
  return value instanceof Trap;
}
