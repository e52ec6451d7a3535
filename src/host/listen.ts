// Starts an HTTP server and resolves once it listens (port 0 picks a free port). The admin API is
// a hono app; the HTTP trigger is a plain node:http listener (triggers/http/http-trigger.ts).
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  readonly url: string;
  close(): Promise<void>;
}

export function listenApp(app: Hono, host: string, port: number): Promise<Listening> {
  return listen(getRequestListener(app.fetch), host, port);
}

/** `checkContinue`: the listener also answers `Expect: 100-continue` requests itself (it sends 100 only when it reads the body). */
export function listen(listener: RequestListener, host: string, port: number, options: { checkContinue?: boolean } = {}): Promise<Listening> {
  const server = createServer(listener);
  if (options.checkContinue) server.on('checkContinue', listener);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const info = server.address() as AddressInfo;
      const shownHost = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${shownHost}:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
