// The admin API's response bodies, as the client returns them (`--json` prints them unchanged).
import type { FunctionInfo } from '../api/function-info.js';
import type { LogEntry } from '../logs/log-store.js';

// One definition of the wire shapes: the host's own types (type-only imports, nothing is loaded).
export type { FunctionInfo, LogEntry };

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
