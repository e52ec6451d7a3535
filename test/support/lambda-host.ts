// A host whose admin API (and so Lambda's API) listens on a free loopback port, for tests that drive
// the real Lambda clients (@aws-sdk/client-lambda, the AWS CLI).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { createHost, type Host } from '../../src/host/start-host.js';
import type { HostOptions } from '../../src/host/host-options.js';
import { listen, listenApp } from '../../src/host/listen.js';
import { uploadLimits } from '../../src/host/server-limits.js';

export interface LambdaTestHost {
  readonly host: Host;
  readonly dataDir: string;
  /** The admin port: http://127.0.0.1:<port> (Lambda's endpoint). */
  readonly url: string;
  /** The HTTP trigger's port. */
  readonly httpUrl: string;
  readonly token: string;
  /** A client signing with the host's token (one attempt per call: a test sees every answer). */
  client(overrides?: { secretAccessKey?: string; accessKeyId?: string; region?: string; systemClockOffset?: number }): LambdaClient;
  close(): Promise<void>;
}

/** A deterministic [0, 1) source (mulberry32): alias splits that a test can count on without flaking. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startLambdaHost(token: string, overrides: Partial<HostOptions> = {}): Promise<LambdaTestHost> {
  const dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-lambda-'));
  const host = await createHost({ host: '127.0.0.1', port: 0, adminPort: 0, dataDir, workers: 2, deployExamples: false, log: () => undefined, token, ...overrides });
  const admin = await listenApp(host.adminApp, '127.0.0.1', 0, { limits: uploadLimits(undefined) });
  const http = await listen(host.httpTrigger, '127.0.0.1', 0);
  host.announcePorts(Number(new URL(admin.url).port), Number(new URL(http.url).port));
  const clients: LambdaClient[] = [];
  return {
    host,
    dataDir,
    url: admin.url,
    httpUrl: http.url,
    token,
    client(o = {}) {
      const client = new LambdaClient({
        endpoint: admin.url,
        region: o.region ?? 'us-east-1',
        credentials: { accessKeyId: o.accessKeyId ?? 'wasmlet', secretAccessKey: o.secretAccessKey ?? token },
        maxAttempts: 1,
        ...(o.systemClockOffset !== undefined ? { systemClockOffset: o.systemClockOffset } : {}),
      });
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.destroy();
      await Promise.all([admin.close(), http.close()]);
      await host.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
