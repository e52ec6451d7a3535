// The admin API (its own listener): deploy, list, inspect, delete, roll back, invoke, read logs.
// Errors are { error: { code, message, details? } } with the catalog's status.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { invocationStates, type InvocationState, type InvocationStore } from '../async/invocation-records.js';
import type { Deployer } from '../deploy/deployer.js';
import { maxMessageBodyBytes } from '../queue/queue-input.js';
import type { QueueStore } from '../queue/queue-store.js';
import { toWasmletError, WasmletError } from '../errors/wasmlet-error.js';
import type { LogStore } from '../logs/log-store.js';
import type { Registry } from '../registry/registry.js';
import type { Invoker } from '../invoke/invoker.js';
import { outcomeError } from '../runtime/outcome-status.js';
import { readBodyLimited } from './read-body.js';
import { requestIdHeader } from '../triggers/http/problem-response.js';
import { bearerAuth } from './bearer-auth.js';
import { browserGuard } from './browser-guard.js';
import { createLambdaApp, isLambdaPath, type LambdaHostParts } from './lambda/lambda-app.js';
import { functionInfo, type FunctionFoldState } from './function-info.js';
import { mountQueueRoutes } from './queue-routes.js';
import { traceAdminRoute, traceAttributesOf, traceParentOf } from './admin-trace.js';
import type { Tracer } from '../tracing/tracing.js';
import { mountSecretRoutes } from './secret-routes.js';
import { mountKeyValueRoutes } from './kv-routes.js';
import { mountGcRoutes } from './gc-routes.js';
import { followLogs } from './log-follow.js';
import { mountObserveRoutes, type ObservabilityReader } from './observe-routes.js';
import { defaultConsoleDir, mountConsoleRoutes } from './console-routes.js';
import type { ContentCollector } from '../gc/content-collector.js';
import type { KeyValueStores } from '../kv/key-value-store.js';
import type { SecretStore } from '../secrets/secret-store.js';

export interface AdminDeps {
  readonly registry: Registry;
  readonly queues: QueueStore;
  readonly invocations: InvocationStore;
  /** Called after a function is deleted (its schedules are forgotten). */
  readonly onDelete?: (name: string) => void;
  readonly deployer: Deployer;
  readonly invoker: Invoker;
  readonly logs: LogStore;
  readonly secrets: SecretStore;
  /** The key-value stores (`/v1/kv`). */
  readonly keyValue: KeyValueStores;
  /** Garbage collection of deployed content (`/v1/gc`). */
  readonly collector: Pick<ContentCollector, 'collect'>;
  /** Where the fold of a component stands (compile/fold-state.ts), shown by `GET /v1/functions/:name`; absent: not shown. */
  readonly foldState?: (componentHex: string, initSnapshot: boolean) => Promise<FunctionFoldState>;
  /** The bearer token every endpoint but `/v1/health` requires: `--token`, or the data dir's generated one (host/admin-token.ts). */
  readonly token: string;
  /** The address the API listens on (`--host`): the Host names it answers to (see browser-guard.ts). */
  readonly listenHost: string;
  /** Called after anything that changes the active set (routes must be rebuilt). */
  /** The named function was deployed, rolled back or deleted. */
  readonly onChange: (name: string) => void;
  readonly version: string;
  /** Lambda's REST API on this port (api/lambda/lambda-app.ts); absent, its paths need the bearer token like any other. */
  readonly lambda?: LambdaHostParts;
  /** Metrics, the console's history and the host's health (`/metrics`, `/v1/.../stats`); absent: those paths are 404. */
  readonly observability?: ObservabilityReader | undefined;
  /** `/metrics` answers without the token (`serve --metrics-public`, loopback only: host-options.ts checks). */
  readonly metricsPublic?: boolean | undefined;
  /** The built web console (index.html + assets/); default dist/console/ (console-routes.ts). */
  readonly consoleDir?: string;
  /** Present when traces are exported: invokes and publishes get a server span (api/admin-trace.ts). */
  readonly tracer?: Tracer | undefined;
}

/** Largest bundle upload; matches the unpacked-size limit of a bundle. */
export const maxBundleUploadBytes = 128 * 1024 * 1024;
/** Largest direct-invocation payload (Lambda's synchronous limit is 6 MB). */
export const maxInvokePayloadBytes = 6 * 1024 * 1024;
const defaultLogLimit = 100;
const maxLogLimit = 1000;

export function createAdminApp(deps: AdminDeps): Hono {
  const app = new Hono();
  app.onError((err, c) => {
    const error = toWasmletError(err);
    return c.json(error.toBody(), error.status as 400);
  });
  app.notFound((c) => c.json(new WasmletError('bad_request', `no admin endpoint ${c.req.method} ${c.req.path}`).toBody(), 404));

  // Before anything else, health included: a web page gets nothing from this API (browser-guard.ts).
  app.use('*', browserGuard(deps.listenHost));
  app.get('/v1/health', (c) => c.json({ ok: true, version: deps.version }));
  // The console's page and assets hold no data: served before the token check (the page asks for the token).
  mountConsoleRoutes(app, deps.consoleDir ?? defaultConsoleDir);
  // Every other path needs the token, unknown ones too (a new route is never open by omission).
  const auth = bearerAuth(deps.token);
  const open = (path: string) => path === '/v1/health' || (deps.metricsPublic === true && path === '/metrics');
  // Lambda's API (api/lambda/) has its own paths and checks SigV4 with the same token instead of the bearer header.
  const lambda = deps.lambda ? createLambdaApp({ ...deps, ...deps.lambda }) : undefined;
  app.use('*', (c, next) => (open(c.req.path) ? next() : lambda && isLambdaPath(c.req.path) ? Promise.resolve(lambda.fetch(c.req.raw, c.env)) : auth(c, next)));
  if (deps.tracer) {
    app.use('/v1/functions/:name/invoke', traceAdminRoute(deps.tracer, 'POST', '/v1/functions/{name}/invoke'));
    app.use('/v1/queues/:queue/messages', traceAdminRoute(deps.tracer, 'POST', '/v1/queues/{queue}/messages'));
  }
  mountQueueRoutes(app, deps);
  mountSecretRoutes(app, deps);
  mountKeyValueRoutes(app, deps);
  mountGcRoutes(app, deps);
  mountObserveRoutes(app, deps);

  // The records kept (24 h), most recently changed first: what the console lists.
  app.get('/v1/invocations', async (c) => {
    const state = parseInvocationState(c.req.query('state'));
    const limit = parseLimit(c.req.query('limit'));
    return c.json({ invocations: await deps.invocations.list({ state, limit }) });
  });

  app.get('/v1/invocations/:id', async (c) => {
    const id = c.req.param('id');
    const record = await deps.invocations.get(id);
    if (!record) throw new WasmletError('invocation_not_found', `no async invocation ${id} (records are kept for 24 hours)`, { id });
    return c.json({ invocation: record });
  });

  app.post('/v1/functions', async (c) => {
    const read = await readBodyLimited(c.req.raw, maxBundleUploadBytes);
    if (!read.ok) throw new WasmletError('bundle_too_large', `the upload exceeds ${maxBundleUploadBytes} bytes`);
    if (read.body.length === 0) throw new WasmletError('bundle_invalid', 'the request body is empty; send the bundle zip');
    const { active, unchanged } = await deps.deployer.deploy(read.body);
    if (!unchanged) deps.onChange(active.name);
    return c.json({ function: functionInfo(active), unchanged }, unchanged ? 200 : 201);
  });

  // `quarantined`: functions whose registry file was damaged at start, with the reason; not served.
  app.get('/v1/functions', (c) => c.json({ functions: deps.registry.list().map(functionInfo), quarantined: deps.registry.quarantined() }));

  app.get('/v1/functions/:name', async (c) => {
    const fn = requireFunction(deps, c.req.param('name'));
    const fold = await deps.foldState?.(fn.current.componentHex, fn.manifest.runtime.initSnapshot);
    return c.json({ function: { ...functionInfo(fn), ...(fold ? { fold } : {}) } });
  });

  app.delete('/v1/functions/:name', async (c) => {
    const name = c.req.param('name');
    await deps.registry.remove(name);
    deps.onChange(name);
    deps.onDelete?.(name);
    await deps.logs.remove(name);
    return c.json({ deleted: name });
  });

  app.post('/v1/functions/:name/rollback', async (c) => {
    const active = await deps.registry.rollback(c.req.param('name'));
    deps.onChange(active.name);
    return c.json({ function: functionInfo(active) });
  });

  app.get('/v1/functions/:name/logs', async (c) => {
    const name = c.req.param('name');
    requireFunction(deps, name);
    const limit = parseLimit(c.req.query('limit'));
    // `?follow=1`: server-sent events, the last `limit` entries first, then each new one (log-follow.ts).
    if (isFollow(c.req.query('follow'))) return followLogs(deps.logs, name, limit);
    return c.json({ logs: await deps.logs.tail(name, limit) });
  });

  app.post('/v1/functions/:name/invoke', async (c) => {
    const fn = requireFunction(deps, c.req.param('name'));
    if (!(fn.current.handlers ?? ['http']).includes('http')) {
      throw new WasmletError('handler_missing', `${fn.name} has no HTTP handler, so it cannot be invoked directly; it runs from its queue or schedule triggers`);
    }
    if (isEventInvocation(c.req.header(invocationTypeHeader), c.req.query('mode'))) {
      // Lambda's async payload limit (1 MB) is also the queue's message limit.
      const limit = Math.min(maxMessageBodyBytes, fn.manifest.limits.maxBodyBytes);
      const read = await readBodyLimited(c.req.raw, limit);
      if (!read.ok) throw new WasmletError('body_too_large', `an async payload is at most ${limit} bytes for ${fn.name}`);
      const { id, duplicate } = await deps.invocations.submit({
        functionName: fn.name,
        payload: read.body,
        contentType: c.req.header('content-type') ?? 'application/json',
        idempotencyKey: c.req.header('idempotency-key'),
        attributes: traceAttributesOf(c),
      });
      return c.json({ invocationId: id, duplicate, status: `/v1/invocations/${id}` }, 202, { [invocationIdHeader]: id });
    }
    const read = await readBodyLimited(c.req.raw, Math.min(maxInvokePayloadBytes, fn.manifest.limits.maxBodyBytes));
    if (!read.ok) throw new WasmletError('body_too_large', `the payload exceeds ${fn.name}'s limit of ${fn.manifest.limits.maxBodyBytes} bytes`);
    const requestId = randomUUID();
    // A direct invocation is delivered to the HTTP handler as POST / (documented in sdk/wit/README.md).
    const contentType = c.req.header('content-type') ?? 'application/json';
    const outcome = await deps.invoker.invoke(
      fn,
      { method: 'POST', path: '/', query: '', headers: [['content-type', contentType], ['x-wasmlet-invocation', 'direct']], body: read.body },
      requestId,
      undefined,
      'direct',
      traceParentOf(c),
    );
    if (outcome.kind !== 'ok') {
      const { code, message } = outcomeError(outcome, fn.name);
      const error = new WasmletError(code, message, { function: fn.name, requestId });
      return c.json(error.toBody(), error.status as 400, { [requestIdHeader]: requestId });
    }
    const headers = new Headers(outcome.response.headers.map(([k, v]) => [k, v] as [string, string]));
    headers.set(requestIdHeader, requestId);
    return new Response(outcome.response.body as Uint8Array<ArrayBuffer>, { status: outcome.response.status, headers });
  });

  return app;
}

/** Lambda's header (`X-Amz-Invocation-Type`), under our name. */
export const invocationTypeHeader = 'x-wasmlet-invocation-type';
export const invocationIdHeader = 'x-wasmlet-invocation-id';

function isEventInvocation(header: string | undefined, mode: string | undefined): boolean {
  if (header !== undefined) {
    if (/^event$/i.test(header)) return true;
    if (/^requestresponse$/i.test(header)) return false;
    throw new WasmletError('bad_request', `${invocationTypeHeader} must be Event or RequestResponse, got ${JSON.stringify(header)}`);
  }
  if (mode === undefined || mode === 'sync') return false;
  if (mode === 'async') return true;
  throw new WasmletError('bad_request', `mode must be sync or async, got ${JSON.stringify(mode)}`);
}

function requireFunction(deps: AdminDeps, name: string) {
  const fn = deps.registry.get(name);
  if (!fn) throw new WasmletError('function_not_found', `no function named ${name}`, { name });
  return fn;
}

function parseInvocationState(raw: string | undefined): InvocationState | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!(invocationStates as readonly string[]).includes(raw)) {
    throw new WasmletError('bad_request', `state must be one of ${invocationStates.join(', ')}, got ${JSON.stringify(raw)}`);
  }
  return raw as InvocationState;
}

function isFollow(raw: string | undefined): boolean {
  if (raw === undefined || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true' || raw === '') return true;
  throw new WasmletError('bad_request', `follow must be 1 or 0, got ${JSON.stringify(raw)}`);
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return defaultLogLimit;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLogLimit) {
    throw new WasmletError('bad_request', `limit must be an integer from 1 to ${maxLogLimit}, got ${JSON.stringify(raw)}`);
  }
  return limit;
}
