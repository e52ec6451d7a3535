// `wasmlet queue peek` and `wasmlet queue dlq`: one line per message, and the redrive summary.
import type { PeekedMessage, RedriveBody } from '../../client/api-types.js';
import { alignColumns } from './function-table.js';

/** Enough of a body to recognise it in a listing; `--json` has it whole. */
const maxBodyChars = 60;
/** An error is a sentence or two; a stack trace is cut here (the JSON keeps it whole). */
const maxErrorChars = 160;

/**
 * `id  state  attempt N  "body"  error: <lastError>`, columns aligned, oldest first:
 *   msg-1  visible    attempt 0  "hello"
 *   msg-2  delayed    attempt 3  <1024 bytes binary>  error: retry requested after attempt 3 of 3
 */
export function messageLines(messages: readonly PeekedMessage[]): string {
  if (messages.length === 0) return '';
  return alignColumns(
    messages.map((m) => {
      const row = [m.id, m.state, `attempt ${m.attempt}`, bodyCell(m)];
      if (m.lastError !== null) row.push(`error: ${truncate(oneLine(m.lastError), maxErrorChars)}`);
      return row;
    }),
  );
}

/** Text bodies quoted (so empty and multi-line bodies stay one visible cell), others by size. */
export function bodyCell(message: Pick<PeekedMessage, 'text' | 'base64'>): string {
  if (message.text === null) return `<${Buffer.byteLength(message.base64, 'base64')} bytes binary>`;
  const chars = [...message.text];
  return chars.length <= maxBodyChars ? JSON.stringify(message.text) : `${JSON.stringify(chars.slice(0, maxBodyChars).join(''))}…`;
}

/** `moved 3 message(s) from jobs-dlq to jobs` */
export function redriveLine(result: RedriveBody): string {
  return `moved ${result.moved} message(s) from ${result.from} to ${result.to}`;
}

/** Whitespace runs (newlines included) as one space: a listing line must stay one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function truncate(text: string, maxChars: number): string {
  const chars = [...text];
  return chars.length <= maxChars ? text : `${chars.slice(0, maxChars).join('')}…`;
}
