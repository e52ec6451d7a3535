// The function's one error shape, the same as wasmlet's admin API:
// { "error": { "code", "message", "details"? } }, codes stable, messages for people.
import { json } from 'wasmlet';

/**
 * @param {number} status
 * @param {string} code
 * @param {string} message
 * @param {{ details?: unknown[], headers?: Record<string, string> }} [extra]
 */
export function apiError(status, code, message, extra = {}) {
  const error = extra.details ? { code, message, details: extra.details } : { code, message };
  return json(status, { error }, extra.headers);
}
