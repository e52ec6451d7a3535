// Translates what went wrong talking to the admin API into a WasmletError, at the client boundary:
// an error body keeps the server's code and message; a transport failure says the host is unreachable.
import { errorCatalog, type ErrorCode } from '../errors/error-catalog.js';
import { WasmletError } from '../errors/wasmlet-error.js';

/** How much of a non-JSON error body (a proxy's HTML page, say) is quoted in the message. */
const maxQuotedBodyChars = 200;

/**
 * The error for a non-2xx answer. `request` is e.g. "GET /v1/functions", used when the body is not the
 * API's error shape. An unknown code becomes `internal` (the server's message is kept, its code goes to
 * `details.serverCode`) so a newer host never makes an older client crash.
 */
export function errorFromResponse(request: string, status: number, bodyText: string): WasmletError {
  const parsed = parseErrorBody(bodyText);
  if (parsed) {
    const { code, message, details } = parsed;
    if (isErrorCode(code)) return new WasmletError(code, message, details);
    return new WasmletError('internal', message, { ...details, serverCode: code });
  }
  if (status === 401) return new WasmletError('unauthorized', `the admin API refused ${request}: set --token or WASMLET_TOKEN`);
  const quoted = bodyText.replace(/\s+/g, ' ').trim().slice(0, maxQuotedBodyChars);
  return new WasmletError('internal', `the admin API answered ${request} with HTTP ${status}${quoted ? `: ${quoted}` : ''}`, { status });
}

/** Parses `{ "error": { "code", "message", "details"? } }`; undefined for anything else. */
export function parseErrorBody(text: string): { code: string; message: string; details: Record<string, unknown> | undefined } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const error = isRecord(value) ? value.error : undefined;
  if (!isRecord(error) || typeof error.code !== 'string' || typeof error.message !== 'string') return undefined;
  return { code: error.code, message: error.message, details: isRecord(error.details) ? error.details : undefined };
}

/** The error for a request that got no HTTP answer at all (refused, unresolvable, timed out, reset). */
export function unreachableError(url: string, err: unknown): WasmletError {
  return new WasmletError('internal', `cannot reach the admin API at ${url}: ${transportReason(err)} — is \`wasmlet serve\` running?`, undefined, {
    cause: err,
  });
}

const reasons: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no response in time',
  UND_ERR_BODY_TIMEOUT: 'the response stalled',
  UND_ERR_SOCKET: 'the connection closed unexpectedly',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'the response was cut short',
};

/** Whether `err` is a transport failure (as opposed to a bug in the caller, which must not be disguised). */
export function isTransportError(err: unknown): boolean {
  if (isHttpParserError(err)) return true;
  const code = errorCode(err);
  if (code === undefined) return false;
  // errno names (EPIPE, ECONNABORTED...) and llhttp parse errors (HPE_*: whatever answered does not speak HTTP).
  return Object.hasOwn(reasons, code) || /^E[A-Z]+$/.test(code) || code.startsWith('HPE_');
}

function transportReason(err: unknown): string {
  const code = errorCode(err);
  const known = code ? reasons[code] : undefined;
  if (known) return `${known} (${code})`;
  if (isHttpParserError(err) || code?.startsWith('HPE_')) return `the server there does not speak HTTP${code ? ` (${code})` : ''}`;
  return err instanceof Error && err.message ? err.message : String(code ?? err);
}

/** Node reports a failed connection to a name with several addresses as an AggregateError; its own code may be unset. */
function errorCode(err: unknown): string | undefined {
  if (!isRecord(err)) return undefined;
  if (typeof err.code === 'string') return err.code;
  if (err instanceof AggregateError) return errorCode(err.errors[0]);
  return undefined;
}

/** undici's parser error sometimes has no code; its name is stable. */
function isHttpParserError(err: unknown): boolean {
  return err instanceof Error && err.name === 'HTTPParserError';
}

function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(errorCatalog, code);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
