// Runs queued async invocations with Lambda's semantics: the HTTP handler gets the payload as a
// POST; a failure (error, trap, timeout, 5xx) is retried `max_retries` times, `retry_delay_ms`
// then twice that apart; an event older than `max_event_age_s` is not run again. An invocation that
// fails for good sends a record to the `on_failure` queue, one that succeeds to `on_success`. Every step commits the invocation's
// state and its queue change together.
import type { InvocationState, InvocationStore } from '../../async/invocation-records.js';
import type { AsyncSpec } from '../../manifest/manifest.js';
import { asyncQueueName } from '../../queue/queue-names.js';
import type { LeasedMessage, QueuedMessage } from '../../queue/queue-store.js';
import type { ActiveFunction } from '../../registry/registry.js';
import { failureText } from '../../runtime/outcome-status.js';
import type { GuestResponse } from '../../runtime/outcome.js';
import type { BatchHandler } from '../queue/queue-poller.js';
import type { TriggerDeps } from '../queue/trigger-deps.js';
import { MessageTrace } from '../../tracing/trace-messages.js';
import { withActiveTrace } from '../../tracing/trace-context.js';

/** Why an async invocation ended in failure, as the on-failure record says it (Lambda's conditions). */
export type FailureCondition = 'RetriesExhausted' | 'EventAgeExceeded';

/** What the on-failure destination receives, as JSON. */
export interface FailureRecord {
  readonly version: '1.0';
  readonly invocationId: string;
  readonly function: string;
  readonly condition: FailureCondition;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly enqueuedAt: string;
  readonly failedAt: string;
  readonly payload: { readonly contentType: string; readonly base64: string };
}

/** The message attribute naming the published version an event runs (absent: the active version). */
export const asyncVersionAttribute = 'x-wasmlet-version';

/** The delay before retry n (1-based): retry_delay_ms × 2^(n-1), i.e. 1 min then 2 min by default. */
export function asyncRetryDelayMs(spec: AsyncSpec, retry: number): number {
  return spec.retryDelayMs * 2 ** (retry - 1);
}

export function asyncInvocationHandler(deps: TriggerDeps, invocations: InvocationStore, functionName: string): BatchHandler {
  const queue = asyncQueueName(functionName);
  return async (messages) => {
    for (const message of messages) await runEvent(deps, invocations, queue, functionName, message);
  };
}

async function runEvent(deps: TriggerDeps, invocations: InvocationStore, queue: string, functionName: string, message: LeasedMessage): Promise<void> {
  // An event for a published version (a Lambda Invoke of `name:N` or an alias) runs that version, with its own [async].
  const version = message.attributes[asyncVersionAttribute];
  const fn = version === undefined ? deps.functions(functionName) : deps.functionVersion?.(functionName, Number(version));
  const finish = (state: InvocationState, lastError: string | null, status: number | null, extra: { publish?: readonly QueuedMessage[] } = {}) =>
    invocations.update(message.id, { state, attempts: message.attempt, lastError, status }, queue, { ack: [message.receiptHandle], ...extra });
  if (!fn) {
    await finish('failed', `the function${version === undefined ? '' : ` (or its version ${version})`} was deleted before the event ran`, null);
    return;
  }
  const spec = fn.manifest.async;
  const ageMs = deps.clock.now() - message.enqueuedAt;
  if (ageMs > spec.maxEventAgeMs) {
    const lastError = `event is ${Math.round(ageMs / 1000)} s old, over max_event_age_s (${spec.maxEventAgeMs / 1000} s)${message.lastError ? `; last error: ${message.lastError}` : ''}`;
    await finish('expired', lastError, null, { publish: failureRecords(fn, message, 'EventAgeExceeded', lastError, message.attempt - 1) });
    return;
  }

  // Traced: the event's own span, continuing the trace its submission carried in the message's attributes.
  const span = deps.tracer ? new MessageTrace(deps.tracer, queue, message, { 'wasmlet.invocation_id': message.id }) : undefined;
  const result = await deps.invoker.run(fn, { kind: 'http', request: eventRequest(message) }, message.id, { trigger: 'async', parent: span?.context });
  const { outcome } = result;
  const status = outcome.kind === 'ok' ? outcome.response.status : null;
  if (outcome.kind === 'ok' && outcome.response.status < 500) {
    await finish('succeeded', null, status, { publish: [...(result.published ?? []), ...successRecords(fn, message, outcome.response)] });
    span?.end('succeeded');
    return;
  }
  const error = outcome.kind === 'ok' ? `${fn.name} answered ${outcome.response.status}` : failureText(outcome, fn.name);
  const retriesUsed = message.attempt - 1;
  if (retriesUsed < spec.maxRetries) {
    await invocations.update(message.id, { state: 'retrying', attempts: message.attempt, lastError: error, status }, queue, {
      retry: [{ receiptHandle: message.receiptHandle, delayMs: asyncRetryDelayMs(spec, retriesUsed + 1), error }],
    });
    span?.end('retrying', error);
    return;
  }
  await finish('failed', error, status, { publish: failureRecords(fn, message, 'RetriesExhausted', error, message.attempt) });
  span?.end('failed', error);
  withActiveTrace(span?.context, () => deps.log(`async invocation ${message.id} of ${fn.name} failed after ${message.attempt} attempt(s): ${error}`, { requestId: message.id, functionName: fn.name, level: 'warn' }));
}

/** The direct-invocation convention (POST /), marked as an event so the guest can tell. */
function eventRequest(message: LeasedMessage) {
  return {
    method: 'POST',
    path: '/',
    query: '',
    headers: [
      ['content-type', message.attributes['content-type'] ?? 'application/octet-stream'],
      ['x-wasmlet-invocation', 'event'],
      ['x-wasmlet-invocation-id', message.id],
      ['x-wasmlet-attempt', String(message.attempt)],
    ] as const,
    body: message.body,
  };
}

/** What the on-success destination receives, as JSON (Lambda's OnSuccess destination). */
export interface SuccessRecord {
  readonly version: '1.0';
  readonly invocationId: string;
  readonly function: string;
  readonly condition: 'Success';
  readonly attempts: number;
  readonly status: number;
  readonly enqueuedAt: string;
  readonly succeededAt: string;
  readonly payload: { readonly contentType: string; readonly base64: string };
  readonly response: { readonly contentType: string; readonly base64: string };
}

function successRecords(fn: ActiveFunction, message: LeasedMessage, response: GuestResponse): QueuedMessage[] {
  const destination = fn.manifest.async.onSuccess;
  if (destination === undefined) return [];
  const record: SuccessRecord = {
    version: '1.0',
    invocationId: message.id,
    function: fn.name,
    condition: 'Success',
    attempts: message.attempt,
    status: response.status,
    enqueuedAt: new Date(message.enqueuedAt).toISOString(),
    succeededAt: new Date().toISOString(),
    payload: { contentType: message.attributes['content-type'] ?? 'application/octet-stream', base64: Buffer.from(message.body).toString('base64') },
    response: {
      contentType: response.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? 'application/octet-stream',
      base64: Buffer.from(response.body).toString('base64'),
    },
  };
  return [{ queue: destination, message: { id: message.id, body: new TextEncoder().encode(JSON.stringify(record)), attributes: { 'content-type': 'application/json' } } }];
}

function failureRecords(fn: ActiveFunction, message: LeasedMessage, condition: FailureCondition, lastError: string | null, attempts: number): QueuedMessage[] {
  const destination = fn.manifest.async.onFailure;
  if (destination === undefined) return [];
  const record: FailureRecord = {
    version: '1.0',
    invocationId: message.id,
    function: fn.name,
    condition,
    attempts,
    lastError,
    enqueuedAt: new Date(message.enqueuedAt).toISOString(),
    failedAt: new Date().toISOString(),
    payload: { contentType: message.attributes['content-type'] ?? 'application/octet-stream', base64: Buffer.from(message.body).toString('base64') },
  };
  // The invocation id as the message id: a redelivered failure is not recorded twice while the first is queued.
  return [{ queue: destination, message: { id: message.id, body: new TextEncoder().encode(JSON.stringify(record)), attributes: { 'content-type': 'application/json' } } }];
}
