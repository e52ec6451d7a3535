// Put/Get/DeleteFunctionConcurrency: reserved concurrency, a setting of the function (every version
// together), kept in the registry and enforced by the worker pool in place of `[limits]
// max_concurrency`: over it a sync Invoke gets 429, other callers wait their turn; 0 refuses every call.
import type { Hono } from 'hono';
import { maxMaxConcurrency } from '../../manifest/manifest-bounds.js';
import { latestOf } from './function-routes.js';
import type { LambdaDeps, LambdaEnv } from './lambda-app.js';
import { LambdaError } from './lambda-error.js';
import { parseJsonBody } from './lambda-input.js';

export function mountConcurrencyRoutes(app: Hono<LambdaEnv>, deps: LambdaDeps): void {
  app.put('/2017-10-31/functions/:name/concurrency', async (c) => {
    const fn = latestOf(deps, c.req.param('name'), c.get('region'));
    const reserved = parseJsonBody(c.get('body')).ReservedConcurrentExecutions;
    if (typeof reserved !== 'number' || !Number.isInteger(reserved) || reserved < 0 || reserved > maxMaxConcurrency) {
      throw new LambdaError('InvalidParameterValueException', `ReservedConcurrentExecutions must be an integer from 0 to ${maxMaxConcurrency}, got ${JSON.stringify(reserved)}`);
    }
    await deps.registry.setReservedConcurrency(fn.name, reserved);
    return c.json({ ReservedConcurrentExecutions: reserved });
  });

  app.get('/2019-09-30/functions/:name/concurrency', (c) => {
    const fn = latestOf(deps, c.req.param('name'), c.get('region'));
    const reserved = deps.registry.reservedConcurrency(fn.name);
    return c.json(reserved === undefined ? {} : { ReservedConcurrentExecutions: reserved });
  });

  app.delete('/2017-10-31/functions/:name/concurrency', async (c) => {
    const fn = latestOf(deps, c.req.param('name'), c.get('region'));
    await deps.registry.setReservedConcurrency(fn.name, undefined);
    return c.body(null, 204);
  });
}
