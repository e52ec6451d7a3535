// `wasmlet logs`: one line per entry, `time level [requestId] message`.
import type { LogEntry } from '../../client/api-types.js';

/** Width of the longest level name ("debug"), so messages line up. */
const levelWidth = 5;

export function logLine(entry: LogEntry): string {
  return `${entry.time} ${entry.level.padEnd(levelWidth)} [${entry.requestId}] ${entry.message}`;
}

export function logLines(entries: readonly LogEntry[]): string {
  return entries.map((e) => `${logLine(e)}\n`).join('');
}
