// Test support: a real node:http server on 127.0.0.1 (port 0) answering canned admin API responses,
// recording every request. Lets the client and the CLI be tested over real HTTP before a host exists.
// The sample* functions give plausible bodies of each endpoint (functions, invocations, queues).
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FunctionInfo, InvocationRecord, PeekedMessage, QueueStatsBody } from '../../src/client/api-types.js';

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
    config: {},
    handlers: ['http'],
    queues: [],
    schedules: [],
    instanceReuse: 1,
    previousVersion: 1,
    triggers: { queue: [], schedule: [], objectEvent: [] },
    grants: { outboundHosts: [], publish: [], keyValueStores: [], buckets: [] },
    ...overrides,
  };
}

/** A plausible async invocation record (`GET /v1/invocations/{id}`). */
export function sampleInvocation(overrides: Partial<InvocationRecord> = {}): InvocationRecord {
  return {
    id: '01JDQ7A4Z3K8M2N5P6R7S8T9V0',
    function: 'hello-rust',
    state: 'succeeded',
    attempts: 1,
    createdAt: '2026-11-27T19:23:37.123Z',
    updatedAt: '2026-11-27T19:23:38.373Z',
    lastError: null,
    status: 200,
    ...overrides,
  };
}

/** A plausible `GET /v1/queues/{queue}` body. */
export function sampleQueueStats(overrides: Partial<QueueStatsBody> = {}): QueueStatsBody {
  return { queue: 'jobs', visible: 3, inFlight: 1, delayed: 0, oldestAgeMs: 95_000, consumer: 'jobs-worker', ...overrides };
}

/** A message as `GET /v1/queues/{queue}/messages` lists it; `body` sets text and base64 together. */
export function sampleMessage(overrides: Partial<PeekedMessage> & { body?: Uint8Array | string } = {}): PeekedMessage {
  const { body = 'hello', ...rest } = overrides;
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  let text: string | null;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = null;
  }
  return {
    id: 'msg-1',
    state: 'visible',
    attempt: 0,
    enqueuedAt: '2026-11-27T19:23:37.123Z',
    visibleAt: '2026-11-27T19:23:37.123Z',
    lastError: null,
    attributes: { 'content-type': 'text/plain' },
    text,
    base64: Buffer.from(bytes).toString('base64'),
    ...rest,
  };
}
