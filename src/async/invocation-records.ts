// The port for async invocation records and their idempotency keys: what `GET /v1/invocations`
// reports and what deduplicates submissions. Embedded: SQLite in the queue database, each change in
// the same transaction as its queue change (invocation-store.ts). JetStream: a KV bucket with a
// TTL, the event published with the invocation id as its Nats-Msg-Id (nats/jetstream-invocation-store.ts).
import { createHash } from 'node:crypto';
import { WasmletError } from '../errors/wasmlet-error.js';
import type { Settlement } from '../queue/queue-store.js';

export const invocationStates = ['queued', 'retrying', 'succeeded', 'failed', 'expired'] as const;
export type InvocationState = (typeof invocationStates)[number];

export interface InvocationRecord {
  readonly id: string;
  readonly function: string;
  readonly state: InvocationState;
  /** Deliveries so far (1 after the first run). */
  readonly attempts: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastError: string | null;
  /** The HTTP status the handler answered on its last run, when it answered. */
  readonly status: number | null;
}

export interface AsyncSubmission {
  readonly functionName: string;
  readonly payload: Uint8Array;
  readonly contentType: string;
  readonly idempotencyKey?: string | undefined;
  /** More attributes for the event's message: the submitter's trace context (tracing/trace-context.ts); `content-type` is set from `contentType`. */
  readonly attributes?: Readonly<Record<string, string>> | undefined;
}

export interface InvocationUpdate {
  readonly state: InvocationState;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly status: number | null;
}

export interface InvocationListQuery {
  readonly state?: InvocationState | undefined;
  readonly limit: number;
}

/**
 * Records of async invocations, each tied to its event on the function's async queue.
 *
 * - `submit` records the invocation and queues its event as one step (embedded: one transaction;
 *   JetStream: the record is created first, then the event published with the invocation id as
 *   its message id, so a retried submit never queues it twice within the dedupe window). An
 *   idempotency key already used for the function within the retention window queues nothing: the
 *   same request gets the first id back (`duplicate: true`), another one `idempotency_key_reused`.
 * - `update` records the new state and settles the event (ack, retry, publish of failure records).
 * - Records are kept `invocationRetentionMs` after their last change.
 */
export interface InvocationStore {
  submit(submission: AsyncSubmission): Promise<{ readonly id: string; readonly duplicate: boolean }>;
  get(id: string): Promise<InvocationRecord | undefined>;
  /** The records kept, most recently changed first, optionally only those in `state`. */
  list(query: InvocationListQuery): Promise<InvocationRecord[]>;
  update(id: string, update: InvocationUpdate, queue: string, settlement: Settlement): Promise<void>;
}

/** Records (and idempotency keys) are kept this long after their last change: 24 h, the dedup window. */
export const invocationRetentionMs = 24 * 60 * 60 * 1000;
/** Idempotency keys: printable, and short enough for an index. */
export const idempotencyKeyPattern = /^[\x21-\x7e]{1,128}$/;

export function checkIdempotencyKey(key: string | undefined): void {
  if (key !== undefined && !idempotencyKeyPattern.test(key)) {
    throw new WasmletError('bad_request', `the idempotency key must be 1 to 128 printable ASCII characters without spaces`);
  }
}

/** What identifies a request under an idempotency key: the payload and how it is to be read. */
export function requestDigest(payload: Uint8Array, contentType: string): string {
  return createHash('sha256').update(contentType).update('\0').update(payload).digest('hex');
}

/**
 * The key was used for another request (422, as the IETF Idempotency-Key draft and Stripe answer):
 * silently returning the first invocation would tell the caller that an event it never queued had been.
 */
export function idempotencyKeyReused(functionName: string, idempotencyKey: string, invocationId: string): WasmletError {
  return new WasmletError(
    'idempotency_key_reused',
    `the idempotency key ${JSON.stringify(idempotencyKey)} was already used for ${functionName} with a different payload (invocation ${invocationId}); use a new key for a new event`,
    { idempotencyKey, invocationId },
  );
}
