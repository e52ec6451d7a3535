// CreateFunction, GetFunction, GetFunctionConfiguration, ListFunctions, DeleteFunction,
// UpdateFunctionCode and UpdateFunctionConfiguration. Every change is a wasmlet deploy: the bundle
// (Code.ZipFile) with its manifest edited to say what the call set (manifest-edit.ts), so a new
// `$LATEST` is a new registry version that `wasmlet rollback` can undo.
import type { Hono } from 'hono';
import { readBundle, type Bundle } from '../../bundle/read-bundle.js';
import { parseManifest } from '../../manifest/parse-manifest.js';
import type { ActiveFunction } from '../../registry/registry.js';
import { CodeSizes } from './code-size.js';
import { checkWasmletName, functionArn, latest, parseFunctionRef, resolveFunction } from './function-ref.js';
import { revisionIdOf } from './function-configuration.js';
import type { LambdaDeps, LambdaEnv, LambdaRouteDeps } from './lambda-app.js';
import { LambdaError } from './lambda-error.js';
import { optionalBoolean, optionalInteger, optionalObject, optionalString, page, parseJsonBody, requiredString, stringMap, type JsonObject } from './lambda-input.js';
import { editManifest, rebundle, type ManifestEdit } from './manifest-edit.js';

/** Lambda's Timeout bound (15 minutes), in seconds: also wasmlet's largest timeout_ms. */
const maxTimeoutSeconds = 900;
/** MemorySize: wasmlet's own bounds (a wasm32 memory), not Lambda's 128–10240. */
const minMemoryMb = 1;
const maxMemoryMb = 4096;

export function mountFunctionRoutes(app: Hono<LambdaEnv>, deps: LambdaRouteDeps): void {
  const sizes = new CodeSizes(deps.sizeOf);
  const deploy = async (zip: Uint8Array, name: string): Promise<ActiveFunction> => {
    const { active, unchanged } = await deps.deployer.deploy(zip);
    if (active.name !== name) throw new Error(`deployed ${active.name}, expected ${name}`); // the edit sets the name
    if (!unchanged) deps.onChange(name);
    return active;
  };
  const publishIf = async (publish: boolean | undefined, fn: ActiveFunction, region: string) => {
    if (!publish) return sizes.configuration(fn, latest, region);
    const { version } = await deps.registry.publish(fn.name, '');
    return sizes.configuration(deps.registry.publishedFunction(fn.name, version.version)!, String(version.version), region);
  };

  app.post('/2015-03-31/functions', (c) => deps.changes.run(async () => {
    const region = c.get('region');
    const body = parseJsonBody(c.get('body'));
    const name = requiredString(body, 'FunctionName', 140);
    checkWasmletName(name);
    if (deps.registry.get(name)) throw new LambdaError('ResourceConflictException', `Function already exist: ${name}`);
    const packageType = optionalString(body, 'PackageType');
    if (packageType !== undefined && packageType !== 'Zip') throw new LambdaError('InvalidParameterValueException', 'wasmlet runs Zip packages (a wasmlet bundle) only');
    const bundleZip = zipFileOf(optionalObject(body, 'Code'));
    const bundle = await readBundle(bundleZip);
    const edit: ManifestEdit = { ...(bundle.manifest.name !== name ? { name } : {}), ...configurationEdit(body) };
    const fn = await deploy(Object.keys(edit).length === 0 ? bundleZip : rebundle(bundle, editManifest(bundle.manifestSource, edit)), name);
    return c.json(await publishIf(optionalBoolean(body, 'Publish'), fn, region), 201);
  }));

  app.get('/2015-03-31/functions', async (c) => {
    const region = c.get('region');
    const all = c.req.query('FunctionVersion');
    if (all !== undefined && all !== 'ALL') throw new LambdaError('InvalidParameterValueException', `FunctionVersion must be ALL, got ${JSON.stringify(all)}`);
    const entries = deps.registry.list().flatMap((fn) => [
      { key: `${fn.name}\u0000`, fn, version: latest },
      ...(all ? deps.registry.published(fn.name).map((v) => ({ key: `${fn.name}\u0000${versionKey(v.version)}`, fn: deps.registry.publishedFunction(fn.name, v.version)!, version: String(v.version) })) : []),
    ]);
    const { items, nextMarker } = page(entries, (e) => e.key, c.req.query('Marker'), c.req.query('MaxItems'));
    const functions = await Promise.all(items.map(async ({ fn, version }) => {
      const { State: _state, LastUpdateStatus: _status, ...listed } = await sizes.configuration(fn, version, region);
      return listed;
    }));
    return c.json({ Functions: functions, ...(nextMarker ? { NextMarker: nextMarker } : {}) });
  });

  app.get('/2015-03-31/functions/:name', async (c) => {
    const region = c.get('region');
    const resolved = resolveFunction(deps.registry, parseFunctionRef(c.req.param('name'), c.req.query('Qualifier')), region);
    const reserved = deps.registry.reservedConcurrency(resolved.fn.name);
    return c.json({
      Configuration: await sizes.configuration(resolved.fn, resolved.version, region),
      // The bundle is not downloadable through Lambda's API (no presigned S3 location): docs/lambda-api.md.
      Code: { RepositoryType: 'wasmlet' },
      ...(reserved !== undefined ? { Concurrency: { ReservedConcurrentExecutions: reserved } } : {}),
    });
  });

  app.get('/2015-03-31/functions/:name/configuration', async (c) => {
    const region = c.get('region');
    const resolved = resolveFunction(deps.registry, parseFunctionRef(c.req.param('name'), c.req.query('Qualifier')), region);
    return c.json(await sizes.configuration(resolved.fn, resolved.version, region));
  });

  app.delete('/2015-03-31/functions/:name', async (c) => {
    const region = c.get('region');
    const ref = parseFunctionRef(c.req.param('name'), c.req.query('Qualifier'));
    const { fn } = resolveFunction(deps.registry, { name: ref.name, qualifier: undefined }, region);
    if (ref.qualifier === undefined) {
      await deps.registry.remove(fn.name);
      deps.onChange(fn.name);
      deps.onDelete?.(fn.name);
      await deps.logs.remove(fn.name);
      return c.body(null, 204);
    }
    if (ref.qualifier === latest) throw new LambdaError('InvalidParameterValueException', '$LATEST version cannot be deleted without deleting the function.');
    if (!/^\d+$/.test(ref.qualifier)) throw new LambdaError('InvalidParameterValueException', `Deletion of aliases is not supported by DeleteFunction (use DeleteAlias for ${ref.qualifier})`);
    resolveFunction(deps.registry, ref, region); // 404 for a version that is not published
    const users = deps.registry.aliases(fn.name).filter((a) => a.functionVersion === ref.qualifier || ref.qualifier! in a.additionalVersionWeights);
    if (users.length > 0) {
      throw new LambdaError('ResourceConflictException', `Unable to delete version because the following aliases reference it: [${users.map((a) => a.name).join(', ')}]`);
    }
    await deps.registry.unpublish(fn.name, Number(ref.qualifier));
    return c.body(null, 204);
  });

  app.put('/2015-03-31/functions/:name/code', (c) => deps.changes.run(async () => {
    const region = c.get('region');
    const fn = latestOf(deps, c.req.param('name'), region);
    const body = parseJsonBody(c.get('body'));
    checkRevision(body, fn);
    const bundle = await readBundle(zipFileOf(body));
    // Lambda's rule: new code keeps the function's configuration (Environment, Timeout, MemorySize, event invoke config).
    const edit = keptConfiguration(fn);
    const manifestSource = editManifest(bundle.manifestSource, { ...edit, name: fn.name });
    if (optionalBoolean(body, 'DryRun')) {
      parseManifest(manifestSource); // the edited manifest must still parse; nothing is deployed
      return c.json(await sizes.configuration(fn, latest, region));
    }
    const updated = await deploy(rebundle(bundle, manifestSource), fn.name);
    return c.json(await publishIf(optionalBoolean(body, 'Publish'), updated, region));
  }));

  app.put('/2015-03-31/functions/:name/configuration', (c) => deps.changes.run(async () => {
    const region = c.get('region');
    const fn = latestOf(deps, c.req.param('name'), region);
    const body = parseJsonBody(c.get('body'));
    checkRevision(body, fn);
    const edit = configurationEdit(body);
    if (Object.keys(edit).length === 0) return c.json(await sizes.configuration(fn, latest, region));
    const current: Bundle = { manifest: fn.manifest, manifestSource: fn.current.manifestSource, component: await deps.contentOf(fn.current.componentHex) };
    const updated = await deploy(rebundle(current, editManifest(current.manifestSource, edit)), fn.name);
    return c.json(await sizes.configuration(updated, latest, region));
  }));
}

/** The unqualified function a change applies to (a qualified name is refused: versions are immutable). */
export function latestOf(deps: LambdaDeps, rawName: string, region: string): ActiveFunction {
  const ref = parseFunctionRef(rawName, undefined);
  if (ref.qualifier !== undefined && ref.qualifier !== latest) {
    throw new LambdaError('InvalidParameterValueException', `${ref.qualifier} is a version or alias: only $LATEST can be changed (published versions are immutable)`);
  }
  return resolveFunction(deps.registry, ref, region).fn;
}

/** Lambda's optimistic lock: a RevisionId that is not the current one refuses the change. */
export function checkRevision(body: JsonObject, fn: ActiveFunction): void {
  const revision = optionalString(body, 'RevisionId');
  if (revision !== undefined && revision !== revisionIdOf(fn.name, fn.current.version, fn.current.bundleHex)) {
    throw new LambdaError('PreconditionFailedException', 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id');
  }
}

/** A version key that sorts numerically as text. */
export function versionKey(version: number): string {
  return String(version).padStart(10, '0');
}

function zipFileOf(code: JsonObject | undefined): Uint8Array {
  if (!code) throw new LambdaError('InvalidParameterValueException', 'Code.ZipFile is required: a wasmlet bundle zip, base64 in JSON');
  if (code.S3Bucket !== undefined || code.ImageUri !== undefined) throw new LambdaError('InvalidParameterValueException', 'wasmlet takes the code as ZipFile only (no S3Bucket/S3Key, no ImageUri)');
  const zip = optionalString(code, 'ZipFile', Number.MAX_SAFE_INTEGER);
  if (zip === undefined || zip === '') throw new LambdaError('InvalidParameterValueException', 'ZipFile is required: a wasmlet bundle zip, base64 in JSON');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(zip)) throw new LambdaError('InvalidParameterValueException', 'ZipFile is not base64');
  return new Uint8Array(Buffer.from(zip, 'base64'));
}

/** What CreateFunction and UpdateFunctionConfiguration set; Role, Handler, Runtime, Description… are accepted and ignored. */
function configurationEdit(body: JsonObject): ManifestEdit {
  const timeout = optionalInteger(body, 'Timeout', 1, maxTimeoutSeconds);
  const memory = optionalInteger(body, 'MemorySize', minMemoryMb, maxMemoryMb);
  const environment = optionalObject(body, 'Environment');
  const variables = environment?.Variables;
  return {
    ...(timeout !== undefined ? { timeoutMs: timeout * 1000 } : {}),
    ...(memory !== undefined ? { memoryMb: memory } : {}),
    ...(environment !== undefined ? { env: variables === undefined || variables === null ? {} : stringMap(variables, 'Environment.Variables') } : {}),
  };
}

/** The configuration Lambda keeps across UpdateFunctionCode, read from the current manifest. */
function keptConfiguration(fn: ActiveFunction): ManifestEdit {
  const { env, limits, async } = fn.manifest;
  return {
    env,
    timeoutMs: limits.timeoutMs,
    memoryMb: limits.memoryMb,
    async: {
      maxRetries: async.maxRetries,
      maxEventAgeS: async.maxEventAgeMs / 1000,
      onFailure: async.onFailure ?? null,
      onSuccess: async.onSuccess ?? null,
    },
  };
}

export { functionArn };
