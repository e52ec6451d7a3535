// The CLI's one rule for failures: exit status, and exactly one place the failure is written.
import { BuildError } from '../build/build-error.js';
import { S3ClientError } from '../client/s3-client.js';
import { WasmletError } from '../errors/wasmlet-error.js';
import type { Output } from './cli-output.js';

export const exitOk = 0;
/** Any failure: the admin API refused, the host is unreachable, the function answered >= 400... */
export const exitFailure = 1;
/** The command line itself is wrong (unknown option, missing argument, bad number). */
export const exitUsage = 2;

/** What the user is told: `code` is a catalog code, or `http_<status>` when a function itself answered >= 400. */
export interface Failure {
  readonly code: string;
  readonly message: string;
  readonly details?: Record<string, unknown> | undefined;
}

/** Shown in `wasmlet --help`; keep it true to reportFailure below. */
export const outputRulesHelp = `
Output:
  Results go to stdout. With --json, stdout gets exactly the admin API's JSON, one line
  (invoke: {"status","headers","body","requestId"}; invoke --async: {"invocationId",
  "duplicate","status"}; build and new, which run locally: their summary). A build's
  own output and progress go to stderr.
  A failure exits with 1 (2 for a wrong command line) and writes ONE line to stderr:
    wasmlet: <message> (<code>)
  With --json it writes the API's error JSON to stdout instead, and nothing to stderr:
    {"error":{"code":"<code>","message":"<message>"}}
  <code> is a stable error code (e.g. function_not_found, guest_trap), or http_<status>
  when the function itself answered with status >= 400; for \`objects\`, S3's own code
  (NoSuchKey, SignatureDoesNotMatch, ...).`;

export function failureOf(err: unknown): Failure {
  if (err instanceof WasmletError || err instanceof BuildError) return { code: err.code, message: err.message, details: err.details };
  if (err instanceof S3ClientError) return { code: err.code, message: err.message };
  // Not an expected failure: a bug or an unexpected system error. Say what it was, without a stack.
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message: message || 'unexpected error' };
}

/** `wasmlet: <message> (<code>)`, always a single line. */
export function failureLine(failure: Failure): string {
  return `wasmlet: ${failure.message.replace(/\s*\n\s*/g, ' ').trim()} (${failure.code})`;
}

export function reportFailure(output: Output, json: boolean, failure: Failure): void {
  if (json) {
    const error = { code: failure.code, message: failure.message, ...(failure.details ? { details: failure.details } : {}) };
    output.out(`${JSON.stringify({ error })}\n`);
  } else {
    output.err(`${failureLine(failure)}\n`);
  }
}
