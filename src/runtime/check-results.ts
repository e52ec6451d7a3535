// The host's checks on what a handler returned, the same on jco's glue path and the direct path
// (runtime/direct-handlers.ts): its own limits, after the types were checked against the WIT.
import type { LiftedMessageResult } from './direct-handlers.js';
import type { MessageResult } from './guest-call.js';
import type { GuestResponse, Outcome } from './outcome.js';
import { maxDelayMs, maxErrorChars } from '../queue/queue-input.js';

/** One result per message, each within the store's limits; anything else retries the whole batch. */
export function checkBatchResults(value: unknown, expected: number): Outcome {
  const lifted = value as LiftedMessageResult[];
  if (lifted.length !== expected) {
    return { kind: 'response_invalid', message: `queue handler returned ${lifted.length} results for ${expected} messages` };
  }
  const results: MessageResult[] = lifted.map((r) => {
    if (r.tag === 'ok') return { kind: 'ok' };
    if (r.tag === 'fail') return { kind: 'fail', reason: r.val.slice(0, maxErrorChars) };
    return { kind: 'retry', delayMs: r.val === undefined ? undefined : Math.min(r.val, maxDelayMs) };
  });
  return { kind: 'batch_ok', results };
}

/** The glue already checked the types against the WIT; the host checks its own limits. */
export function checkResponse(value: unknown, maxResponseBytes: number): Outcome {
  const response = value as GuestResponse;
  if (!Number.isInteger(response.status) || response.status < 200 || response.status > 599) {
    return { kind: 'response_invalid', message: `status ${response.status} is not between 200 and 599` };
  }
  if (response.body.byteLength > maxResponseBytes) {
    return {
      kind: 'response_too_large',
      message: `response body of ${response.body.byteLength} bytes exceeds the limit of ${maxResponseBytes} bytes`,
    };
  }
  for (const [name, headerValue] of response.headers) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || /[\r\n\0]/.test(headerValue)) {
      return { kind: 'response_invalid', message: `invalid response header ${JSON.stringify(name)}` };
    }
  }
  return { kind: 'ok', response };
}
