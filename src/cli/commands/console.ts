// `wasmlet console [--open]`: the web console's address on the admin port, already signed in: the
// token travels in the URL fragment (/console#token=…), which a browser never sends to the server; the
// page keeps it for the tab and drops it from the address bar. The token is checked against the host
// first, so a link that would only show the sign-in page is never printed.
import { spawn } from 'node:child_process';
import { WasmletError } from '../../errors/wasmlet-error.js';
import { tokenFor } from '../client-token.js';
import { printJson, withClient, type CommandContext } from '../command-context.js';

export interface ConsoleOptions {
  /** Also try to open the link in the desktop's browser (xdg-open). */
  readonly open: boolean;
}

/** Opens a URL in the user's browser; rejects when no opener could be started. */
export type UrlOpener = (url: string) => Promise<void>;

export function consoleCommand(options: ConsoleOptions, ctx: CommandContext, openUrl: UrlOpener = xdgOpen): Promise<number> {
  return withClient(ctx, async (client) => {
    const token = await tokenFor(ctx, ctx.adminUrl);
    if (token === undefined) {
      throw new WasmletError('bad_request', `no admin token for ${ctx.adminUrl}: give --token (or WASMLET_TOKEN), or --data-dir of the local host that generated one`);
    }
    await client.list(); // the host answers and accepts the token
    const url = consoleUrl(ctx.adminUrl, token);
    if (ctx.json) printJson(ctx, { url });
    else ctx.output.out(`${url}\n`);
    if (!options.open) return;
    try {
      await openUrl(url);
    } catch (err) {
      ctx.output.err(`wasmlet: could not open a browser (${(err as Error).message}); open the link above\n`);
    }
  });
}

/**
 * @example consoleUrl('http://127.0.0.1:8081', 'abc') // 'http://127.0.0.1:8081/console#token=abc'
 */
export function consoleUrl(adminUrl: string, token: string): string {
  const base = new URL(adminUrl);
  base.pathname = `${base.pathname.replace(/\/+$/, '')}/console`;
  base.search = '';
  base.hash = new URLSearchParams({ token }).toString();
  return base.toString();
}

/** xdg-open, detached: the command returns while the browser keeps running. */
function xdgOpen(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('xdg-open', [url], { detached: true, stdio: 'ignore' });
    child.once('error', reject);
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
