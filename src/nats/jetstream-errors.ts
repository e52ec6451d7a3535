// JetStream's failures as wasmlet's: a missing stream or consumer is an absence, anything else is
// `nats_unavailable` (503: retry), naming what was being done.
import { WasmletError } from '../errors/wasmlet-error.js';

/** For `.catch()`: a 404 from the JetStream API (no such stream, consumer or message) becomes undefined; anything else is rethrown. */
export function notFoundAsUndefined(err: unknown): undefined {
  const e = err as { code?: unknown; message?: string; api_error?: { err_code?: number } };
  if (e?.code === 404 || /not found/i.test(e?.message ?? '')) return undefined;
  throw err;
}

export function natsError(what: string, err: unknown): WasmletError {
  if (err instanceof WasmletError) return err;
  return new WasmletError('nats_unavailable', `${what}: ${(err as Error).message}`, {}, { cause: err });
}

/**
 * A publish the stream refused for its limits (discard-new: `max_msgs` or `max_bytes`, JetStream's
 * error 10077 "maximum messages exceeded" / "maximum bytes exceeded"), or undefined for anything else.
 */
export function streamLimitOf(err: unknown): 'messages' | 'bytes' | undefined {
  const message = (err as Error)?.message ?? '';
  if (/maximum messages exceeded/i.test(message)) return 'messages';
  if (/maximum bytes exceeded/i.test(message)) return 'bytes';
  return undefined;
}
