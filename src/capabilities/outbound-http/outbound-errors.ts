// The guest's vocabulary for outbound failures (wasmlet:function/outbound-http's error-code) and the
// one translation from Node and undici errors into it. Messages are for logs, never a stable interface.

import type { OutboundErrorCode } from '../host-link.js';

export type { OutboundErrorCode } from '../host-link.js';

export interface OutboundFailure {
  readonly code: OutboundErrorCode;
  readonly message: string;
}

/** Raised by the connector when the dialled address is refused; carried through undici to `send`. */
export class OutboundDeniedError extends Error {
  readonly code = 'WASMLET_OUTBOUND_DENIED';
  constructor(message: string) {
    super(message);
    this.name = 'OutboundDeniedError';
  }
}

const dnsCodes = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME', 'ENODATA', 'ESERVFAIL']);
const unreachableCodes = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);
/** OpenSSL's verification results as Node reports them (X509_V_ERR_* without the prefix), and Node's own. */
const tlsCodePattern = /^(?:ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_|HOSTNAME_MISMATCH|INVALID_CA|INVALID_PURPOSE|PATH_LENGTH_EXCEEDED)/;

/**
 * Names a failure from the network stack in the guest's vocabulary.
 * @example describeNetworkError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })).code // 'connection-refused'
 */
export function describeNetworkError(err: unknown, target: string): OutboundFailure {
  if (err instanceof OutboundDeniedError) return { code: 'denied', message: err.message };
  const code = errorCode(err);
  const detail = err instanceof Error ? err.message : String(err);
  if (dnsCodes.has(code)) return { code: 'dns-error', message: `${target}: the name did not resolve (${code})` };
  if (unreachableCodes.has(code)) return { code: 'connection-refused', message: `${target}: connection refused (${code})` };
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return { code: 'connection-timeout', message: `${target}: connecting timed out` };
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return { code: 'timeout', message: `${target}: the response timed out` };
  if (tlsCodePattern.test(code) || (typeof (err as { library?: unknown })?.library === 'string' && /SSL/.test((err as { library: string }).library))) {
    return { code: 'tls-error', message: `${target}: TLS failed: ${detail}` };
  }
  if (code === 'UND_ERR_INVALID_ARG' || code === 'UND_ERR_NOT_SUPPORTED') return { code: 'invalid-request', message: `${target}: ${detail}` };
  return { code: 'protocol-error', message: `${target}: ${detail}${code === '' ? '' : ` (${code})`}` };
}

/**
 * The code of an error, looking through the wrappers the stack adds: Node's happy-eyeballs connect
 * reports an AggregateError whose own code is its first attempt's.
 */
function errorCode(err: unknown): string {
  if (typeof err !== 'object' || err === null) return '';
  if (err instanceof OutboundDeniedError) return err.code;
  const own = (err as { code?: unknown }).code;
  if (typeof own === 'string' && own !== '') return own;
  const inner = (err as { errors?: unknown }).errors ?? [];
  for (const item of Array.isArray(inner) ? inner : []) {
    const code = errorCode(item);
    if (code !== '') return code;
  }
  const cause = (err as { cause?: unknown }).cause;
  return cause === undefined || cause === err ? '' : errorCode(cause);
}
