// The host's own log (not a guest's): a line of text, and optional fields that a structured
// format (`serve --log-format json`) writes as keys. Text output prints the line alone.

export interface HostLogFields {
  /** The request or message the line is about (`x-wasmlet-request-id`, an async invocation id). */
  readonly requestId?: string;
  readonly functionName?: string;
  /** `info` when absent. */
  readonly level?: 'debug' | 'info' | 'warn' | 'error';
}

/** Where the host writes its log: `(line) => …` is one too (the fields are optional). */
export type HostLog = (line: string, fields?: HostLogFields) => void;
