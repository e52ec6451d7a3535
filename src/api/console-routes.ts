// The web console's files on the admin port: /console (and every /console/* page, a client-side route)
// is index.html, /console/assets/<name>-<hash>.<ext> its bundle (scripts/build-console.mjs writes both
// into dist/console/). The page needs no token: it holds no data, and asks for the token itself; every
// API call it makes carries Authorization like any client's. The browser guard still runs first, so a
// page of another site can neither frame it nor navigate into it with a cross-site request.
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, Hono } from 'hono';
import { WasmletError } from '../errors/wasmlet-error.js';

/** Where the build writes the console: dist/console/, beside dist/src/ (this file is dist/src/api/console-routes.js). */
export const defaultConsoleDir = fileURLToPath(new URL('../../console/', import.meta.url));

/** The console's base path on the admin port. */
export const consolePath = '/console';

/** Asset names carry their content hash, so a cached copy can never be stale: kept a year, never revalidated. */
const immutableCache = 'public, max-age=31536000, immutable';
/** index.html names the current assets: always revalidated, so a new build reaches the next load. */
const revalidateCache = 'no-cache';
/** Hashed names only: letters, digits, "-", "_", one known extension. */
const assetNamePattern = /^[A-Za-z0-9_-]+\.(js|css|svg|png|woff2)$/;

const contentTypes: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/**
 * Everything the page loads is its own (no CDN, no inline script); it is never framed (clickjacking);
 * it sends no Referer anywhere (the address may carry the token's fragment, which browsers never send, but
 * there is no reason to send the path either).
 */
const pageHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * Mounts the console before the token check (the page and its assets are public; the API is not).
 * `dir` holds index.html and assets/; files are read on request (the OS caches them), so a rebuild is
 * served without a restart.
 * @example mountConsoleRoutes(app, defaultConsoleDir); // GET /console → index.html
 */
export function mountConsoleRoutes(app: Hono, dir: string): void {
  app.get(`${consolePath}/assets/:file`, async (c) => {
    const file = c.req.param('file');
    // Only names the build writes: nothing that could leave the folder is ever joined to it.
    const body = assetNamePattern.test(file) ? await readOptional(join(dir, 'assets', file)) : undefined;
    if (body === undefined) throw new WasmletError('console_asset_not_found', `the console has no asset ${JSON.stringify(file)} (it may have been rebuilt: reload the page)`);
    return c.body(body, 200, { ...pageHeaders, 'content-type': contentTypes[extname(file)]!, 'cache-control': immutableCache });
  });
  app.get(consolePath, (c) => servePage(c, dir));
  app.get(`${consolePath}/*`, (c) => servePage(c, dir));
}

async function servePage(c: Context, dir: string): Promise<Response> {
  const page = await readOptional(join(dir, 'index.html'));
  if (page === undefined) {
    throw new WasmletError('console_not_built', `the web console is not built into ${dir}: run npm run build (it bundles console/ with esbuild)`);
  }
  return c.body(page, 200, { ...pageHeaders, 'content-type': 'text/html; charset=utf-8', 'cache-control': revalidateCache });
}

async function readOptional(path: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
