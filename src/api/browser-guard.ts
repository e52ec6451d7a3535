// Refuses what a web page can make a browser send to the admin API, before any route or token check:
// - a Host that is not this host (DNS rebinding: a page whose own name was re-pointed at 127.0.0.1 is
//   same-origin with the API in the browser's eyes, and sends its own name) → 421;
// - a request the browser marks as coming from another origin (`Origin`, `Sec-Fetch-Site`) → 403.
// The bearer token (always required off /v1/health) is what stops a cross-site form or no-cors fetch:
// a browser cannot add Authorization to them. These checks refuse such requests even before that.
import type { MiddlewareHandler } from 'hono';
import { WasmletError } from '../errors/wasmlet-error.js';
import { hostAllowed } from '../s3/host-check.js';

/** What `Sec-Fetch-Site` says for a request the user made (`none`) or the API's own origin made. */
const ownSites: ReadonlySet<string> = new Set(['same-origin', 'none']);

/**
 * `listenHost`: the admin API's listen address (`--host`). Host names it accepts: that address and
 * loopback names (`localhost`, `127.x`, `[::1]`); on a wildcard address, any IP and the machine's name.
 * @example app.use('*', browserGuard('127.0.0.1'));
 */
export function browserGuard(listenHost: string): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    // In-process requests (app.request) have no Host header: the URL's authority stands for it.
    const authority = c.req.header('host') ?? url.host;
    // An absolute-form target names its own authority; both must be this host's.
    if (!hostAllowed(authority, listenHost) || !hostAllowed(url.host, listenHost)) {
      throw new WasmletError('host_not_allowed', `the admin API answers only to its own address or a loopback name, not Host ${JSON.stringify(authority)}`);
    }
    const origin = c.req.header('origin');
    if (origin !== undefined && origin.toLowerCase() !== `${url.protocol}//${authority}`.toLowerCase()) {
      throw new WasmletError('origin_not_allowed', `the admin API does not answer requests from web pages of another origin (Origin ${JSON.stringify(origin)})`);
    }
    const site = c.req.header('sec-fetch-site');
    if (site !== undefined && !ownSites.has(site.toLowerCase())) {
      throw new WasmletError('origin_not_allowed', `the admin API does not answer requests from web pages of another origin (Sec-Fetch-Site: ${site})`);
    }
    await next();
  };
}
