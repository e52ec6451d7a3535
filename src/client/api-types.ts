// The admin API's response bodies, as the client returns them (`--json` prints them unchanged).
import type { FunctionInfo } from '../api/function-info.js';
import type { InvocationRecord, InvocationState } from '../async/invocation-store.js';
import type { LogEntry } from '../logs/log-store.js';
import type { MessageState, QueueStats } from '../queue/queue-store.js';
import type { SecretListing, SecretUse } from '../api/secret-routes.js';
import type { SecretInfo } from '../secrets/secret-store.js';
import type { GcItem, GcReport } from '../gc/content-collector.js';
import type { QuarantinedFunction } from '../registry/registry.js';

// One definition of the wire shapes: the host's own types (type-only imports, nothing is loaded).
export type { FunctionInfo, GcItem, GcReport, InvocationRecord, InvocationState, LogEntry, MessageState, QuarantinedFunction, QueueStats };

/** `GET /v1/health` */
export interface HealthBody {
  readonly ok: boolean;
  readonly version: string;
}

/** `POST /v1/functions`: 201 with `unchanged: false`, or 200 with `unchanged: true` when the same bytes are already active. */
export interface DeployBody {
  readonly function: FunctionInfo;
  readonly unchanged: boolean;
}

/** `GET /v1/functions` */
export interface ListBody {
  readonly functions: readonly FunctionInfo[];
  /** Functions whose registry file was damaged at start: not served until repaired (and restarted) or deleted. Absent from hosts before it. */
  readonly quarantined?: readonly QuarantinedFunction[];
}

/** `POST /v1/gc[?dryRun=1]` */
export interface GcBody {
  readonly gc: GcReport;
}

/** `GET /v1/functions/{name}`, and `POST /v1/functions/{name}/rollback` (the now active version). */
export interface FunctionBody {
  readonly function: FunctionInfo;
}

/** `DELETE /v1/functions/{name}` */
export interface DeleteBody {
  readonly deleted: string;
}

/** `GET /v1/functions/{name}/logs`, oldest first. */
export interface LogsBody {
  readonly logs: readonly LogEntry[];
}

/** `POST /v1/functions/{name}/invoke`: the function's own response (or the host's error for it). */
export interface InvokeResult {
  readonly status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  /** From `x-wasmlet-request-id`; the key to `wasmlet logs`. Null only if a proxy dropped the header. */
  readonly requestId: string | null;
}

/** `POST /v1/functions/{name}/invoke` as an event (202): the invocation to follow with `GET status`. */
export interface AsyncInvokeBody {
  readonly invocationId: string;
  /** True when the idempotency key was already used: `invocationId` is the earlier invocation. */
  readonly duplicate: boolean;
  /** Path of the invocation's record, `/v1/invocations/{id}`. */
  readonly status: string;
}

/** `GET /v1/invocations?state=&limit=`: the records kept (24 h), most recently changed first. */
export interface InvocationsBody {
  readonly invocations: readonly InvocationRecord[];
}

/** `GET /v1/invocations/{id}` */
export interface InvocationBody {
  readonly invocation: InvocationRecord;
}

/** `POST /v1/queues/{queue}/messages` (202): the new message ids, in the order sent. */
export interface SendBody {
  readonly queue: string;
  readonly ids: readonly string[];
}

/** `GET /v1/queues`: every queue that holds messages. */
export interface QueuesBody {
  readonly queues: ReadonlyArray<{ readonly queue: string } & QueueStats>;
}

/** `GET /v1/queues/{queue}`: its counts and the function consuming it, if any. */
export interface QueueStatsBody extends QueueStats {
  readonly queue: string;
  readonly consumer: string | null;
}

/** One message of `GET /v1/queues/{queue}/messages`, whatever its state. */
export interface PeekedMessage {
  readonly id: string;
  readonly state: MessageState;
  /** Deliveries so far (0 before the first). */
  readonly attempt: number;
  readonly enqueuedAt: string;
  readonly visibleAt: string;
  readonly lastError: string | null;
  readonly attributes: Readonly<Record<string, string>>;
  /** The body when it is valid UTF-8, else null. */
  readonly text: string | null;
  /** The body, always. */
  readonly base64: string;
}

/** `GET /v1/queues/{queue}/messages`, oldest first. */
export interface PeekBody {
  readonly queue: string;
  readonly messages: readonly PeekedMessage[];
}

/** `POST /v1/queues/{queue}/redrive` */
export interface RedriveBody {
  readonly from: string;
  readonly to: string;
  readonly moved: number;
}

export type { SecretInfo, SecretListing, SecretUse };

/** `PUT /v1/secrets/{name}` (201 created, 200 replaced): the metadata, never the value. */
export interface SetSecretBody {
  readonly secret: SecretInfo;
  readonly created: boolean;
  /** False for a value shorter than `minRedactedChars`: it is not masked in logs (warn the user). */
  readonly redacted: boolean;
  readonly minRedactedChars: number;
}

/** `GET /v1/secrets`: names, dates and the functions reading each one. */
export interface SecretsBody {
  readonly secrets: readonly SecretListing[];
}

/** `DELETE /v1/secrets/{name}` */
export interface DeleteSecretBody {
  readonly deleted: string;
}

/** One store in `GET /v1/kv`. */
export interface KvStoreInfo {
  readonly name: string;
  readonly keys: number;
  /** UTF-8 key bytes plus value bytes: what the quota counts. */
  readonly bytes: number;
  /** The deployed functions whose key_value_stores list it. */
  readonly grantedTo: readonly string[];
}

/** `GET /v1/kv` */
export interface KvStoresBody {
  readonly stores: readonly KvStoreInfo[];
}

/** `GET /v1/kv/{store}/keys`: one page; `cursor` only when another follows. */
export interface KvKeysBody {
  readonly store: string;
  readonly keys: readonly string[];
  readonly cursor?: string;
}

/** `PUT /v1/kv/{store}/keys/{key}` (201 created, 200 replaced) */
export interface KvSetBody {
  readonly store: string;
  readonly key: string;
  readonly bytes: number;
  readonly created: boolean;
}

/** `DELETE /v1/kv/{store}/keys/{key}` */
export interface KvDeleteBody {
  readonly store: string;
  readonly deleted: string;
}
