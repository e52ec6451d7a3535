// The host's own log as JSON lines (`wasmlet serve --log-format json`): one object per line with
// the time, level and message, and the request, function and trace ids when the line has them —
// the same keys as a guest's log entries (`time`, `level`, `message`, `requestId`, `traceId`), so
// one query finds both.
import type { HostLog, HostLogFields } from '../logs/host-log.js';
import { activeTraceId } from '../tracing/active-trace-id.js';

export const logFormats = ['text', 'json'] as const;
export type LogFormat = (typeof logFormats)[number];

export interface JsonLogLine {
  readonly time: string;
  readonly level: NonNullable<HostLogFields['level']>;
  readonly message: string;
  readonly requestId?: string;
  readonly function?: string;
  readonly traceId?: string;
}

export function jsonLogLine(message: string, fields: HostLogFields = {}, now: Date = new Date(), traceId: string | undefined = activeTraceId()): string {
  const line: JsonLogLine = {
    time: now.toISOString(),
    level: fields.level ?? 'info',
    message,
    ...(fields.requestId !== undefined ? { requestId: fields.requestId } : {}),
    ...(fields.functionName !== undefined ? { function: fields.functionName } : {}),
    ...(traceId !== undefined ? { traceId } : {}),
  };
  return JSON.stringify(line);
}

/** A HostLog writing each line to `write` in `format` (text: the message alone, as before). */
export function hostLogWriter(format: LogFormat, write: (text: string) => void): HostLog {
  if (format === 'json') return (message, fields) => write(`${jsonLogLine(message, fields)}\n`);
  return (message) => write(`${message}\n`);
}
