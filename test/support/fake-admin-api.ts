// Test support: a real node:http server on 127.0.0.1 (port 0) answering canned admin API responses,
// recording every request. Lets the client and the CLI be tested over real HTTP before a host exists.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FunctionInfo } from '../../src/client/api-types.js';

export interface CannedResponse {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  /** A Uint8Array or string is sent as is; anything else as JSON. */
  readonly body?: unknown;
  /** Never answer (to test timeouts). */
  readonly hang?: boolean;
}

export interface RecordedRequest {
  readonly method: string;
  /** Path and query, e.g. "/v1/functions/hello/logs?limit=5". */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Uint8Array;
}

/** Keyed by "METHOD /path?query"; anything else gets the API's 404. */
export type CannedRoutes = Record<string, CannedResponse | ((request: RecordedRequest) => CannedResponse)>;

export interface FakeAdminApi {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeAdminApi(routes: CannedRoutes): Promise<FakeAdminApi> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: new Uint8Array(Buffer.concat(chunks)) };
      requests.push(recorded);
      const route = routes[`${recorded.method} ${recorded.url}`];
      const canned = typeof route === 'function' ? route(recorded) : (route ?? notFound(recorded));
      if (canned.hang) return;
      const raw = canned.body instanceof Uint8Array || typeof canned.body === 'string';
      const body = raw ? (canned.body as Uint8Array | string) : JSON.stringify(canned.body ?? {});
      res.writeHead(canned.status ?? 200, { ...(raw ? {} : { 'content-type': 'application/json' }), ...canned.headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function notFound(request: RecordedRequest): CannedResponse {
  return { status: 404, body: { error: { code: 'bad_request', message: `no admin endpoint ${request.method} ${request.url}` } } };
}

/** A plausible FunctionInfo, as the host returns it. */
export function sampleFunction(overrides: Partial<FunctionInfo> = {}): FunctionInfo {
  return {
    name: 'hello-rust',
    version: 2,
    digest: `sha256:1a2b3c4d${'e'.repeat(56)}`,
    componentDigest: `sha256:${'9'.repeat(64)}`,
    deployedAt: '2026-11-27T19:23:37.123Z',
    routes: [{ route: '/hello/rust', methods: ['GET', 'POST'] }],
    limits: { timeoutMs: 5000, memoryMb: 64, maxBodyBytes: 1048576 },
    previousVersion: 1,
    ...overrides,
  };
}
