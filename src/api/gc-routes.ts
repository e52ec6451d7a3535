// The garbage collection endpoint of the admin API (gc/content-collector.ts does the work):
//   POST /v1/gc?dryRun=1   what would go: { gc: { dryRun: true, reclaimedBytes, removed, kept, items } }
//   POST /v1/gc            removes it, between deploys, and says what went
// A POST even for the dry run: it waits for the deploys in progress, and a GET is what a browser
// or a prefetcher sends without asking.
import type { Hono } from 'hono';
import { WasmletError } from '../errors/wasmlet-error.js';
import type { ContentCollector } from '../gc/content-collector.js';

export interface GcRouteDeps {
  readonly collector: Pick<ContentCollector, 'collect'>;
}

export function mountGcRoutes(app: Hono, deps: GcRouteDeps): void {
  app.post('/v1/gc', async (c) => {
    const dryRun = parseDryRun(c.req.query('dryRun'));
    return c.json({ gc: await deps.collector.collect({ dryRun }) });
  });
}

function parseDryRun(raw: string | undefined): boolean {
  if (raw === undefined || raw === '0' || raw === 'false') return false;
  if (raw === '' || raw === '1' || raw === 'true') return true;
  throw new WasmletError('bad_request', `dryRun must be 1, true, 0 or false, got ${JSON.stringify(raw)}`);
}
