// Lambda's REST API (2015-03-31 and the later dated paths) on the admin port, for the AWS SDKs and
// the AWS CLI: every request is SigV4-verified (sigv4-check.ts) instead of the bearer token, its body
// read once under Lambda's limits, and every error answered in Lambda's shape (lambda-error.ts).
// Operations are mapped onto wasmlet's own parts: deploys (function-routes.ts), the invoker
// (invoke-route.ts), published versions and aliases in the registry (version-routes.ts,
// alias-routes.ts), `[async]` (event-invoke-config-routes.ts) and reserved concurrency
// (concurrency-routes.ts). docs/lambda-api.md has the table.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { Deployer } from '../../deploy/deployer.js';
import type { Invoker } from '../../invoke/invoker.js';
import type { LogStore } from '../../logs/log-store.js';
import type { QueueStore } from '../../queue/queue-store.js';
import type { Registry } from '../../registry/registry.js';
import { readBodyLimited } from '../read-body.js';
import { mountAliasRoutes } from './alias-routes.js';
import { ChangeQueue } from './change-queue.js';
import { mountConcurrencyRoutes } from './concurrency-routes.js';
import { mountEventInvokeConfigRoutes } from './event-invoke-config-routes.js';
import { mountFunctionRoutes } from './function-routes.js';
import { mountInvokeRoute, maxSyncPayloadBytes } from './invoke-route.js';
import { LambdaError, toLambdaError } from './lambda-error.js';
import { claimedSignature, verifySignature } from './sigv4-check.js';
import { mountVersionRoutes } from './version-routes.js';

/** What the host gives the Lambda API beyond the admin API's own parts. */
export interface LambdaHostParts {
  /** A stored bundle or component by its sha256 hex (store/content-store.ts). */
  readonly contentOf: (hex: string) => Promise<Uint8Array>;
  /** The size in bytes of a stored bundle (CodeSize). */
  readonly sizeOf: (hex: string) => Promise<number>;
  /** [0, 1): how aliases split invocations (the host's injectable random source). */
  readonly random: () => number;
  /** Wall time for the SigV4 clock check (clients sign with theirs). */
  readonly now?: () => number;
}

export interface LambdaDeps extends LambdaHostParts {
  readonly registry: Registry;
  readonly deployer: Pick<Deployer, 'deploy'>;
  readonly invoker: Invoker;
  readonly queues: Pick<QueueStore, 'publish'>;
  /** The async path's records (async/): Event invocations are submitted there, as `POST /v1/functions/{name}/invoke` does. */
  readonly invocations: { submit(submission: { functionName: string; payload: Uint8Array; contentType: string; attributes?: Readonly<Record<string, string>> }): Promise<{ readonly id: string }> | { readonly id: string } };
  readonly logs: LogStore;
  /** The secret access key: the admin token. */
  readonly token: string;
  readonly onChange: (name: string) => void;
  readonly onDelete?: (name: string) => void;
}

/** What the routes that change a function share: their one-at-a-time queue. */
export interface LambdaRouteDeps extends LambdaDeps {
  readonly changes: ChangeQueue;
}

/** What every route reads from the context: set by the middleware below. */
export type LambdaEnv = { Variables: { requestId: string; region: string; body: Uint8Array } };

/** CreateFunction's request cap (AWS: a 50 MB zip, base64 in JSON); checked before the body is parsed. */
export const maxControlRequestBytes = 70_167_211;

/** The dated path prefixes of Lambda's operations (2015-03-31 functions, 2017-10-31 and 2019-09-30 concurrency, 2019-09-25 event invoke config…). */
export function isLambdaPath(path: string): boolean {
  return /^\/20\d\d-\d\d-\d\d\//.test(path);
}

export function createLambdaApp(deps: LambdaDeps): Hono<LambdaEnv> {
  const app = new Hono<LambdaEnv>();
  const now = deps.now ?? Date.now;
  app.onError((err, c) => {
    const requestId = c.get('requestId') ?? randomUUID();
    return toLambdaError(err).toResponse(requestId);
  });
  app.notFound((c) => new LambdaError('ResourceNotFoundException', `This host does not implement ${c.req.method} ${c.req.path} of Lambda's API (see docs/lambda-api.md)`).toResponse(c.get('requestId')));

  app.use('*', async (c, next) => {
    c.set('requestId', randomUUID());
    // Key, scope and clock first: a request that cannot be genuine is refused before its body is read.
    const claim = claimedSignature(c.req.raw.headers, now());
    const isInvoke = c.req.method === 'POST' && c.req.path.endsWith('/invocations');
    const limit = isInvoke ? maxSyncPayloadBytes : maxControlRequestBytes;
    const read = await readBodyLimited(c.req.raw, limit);
    if (!read.ok) {
      throw new LambdaError(isInvoke ? 'RequestTooLargeException' : 'RequestEntityTooLargeException', `Request must be smaller than ${limit} bytes for the ${isInvoke ? 'InvokeFunction' : 'this'} operation`);
    }
    const url = new URL(c.req.url);
    await verifySignature({ method: c.req.method, rawPath: url.pathname, url, headers: c.req.raw.headers, body: read.body }, claim, deps.token);
    c.set('region', claim.region);
    c.set('body', read.body);
    await next();
    c.res.headers.set('x-amzn-requestid', c.get('requestId'));
  });

  const routeDeps: LambdaRouteDeps = { ...deps, changes: new ChangeQueue() };
  mountFunctionRoutes(app, routeDeps);
  mountInvokeRoute(app, routeDeps);
  mountVersionRoutes(app, routeDeps);
  mountAliasRoutes(app, routeDeps);
  mountEventInvokeConfigRoutes(app, routeDeps);
  mountConcurrencyRoutes(app, routeDeps);
  return app;
}
