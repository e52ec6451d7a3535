// Bearer-token check for the admin API, constant-time so the token cannot be guessed byte by byte.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { WasmletError } from '../errors/wasmlet-error.js';

/** Where a client finds the token; the host's own paths are not told to someone without it. */
const tokenHint = 'the --token the host was started with, or the one it generated into <data-dir>/admin-token';

export function bearerAuth(token: string): MiddlewareHandler {
  const expected = createHash('sha256').update(token).digest();
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const presented = /^Bearer\s+(.+)$/i.exec(header)?.[1] ?? '';
    const digest = createHash('sha256').update(presented).digest();
    if (!presented || !timingSafeEqual(digest, expected)) {
      throw new WasmletError('unauthorized', header ? 'the bearer token is not valid' : `missing Authorization: Bearer <token> header (${tokenHint})`);
    }
    await next();
  };
}
