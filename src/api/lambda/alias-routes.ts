// CreateAlias, GetAlias, UpdateAlias, DeleteAlias, ListAliases. An alias names $LATEST or a published
// version and may send a share of invocations to one more published version (alias-routing.ts).
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import type { ActiveFunction, AliasRecord } from '../../registry/registry.js';
import { aliasConfiguration } from './function-configuration.js';
import { latestOf } from './function-routes.js';
import { aliasNamePattern, functionArn, latest } from './function-ref.js';
import type { LambdaDeps, LambdaEnv } from './lambda-app.js';
import { LambdaError } from './lambda-error.js';
import { optionalObject, optionalString, page, parseJsonBody, requiredString, type JsonObject } from './lambda-input.js';

export function mountAliasRoutes(app: Hono<LambdaEnv>, deps: LambdaDeps): void {
  const base = '/2015-03-31/functions/:name/aliases';
  const find = (fn: ActiveFunction, name: string, region: string): AliasRecord => {
    const alias = deps.registry.aliases(fn.name).find((a) => a.name === name);
    if (!alias) throw new LambdaError('ResourceNotFoundException', `Cannot find alias arn: ${functionArn(region, fn.name, name)}`);
    return alias;
  };

  app.post(base, async (c) => {
    const region = c.get('region');
    const fn = latestOf(deps, c.req.param('name'), region);
    const body = parseJsonBody(c.get('body'));
    const name = requiredString(body, 'Name', 128);
    if (!aliasNamePattern.test(name)) throw new LambdaError('InvalidParameterValueException', `Value '${name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)`);
    if (deps.registry.aliases(fn.name).some((a) => a.name === name)) throw new LambdaError('ResourceConflictException', `Alias already exists: ${functionArn(region, fn.name, name)}`);
    const alias = checkedAlias(deps, fn, {
      name,
      functionVersion: requiredString(body, 'FunctionVersion', 1024),
      description: optionalString(body, 'Description') ?? '',
      additionalVersionWeights: weightsOf(body),
      revisionId: randomUUID(),
    }, region);
    await deps.registry.putAlias(fn.name, alias);
    return c.json(aliasConfiguration(fn.name, alias, region), 201);
  });

  app.get(base, (c) => {
    const region = c.get('region');
    const fn = latestOf(deps, c.req.param('name'), region);
    const version = c.req.query('FunctionVersion');
    const aliases = deps.registry.aliases(fn.name).filter((a) => version === undefined || a.functionVersion === version);
    const { items, nextMarker } = page(aliases, (a) => a.name, c.req.query('Marker'), c.req.query('MaxItems'));
    return c.json({ Aliases: items.map((a) => aliasConfiguration(fn.name, a, region)), ...(nextMarker ? { NextMarker: nextMarker } : {}) });
  });

  app.get(`${base}/:alias`, (c) => {
    const region = c.get('region');
    const fn = latestOf(deps, c.req.param('name'), region);
    return c.json(aliasConfiguration(fn.name, find(fn, c.req.param('alias'), region), region));
  });

  app.put(`${base}/:alias`, async (c) => {
    const region = c.get('region');
    const fn = latestOf(deps, c.req.param('name'), region);
    const current = find(fn, c.req.param('alias'), region);
    const body = parseJsonBody(c.get('body'));
    const revision = optionalString(body, 'RevisionId');
    if (revision !== undefined && revision !== current.revisionId) {
      throw new LambdaError('PreconditionFailedException', 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id');
    }
    const alias = checkedAlias(deps, fn, {
      name: current.name,
      functionVersion: optionalString(body, 'FunctionVersion', 1024) ?? current.functionVersion,
      description: optionalString(body, 'Description') ?? current.description,
      additionalVersionWeights: body.RoutingConfig === undefined ? current.additionalVersionWeights : weightsOf(body),
      revisionId: randomUUID(),
    }, region);
    await deps.registry.putAlias(fn.name, alias);
    return c.json(aliasConfiguration(fn.name, alias, region));
  });

  app.delete(`${base}/:alias`, async (c) => {
    const region = c.get('region');
    const fn = latestOf(deps, c.req.param('name'), region);
    find(fn, c.req.param('alias'), region);
    await deps.registry.deleteAlias(fn.name, c.req.param('alias'));
    return c.body(null, 204);
  });
}

/** RoutingConfig.AdditionalVersionWeights: at most one version, a weight from 0 to 1. */
function weightsOf(body: JsonObject): Record<string, number> {
  const routing = optionalObject(body, 'RoutingConfig');
  const weights = routing ? optionalObject(routing, 'AdditionalVersionWeights') : undefined;
  if (!weights) return {};
  const entries = Object.entries(weights);
  if (entries.length > 1) throw new LambdaError('InvalidParameterValueException', 'Number of items in AdditionalVersionWeights cannot be greater than 1');
  for (const [version, weight] of entries) {
    if (typeof weight !== 'number' || !(weight >= 0 && weight <= 1)) {
      throw new LambdaError('InvalidParameterValueException', `Value ${JSON.stringify(weight)} at 'routingConfig.additionalVersionWeights.${version}' failed to satisfy constraint: Member must have value between 0.0 and 1.0`);
    }
  }
  return Object.fromEntries(entries) as Record<string, number>;
}

/** Every version the alias names must be published; a split needs two different published versions. */
function checkedAlias(deps: LambdaDeps, fn: ActiveFunction, alias: AliasRecord, region: string): AliasRecord {
  const published = new Set(deps.registry.published(fn.name).map((v) => String(v.version)));
  if (alias.functionVersion !== latest && !published.has(alias.functionVersion)) {
    throw new LambdaError('ResourceNotFoundException', `Function not found: ${functionArn(region, fn.name, alias.functionVersion)}`);
  }
  for (const version of Object.keys(alias.additionalVersionWeights)) {
    if (!published.has(version)) throw new LambdaError('InvalidParameterValueException', `AdditionalVersionWeights names version ${version}, which is not published`);
    if (version === alias.functionVersion) throw new LambdaError('InvalidParameterValueException', `Alias ${alias.name} cannot route to version ${version} twice`);
    if (alias.functionVersion === latest) throw new LambdaError('InvalidParameterValueException', '$LATEST is not supported for an alias pointing to more than 1 version');
  }
  return alias;
}
