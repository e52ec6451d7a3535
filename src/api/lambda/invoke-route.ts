// Invoke: POST /2015-03-31/functions/{name}/invocations. The payload becomes the guest's direct
// invocation (POST / with `x-wasmlet-invocation: direct`, as `wasmlet invoke` sends it);
// `RequestResponse` runs it through the invoker and waits, `Event` queues it on wasmlet's async path
// (its retries, max event age and destinations: `[async]`), `DryRun` only checks that it could run.
import type { Hono } from 'hono';
import { maxMessageBodyBytes } from '../../queue/queue-input.js';
import { asyncVersionAttribute } from '../../triggers/async/async-trigger.js';
import { latest, parseFunctionRef, resolveFunction, type ResolvedFunction } from './function-ref.js';
import { lambdaPayloadOf } from './invoke-result.js';
import type { LambdaDeps, LambdaEnv } from './lambda-app.js';
import { LambdaError } from './lambda-error.js';
import { logTail } from './log-tail.js';

/** Lambda's synchronous payload limit, request and response: 6 MB. */
export const maxSyncPayloadBytes = 6 * 1024 * 1024;
/** Lambda's asynchronous payload limit: 1 MB since 2025 (256 KB before), the queue's message limit too. */
export const maxEventPayloadBytes = 1024 * 1024;

const invocationTypes = ['RequestResponse', 'Event', 'DryRun'] as const;

export function mountInvokeRoute(app: Hono<LambdaEnv>, deps: LambdaDeps): void {
  app.post('/2015-03-31/functions/:name/invocations', async (c) => {
    const region = c.get('region');
    const requestId = c.get('requestId');
    const type = c.req.header('x-amz-invocation-type') ?? 'RequestResponse';
    if (!(invocationTypes as readonly string[]).includes(type)) {
      throw new LambdaError('InvalidParameterValueException', `Value '${type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [${invocationTypes.join(', ')}]`);
    }
    const logType = c.req.header('x-amz-log-type') ?? 'None';
    if (logType !== 'None' && logType !== 'Tail') throw new LambdaError('InvalidParameterValueException', `Value '${logType}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]`);
    const ref = parseFunctionRef(c.req.param('name'), c.req.query('Qualifier'));
    const resolved = resolveFunction(deps.registry, ref, region, { random: deps.random });
    const { fn } = resolved;
    if (!(fn.current.handlers ?? ['http']).includes('http')) {
      throw new LambdaError('InvalidParameterValueException', `${fn.name} has no HTTP handler, so it cannot be invoked directly; it runs from its queue or schedule triggers`);
    }
    const payload = c.get('body');
    if (type === 'DryRun') return c.body(null, 204, { 'x-amz-executed-version': resolved.version });
    if (type === 'Event') return invokeEvent(deps, resolved, payload, c.req.header('content-type'), (id) => c.set('requestId', id));

    const limit = Math.min(maxSyncPayloadBytes, fn.manifest.limits.maxBodyBytes);
    if (payload.length > limit) {
      throw new LambdaError('RequestTooLargeException', `Request must be smaller than ${limit} bytes for the InvokeFunction operation (${fn.name}'s [limits] max_body_bytes)`);
    }
    const started = performance.now();
    const result = await deps.invoker.run(
      fn,
      { kind: 'http', request: { method: 'POST', path: '/', query: '', headers: [['content-type', 'application/json'], ['x-wasmlet-invocation', 'direct']], body: payload } },
      requestId,
      // Over the function's concurrency a Lambda caller is told at once (429), not queued.
      { lane: 'sync', refuseAtConcurrencyLimit: true },
    );
    let outcome = result.outcome;
    if (outcome.kind === 'batch_ok' || outcome.kind === 'event_ok') outcome = { kind: 'host_error', message: `an HTTP call ended in ${outcome.kind}` };
    // What the guest published is durable before the caller hears of the result, as for /v1/functions/{name}/invoke.
    if (outcome.kind === 'ok' && result.published && result.published.length > 0) {
      try {
        await deps.queues.publish(result.published);
      } catch (err) {
        const message = `could not publish ${result.published.length} message(s): ${err instanceof Error ? err.message : String(err)}`;
        deps.logs.append(fn.name, requestId, [{ time: Date.now(), level: 'error', stream: 'host', message }]);
        outcome = { kind: 'host_error', message };
      }
    }
    const answer = lambdaPayloadOf(outcome, fn.name, requestId, deps.registry.reservedConcurrency(fn.name));
    const headers: Record<string, string> = { 'content-type': answer.contentType, 'x-amz-executed-version': resolved.version };
    if (answer.functionError) headers['x-amz-function-error'] = answer.functionError;
    if (logType === 'Tail') headers['x-amz-log-result'] = logTail(result.logs, requestId, resolved.version, performance.now() - started, fn.manifest.limits.memoryMb);
    return new Response(answer.body as Uint8Array<ArrayBuffer>, { status: 200, headers });
  });
}

/** Queues the event (202): its id is the request id the client gets. A version (or an alias's pick) travels with it. */
async function invokeEvent(deps: LambdaDeps, resolved: ResolvedFunction, payload: Uint8Array, contentType: string | undefined, setRequestId: (id: string) => void): Promise<Response> {
  const { fn } = resolved;
  const limit = Math.min(maxEventPayloadBytes, maxMessageBodyBytes, fn.manifest.limits.maxBodyBytes);
  if (payload.length > limit) throw new LambdaError('RequestTooLargeException', `Request must be smaller than ${limit} bytes for the InvokeFunction operation`);
  const { id } = await deps.invocations.submit({
    functionName: fn.name,
    payload,
    contentType: contentType === undefined || contentType === 'application/octet-stream' ? 'application/json' : contentType,
    ...(resolved.version === latest ? {} : { attributes: { [asyncVersionAttribute]: resolved.version } }),
  });
  setRequestId(id);
  return new Response(null, { status: 202, headers: { 'x-amz-executed-version': resolved.version } });
}
