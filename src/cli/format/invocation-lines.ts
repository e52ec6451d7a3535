// `wasmlet invoke --async` and `wasmlet invocation`: an async invocation as people read it.
import type { AsyncInvokeBody, InvocationRecord } from '../../client/api-types.js';
import { formatDuration } from './build-summary.js';
import { alignColumns, formatTime } from './function-table.js';
import { oneLine } from './message-lines.js';

/** `queued <id>`, or `duplicate of <id>` when the idempotency key was used before. */
export function asyncQueuedLine(result: AsyncInvokeBody): string {
  return result.duplicate ? `duplicate of ${result.invocationId}` : `queued ${result.invocationId}`;
}

/**
 * One field a line, labels aligned:
 *   invocation  01JDQ7A4Z3K8M2N5P6R7S8T9V0
 *   function    hello-rust
 *   state       retrying
 *   attempts    2
 *   status      500
 *   last error  hello-rust answered with status 500
 *   created     2026-11-27T19:23:37Z
 *   updated     2026-11-27T19:23:38Z  (1.3 s later)
 */
export function invocationLines(record: InvocationRecord): string {
  const elapsedMs = Date.parse(record.updatedAt) - Date.parse(record.createdAt);
  const later = Number.isFinite(elapsedMs) && elapsedMs > 0 ? `  (${elapsedMs < 1000 ? `${elapsedMs} ms` : formatDuration(elapsedMs)} later)` : '';
  return alignColumns([
    ['invocation', record.id],
    ['function', record.function],
    ['state', record.state],
    ['attempts', String(record.attempts)],
    // Null until the handler answers: never run yet, or it trapped or timed out.
    ['status', record.status === null ? '-' : String(record.status)],
    ['last error', record.lastError === null ? '-' : oneLine(record.lastError)],
    ['created', formatTime(record.createdAt)],
    ['updated', `${formatTime(record.updatedAt)}${later}`],
  ]);
}
