// PublishVersion and ListVersionsByFunction. A published version is the active registry version
// frozen under its own number (registry.publish): immutable, kept until deleted, whatever deploys
// and rollbacks do to `$LATEST` afterwards.
import type { Hono } from 'hono';
import { CodeSizes } from './code-size.js';
import { checkRevision, latestOf, versionKey } from './function-routes.js';
import { latest } from './function-ref.js';
import type { LambdaDeps, LambdaEnv } from './lambda-app.js';
import { LambdaError } from './lambda-error.js';
import { optionalString, page, parseJsonBody } from './lambda-input.js';

export function mountVersionRoutes(app: Hono<LambdaEnv>, deps: LambdaDeps): void {
  const sizes = new CodeSizes(deps.sizeOf);

  app.post('/2015-03-31/functions/:name/versions', async (c) => {
    const region = c.get('region');
    const fn = latestOf(deps, c.req.param('name'), region);
    const body = parseJsonBody(c.get('body'));
    checkRevision(body, fn);
    const codeSha256 = optionalString(body, 'CodeSha256');
    const current = Buffer.from(fn.current.bundleHex, 'hex').toString('base64');
    if (codeSha256 !== undefined && codeSha256 !== current) {
      throw new LambdaError('InvalidParameterValueException', `CodeSha256 (${codeSha256}) is different from current CodeSha256 in $LATEST (${current}). Please try again`);
    }
    const { version } = await deps.registry.publish(fn.name, optionalString(body, 'Description') ?? '');
    return c.json(await sizes.configuration(deps.registry.publishedFunction(fn.name, version.version)!, String(version.version), region), 201);
  });

  app.get('/2015-03-31/functions/:name/versions', async (c) => {
    const region = c.get('region');
    const fn = latestOf(deps, c.req.param('name'), region);
    const entries = [
      { key: versionKey(0), fn, version: latest },
      ...deps.registry.published(fn.name).map((v) => ({ key: versionKey(v.version), fn: deps.registry.publishedFunction(fn.name, v.version)!, version: String(v.version) })),
    ];
    const { items, nextMarker } = page(entries, (e) => e.key, c.req.query('Marker'), c.req.query('MaxItems'));
    const versions = await Promise.all(items.map((e) => sizes.configuration(e.fn, e.version, region)));
    return c.json({ Versions: versions, ...(nextMarker ? { NextMarker: nextMarker } : {}) });
  });
}
