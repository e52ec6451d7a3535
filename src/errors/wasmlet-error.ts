// The one error type the host throws across layers; translated to JSON at the API boundary.
import { errorCatalog, type ErrorCode } from './error-catalog.js';

export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string; readonly details?: Record<string, unknown> };
}

/**
 * An expected, client-visible failure with a stable code.
 * @example throw new WasmletError('manifest_invalid', 'unknown key "tmeout_ms" (line 7)', { key: 'tmeout_ms', line: 7 })
 */
export class WasmletError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message ?? errorCatalog[code].message, options);
    this.name = 'WasmletError';
    this.code = code;
    this.status = errorCatalog[code].status;
    this.details = details;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

/** Turns anything thrown into a client-safe error: unknown errors become `internal` with no stack. */
export function toWasmletError(err: unknown): WasmletError {
  if (err instanceof WasmletError) return err;
  return new WasmletError('internal', undefined, undefined, { cause: err });
}
