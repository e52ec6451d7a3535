import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hono } from 'hono';
import { toWasmletError } from '../errors/wasmlet-error.js';
import { browserGuard } from './browser-guard.js';

function appFor(listenHost: string): Hono {
  const app = new Hono();
  app.onError((err, c) => {
    const error = toWasmletError(err);
    return c.json(error.toBody(), error.status as 400);
  });
  app.use('*', browserGuard(listenHost));
  app.all('*', (c) => c.text('reached'));
  return app;
}

async function outcome(app: Hono, headers: Record<string, string>, url = 'http://127.0.0.1:8081/v1/functions'): Promise<string> {
  const response = await app.request(url, { method: 'POST', headers });
  if (response.status === 200) return 'reached';
  return `${response.status} ${((await response.json()) as { error: { code: string } }).error.code}`;
}

test('Host: the listen address and loopback names pass, any other name is 421 (DNS rebinding)', async () => {
  const app = appFor('127.0.0.1');
  for (const host of ['127.0.0.1:8081', '127.0.0.1', 'localhost:8081', 'LOCALHOST:8081', '[::1]:8081', '127.1.2.3:8081', 'foo.localhost:8081']) {
    assert.equal(await outcome(app, { host }), 'reached', host);
  }
  for (const host of ['evil.example:8081', 'evil.example', '127.0.0.1.nip.io:8081', 'localhost.evil.example:8081', '10.0.0.1:8081', '']) {
    assert.equal(await outcome(app, { host }), '421 host_not_allowed', JSON.stringify(host));
  }
});

test('in-process requests without a Host header are judged by the URL; an absolute-form target by both', async () => {
  const app = appFor('127.0.0.1');
  assert.equal(await outcome(app, {}, 'http://localhost/v1/functions'), 'reached');
  assert.equal(await outcome(app, {}, 'http://evil.example/v1/functions'), '421 host_not_allowed');
  assert.equal(await outcome(app, { host: '127.0.0.1:8081' }, 'http://evil.example:8081/v1/functions'), '421 host_not_allowed');
});

test('on a wildcard address, IP literals and the machine pass; other names still do not', async () => {
  const app = appFor('0.0.0.0');
  assert.equal(await outcome(app, { host: '192.0.2.7:8081' }, 'http://192.0.2.7:8081/v1/functions'), 'reached');
  assert.equal(await outcome(app, { host: 'evil.example:8081' }), '421 host_not_allowed');
});

test('Origin: only the API\'s own origin passes; another port, another host or "null" is 403', async () => {
  const app = appFor('127.0.0.1');
  const host = '127.0.0.1:8081';
  assert.equal(await outcome(app, { host, origin: 'http://127.0.0.1:8081' }), 'reached');
  assert.equal(await outcome(app, { host: 'localhost:8081', origin: 'http://localhost:8081' }, 'http://localhost:8081/v1/functions'), 'reached');
  for (const origin of ['http://127.0.0.1:9999', 'http://localhost:8081', 'https://127.0.0.1:8081', 'http://evil.example', 'null', '']) {
    assert.equal(await outcome(app, { host, origin }), '403 origin_not_allowed', JSON.stringify(origin));
  }
});

test('Sec-Fetch-Site: same-origin and none (the user typed it) pass, same-site and cross-site are 403', async () => {
  const app = appFor('127.0.0.1');
  const host = '127.0.0.1:8081';
  assert.equal(await outcome(app, { host, 'sec-fetch-site': 'same-origin' }), 'reached');
  assert.equal(await outcome(app, { host, 'sec-fetch-site': 'none' }), 'reached');
  assert.equal(await outcome(app, { host, 'sec-fetch-site': 'same-site' }), '403 origin_not_allowed');
  assert.equal(await outcome(app, { host, 'sec-fetch-site': 'cross-site' }), '403 origin_not_allowed');
});

test('CLI and SDK requests (no Origin, no Sec-Fetch-*) pass', async () => {
  assert.equal(await outcome(appFor('127.0.0.1'), { host: '127.0.0.1:8081', 'content-type': 'application/zip', authorization: 'Bearer x' }), 'reached');
});
