// The token a client command sends: --token / WASMLET_TOKEN, else the one a host on this machine
// generated into <data-dir>/admin-token (--data-dir / WASMLET_DATA_DIR, default .wasmlet). The file
// is read only for a loopback URL: a host elsewhere is never sent this machine's token.
import { resolve } from 'node:path';
import { adminTokenPath, readAdminToken } from '../host/admin-token.js';
import { isLoopback } from '../host/host-options.js';
import type { CommandContext } from './command-context.js';

/**
 * @example await tokenFor({ dataDir: '.wasmlet' }, 'http://127.0.0.1:8081') // the content of .wasmlet/admin-token, if any
 * @throws WasmletError bad_request: the token file is accessible to other users or holds no token
 */
export async function tokenFor(ctx: Pick<CommandContext, 'token' | 'dataDir'>, url: string): Promise<string | undefined> {
  if (ctx.token !== undefined) return ctx.token;
  if (ctx.dataDir === undefined || !isLoopbackUrl(url)) return undefined;
  return readAdminToken(adminTokenPath(resolve(ctx.dataDir)));
}

function isLoopbackUrl(url: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(url).hostname;
  } catch {
    return false; // the client reports the bad URL itself
  }
  return isLoopback(hostname.replace(/^\[(.*)\]$/, '$1'));
}
