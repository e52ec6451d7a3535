// `X-Amz-Log-Type: Tail`: the invocation's own log lines, framed as Lambda frames them (START, the
// lines, END, REPORT), cut to the last 4 KB and base64-encoded for `X-Amz-Log-Result`.
import type { CapturedLine } from '../../capabilities/invocation-log.js';

/** Lambda returns at most the last 4 KB of the log. */
export const maxLogTailBytes = 4096;

export function logTail(lines: readonly CapturedLine[], requestId: string, version: string, durationMs: number, memoryMb: number): string {
  const text = [
    `START RequestId: ${requestId} Version: ${version}`,
    ...lines.map((line) => `${new Date(line.time).toISOString()}\t${requestId}\t${line.level.toUpperCase()}\t${line.message}`),
    `END RequestId: ${requestId}`,
    `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tMemory Size: ${memoryMb} MB`,
    '',
  ].join('\n');
  const bytes = Buffer.from(text, 'utf8');
  return bytes.subarray(Math.max(0, bytes.length - maxLogTailBytes)).toString('base64');
}
