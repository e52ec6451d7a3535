// Baseline server: the greeting from hono on @hono/node-server, through the host's own listen(),
// i.e. the admin API's HTTP stack (function routes use plain node:http: triggers/http/http-trigger.ts).
import { Hono } from 'hono';
import { listenApp } from '../../src/host/listen.js';
import type { BaselineServer } from './baseline-server.js';

export async function startHonoHello(host: string): Promise<BaselineServer> {
  const app = new Hono();
  app.get('/hello', (c) => c.text(`Hello, ${c.req.query('name') ?? 'world'}, from hono!\n`));
  const listening = await listenApp(app, host, 0);
  return { url: `${listening.url}/hello?name=bench`, close: () => listening.close() };
}
