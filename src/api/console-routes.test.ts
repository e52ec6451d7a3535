import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Hono } from 'hono';
import { toWasmletError } from '../errors/wasmlet-error.js';
import { bearerAuth } from './bearer-auth.js';
import { browserGuard } from './browser-guard.js';
import { mountConsoleRoutes } from './console-routes.js';

/** The admin app's order: guard, console, then the token for everything else. */
function appServing(dir: string): Hono {
  const app = new Hono();
  app.onError((err, c) => {
    const error = toWasmletError(err);
    return c.json(error.toBody(), error.status as 400);
  });
  app.use('*', browserGuard('127.0.0.1'));
  mountConsoleRoutes(app, dir);
  app.use('*', bearerAuth('s3cret'));
  app.get('/v1/functions', (c) => c.json({ functions: [] }));
  return app;
}

describe('console routes', () => {
  let dir: string;
  let app: Hono;
  const get = (path: string, headers: Record<string, string> = {}) => app.request(`http://127.0.0.1:8081${path}`, { headers });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wasmlet-console-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><script type="module" src="/console/assets/main-ABC123.js"></script>');
    await writeFile(join(dir, 'assets', 'main-ABC123.js'), 'console.log(1)');
    await writeFile(join(dir, 'assets', 'main-ABC123.css'), 'body{}');
    app = appServing(dir);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('the page loads without a token, revalidated on every load, never framed', async () => {
    for (const path of ['/console', '/console/', '/console/functions/hello', '/console/queues']) {
      const page = await get(path);
      assert.equal(page.status, 200, path);
      assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(page.headers.get('cache-control'), 'no-cache');
      assert.equal(page.headers.get('x-frame-options'), 'DENY');
      assert.match(page.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
      assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self';/);
      assert.match(await page.text(), /main-ABC123\.js/);
    }
  });

  test('hashed assets are immutable, with their content type', async () => {
    const script = await get('/console/assets/main-ABC123.js');
    assert.equal(script.status, 200);
    assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(script.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(await script.text(), 'console.log(1)');
    assert.equal((await get('/console/assets/main-ABC123.css')).headers.get('content-type'), 'text/css; charset=utf-8');
  });

  test('an unknown asset, or a name that tries to leave the folder, is a 404', async () => {
    for (const name of ['main-OLD.js', '..%2Findex.html', '..%2F..%2Fadmin-token', 'index.html', 'x.exe']) {
      const response = await get(`/console/assets/${name}`);
      assert.equal(response.status, 404, name);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'console_asset_not_found');
    }
  });

  test('the API behind it still needs the token', async () => {
    assert.equal((await get('/v1/functions')).status, 401);
    assert.equal((await get('/v1/functions', { authorization: 'Bearer s3cret' })).status, 200);
  });

  test('a page of another site cannot load or frame it (the browser guard runs first)', async () => {
    assert.equal((await get('/console', { 'sec-fetch-site': 'cross-site' })).status, 403);
    assert.equal((await get('/console', { origin: 'http://evil.example' })).status, 403);
    assert.equal((await get('/console', { host: 'evil.example:8081' })).status, 421);
    assert.equal((await get('/console', { 'sec-fetch-site': 'same-origin' })).status, 200);
  });

  test('without a build, the page says how to make one', async () => {
    const unbuilt = appServing(join(dir, 'missing'));
    const response = await unbuilt.request('http://127.0.0.1:8081/console');
    assert.equal(response.status, 503);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'console_not_built');
  });
});
