// The observability endpoints of the admin port: `GET /metrics` (Prometheus' text format),
// `GET /v1/functions/:name/stats` (the console's charts: the last hour per function) and
// `GET /v1/host/stats` (the host's health). The token guards them like every admin path;
// `serve --metrics-public` exempts `/metrics` alone, on loopback only (api/admin-app.ts).
import type { Hono } from 'hono';
import { WasmletError } from '../errors/wasmlet-error.js';
import type { FunctionStats, HostStats } from '../observe/host-observability.js';
import type { Registry } from '../registry/registry.js';

/** What the routes read (observe/host-observability.ts implements it). */
export interface ObservabilityReader {
  readonly metricsContentType: string;
  metricsText(): Promise<string>;
  functionStats(functionName: string): FunctionStats;
  hostStats(): HostStats;
}

export interface ObserveRouteDeps {
  readonly registry: Pick<Registry, 'get'>;
  readonly observability?: ObservabilityReader | undefined;
}

export function mountObserveRoutes(app: Hono, deps: ObserveRouteDeps): void {
  const observability = deps.observability;
  if (!observability) return; // a host built without metrics (bench baseline): the paths are unknown, 404
  app.get('/metrics', async (c) => c.body(await observability.metricsText(), 200, { 'content-type': observability.metricsContentType, 'cache-control': 'no-store' }));
  app.get('/v1/host/stats', (c) => c.json(observability.hostStats()));
  app.get('/v1/functions/:name/stats', (c) => {
    const name = c.req.param('name');
    if (!deps.registry.get(name)) throw new WasmletError('function_not_found', `no function named ${name}`, { name });
    return c.json(observability.functionStats(name));
  });
}
