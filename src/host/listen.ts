// Starts an HTTP server and resolves once it listens (port 0 picks a free port), with the limits
// (server-limits.ts) that keep slow and greedy clients from holding connections. The admin API is
// a hono app; the HTTP trigger is a plain node:http listener (triggers/http/http-trigger.ts).
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import { createServer, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { defaultServerLimits, maxTimeoutCheckIntervalMs, type ServerLimits } from './server-limits.js';

export interface Listening {
  readonly url: string;
  close(): Promise<void>;
}

/** A request listener, or one with the server events it also needs (the HTTP trigger). */
export type ServerHandlers =
  | RequestListener
  | {
      readonly request: RequestListener;
      readonly connection?: (socket: Socket) => void;
      readonly clientError?: (err: Error, socket: Duplex) => void;
    };

export interface ListenOptions {
  /** The listener also answers `Expect: 100-continue` requests itself (it sends 100 only when it reads the body). */
  readonly checkContinue?: boolean;
  /** Over `defaultServerLimits`. */
  readonly limits?: Partial<ServerLimits> | undefined;
}

export function listenApp(app: Hono, host: string, port: number, options: ListenOptions = {}): Promise<Listening> {
  return listen(getRequestListener(app.fetch), host, port, options);
}

export function listen(handlers: ServerHandlers, host: string, port: number, options: ListenOptions = {}): Promise<Listening> {
  const { request, connection, clientError } = typeof handlers === 'function' ? { request: handlers, connection: undefined, clientError: undefined } : handlers;
  const limits = { ...defaultServerLimits, ...options.limits };
  const server = createServer(
    {
      headersTimeout: limits.headerTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // Node checks both timeouts on this tick: a quarter of the shorter one (the header timeout) closes a slow client within 25 % of its limit.
      connectionsCheckingInterval: Math.max(1, Math.min(maxTimeoutCheckIntervalMs, Math.floor(limits.headerTimeoutMs / 4))),
    },
    request,
  );
  server.maxConnections = limits.maxConnections;
  server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
  // Node 20 writes "Connection: close" on the last answer the bound allows, yet keeps the socket
  // open for more (answered 503): close it, as the header says. First, before any answer is written.
  server.prependListener('request', (_req, res: ServerResponse & { readonly maxRequestsOnConnectionReached?: boolean }) => {
    if (res.maxRequestsOnConnectionReached) res.shouldKeepAlive = false;
  });
  if (options.checkContinue) server.on('checkContinue', request);
  if (connection) server.on('connection', connection);
  if (clientError) server.on('clientError', clientError);
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
