// Put/Get/Update/Delete/ListFunctionEventInvokeConfig(s), mapped onto the manifest's `[async]`:
// MaximumRetryAttempts → max_retries, MaximumEventAgeInSeconds → max_event_age_s, OnFailure and
// OnSuccess destinations → on_failure and on_success (wasmlet queues: a queue name, or an SQS ARN
// whose last part is the name). A change deploys a new $LATEST; a published version keeps its own.
import type { Hono } from 'hono';
import type { ActiveFunction } from '../../registry/registry.js';
import { latestOf } from './function-routes.js';
import { functionArn, latest, parseFunctionRef, resolveFunction } from './function-ref.js';
import type { LambdaEnv, LambdaRouteDeps } from './lambda-app.js';
import { LambdaError } from './lambda-error.js';
import { optionalInteger, optionalObject, optionalString, parseJsonBody, type JsonObject } from './lambda-input.js';
import { editManifest, rebundle, type ManifestEdit } from './manifest-edit.js';
import { defaultAsyncMaxRetries, defaultMaxEventAgeS } from '../../manifest/manifest-bounds.js';

type AsyncEdit = NonNullable<ManifestEdit['async']>;

export function mountEventInvokeConfigRoutes(app: Hono<LambdaEnv>, deps: LambdaRouteDeps): void {
  const path = '/2019-09-25/functions/:name/event-invoke-config';
  const change = (rawName: string, region: string, edit: (fn: ActiveFunction) => AsyncEdit): Promise<ActiveFunction> => deps.changes.run(async () => {
    const fn = latestOf(deps, rawName, region);
    const source = editManifest(fn.current.manifestSource, { async: edit(fn) });
    const component = await deps.contentOf(fn.current.componentHex);
    const { active, unchanged } = await deps.deployer.deploy(rebundle({ manifest: fn.manifest, component }, source));
    if (!unchanged) deps.onChange(active.name);
    return active;
  });

  // Put replaces the whole configuration: what it leaves out goes back to the default.
  app.put(path, async (c) => {
    const body = parseJsonBody(c.get('body'));
    const fn = await change(c.req.param('name'), c.get('region'), () => {
      const edit = asyncEditOf(body);
      return { maxRetries: edit.maxRetries ?? defaultAsyncMaxRetries, maxEventAgeS: edit.maxEventAgeS ?? defaultMaxEventAgeS, onFailure: edit.onFailure ?? null, onSuccess: edit.onSuccess ?? null };
    });
    return c.json(eventInvokeConfig(fn, latest, c.get('region')));
  });

  // Update changes only what it names.
  app.post(path, async (c) => {
    const body = parseJsonBody(c.get('body'));
    const fn = await change(c.req.param('name'), c.get('region'), () => asyncEditOf(body));
    return c.json(eventInvokeConfig(fn, latest, c.get('region')));
  });

  app.get(path, (c) => {
    const region = c.get('region');
    const resolved = resolveFunction(deps.registry, parseFunctionRef(c.req.param('name'), c.req.query('Qualifier')), region);
    return c.json(eventInvokeConfig(resolved.fn, resolved.version, region));
  });

  app.get(`${path}/list`, (c) => {
    const region = c.get('region');
    const fn = latestOf(deps, c.req.param('name'), region);
    return c.json({ FunctionEventInvokeConfigs: [eventInvokeConfig(fn, latest, region)] });
  });

  app.delete(path, async (c) => {
    await change(c.req.param('name'), c.get('region'), () => ({ maxRetries: null, maxEventAgeS: null, onFailure: null, onSuccess: null }));
    return c.body(null, 204);
  });
}

function asyncEditOf(body: JsonObject): AsyncEdit {
  const maxRetries = optionalInteger(body, 'MaximumRetryAttempts', 0, 2);
  const maxEventAgeS = optionalInteger(body, 'MaximumEventAgeInSeconds', 60, 21_600);
  const destinations = optionalObject(body, 'DestinationConfig');
  const queueOf = (key: 'OnFailure' | 'OnSuccess'): string | null | undefined => {
    const target = destinations ? optionalObject(destinations, key) : undefined;
    if (!target) return undefined;
    const destination = optionalString(target, 'Destination', 1024);
    if (destination === undefined || destination === '') return null;
    // arn:aws:sqs:<region>:<account>:<queue> → <queue>; other ARNs name nothing wasmlet has.
    if (destination.startsWith('arn:')) {
      const parts = destination.split(':');
      if (parts[2] !== 'sqs' || parts.length !== 6) throw new LambdaError('InvalidParameterValueException', `The destination ${destination} is not a queue: wasmlet's destinations are its queues (a name, or arn:aws:sqs:<region>:<account>:<name>)`);
      return parts[5]!;
    }
    return destination;
  };
  return {
    ...(maxRetries !== undefined ? { maxRetries } : {}),
    ...(maxEventAgeS !== undefined ? { maxEventAgeS } : {}),
    ...(queueOf('OnFailure') !== undefined ? { onFailure: queueOf('OnFailure') } : {}),
    ...(queueOf('OnSuccess') !== undefined ? { onSuccess: queueOf('OnSuccess') } : {}),
  };
}

/** FunctionEventInvokeConfig from a version's `[async]`; destinations as SQS ARNs of wasmlet queues. */
function eventInvokeConfig(fn: ActiveFunction, version: string, region: string) {
  const spec = fn.manifest.async;
  const queueArn = (queue: string) => `arn:aws:sqs:${region}:000000000000:${queue}`;
  return {
    LastModified: Math.floor(Date.parse(fn.current.deployedAt) / 1000),
    FunctionArn: functionArn(region, fn.name, version),
    MaximumRetryAttempts: spec.maxRetries,
    MaximumEventAgeInSeconds: spec.maxEventAgeMs / 1000,
    DestinationConfig: {
      OnSuccess: spec.onSuccess !== undefined ? { Destination: queueArn(spec.onSuccess) } : {},
      OnFailure: spec.onFailure !== undefined ? { Destination: queueArn(spec.onFailure) } : {},
    },
  };
}
