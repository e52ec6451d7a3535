// An in-process host on a temporary data directory. The admin API is driven through hono's
// `app.request()`; the HTTP trigger listens on a loopback port and is called over real HTTP.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost, type Host } from '../../src/host/start-host.js';
import { listen } from '../../src/host/listen.js';
import type { HostOptions } from '../../src/host/host-options.js';

export interface TestHost {
  readonly host: Host;
  readonly dataDir: string;
  /** POSTs a bundle to the admin API. */
  deploy(zip: Uint8Array): Promise<Response>;
  /** A request to the HTTP trigger, e.g. get('/hello/c?name=ada'). */
  get(path: string, init?: RequestInit): Promise<Response>;
  /** A request to the admin API with the host's token (given or generated). */
  admin(path: string, init?: RequestInit): Promise<Response>;
  /** Closes the host; keeps the data directory unless `removeData`. */
  close(removeData?: boolean): Promise<void>;
}

export async function startTestHost(overrides: Partial<HostOptions> = {}, dataDir?: string): Promise<TestHost> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'wasmlet-test-')));
  const host = await createHost({
    host: '127.0.0.1',
    port: 0,
    adminPort: 0,
    dataDir: dir,
    workers: 2,
    deployExamples: false,
    log: () => undefined,
    ...overrides,
  });
  const trigger = await listen(host.httpTrigger, '127.0.0.1', 0);
  host.announcePorts(Number(new URL(trigger.url).port));
  // The host's token: the one given, or the one it generated into the data dir (the admin API never runs open).
  const headers: Record<string, string> = { authorization: `Bearer ${host.adminToken}` };
  return {
    host,
    dataDir: dir,
    deploy: async (zip) =>
      host.adminApp.request('/v1/functions', {
        method: 'POST',
        body: zip as Uint8Array<ArrayBuffer>,
        headers: { 'content-type': 'application/zip', ...headers },
      }),
    get: async (path, init) => fetch(`${trigger.url}${path}`, init),
    admin: async (path, init) => host.adminApp.request(path, { ...init, headers: { ...headers, ...(init?.headers as Record<string, string>) } }),
    async close(removeData = true) {
      await trigger.close();
      await host.close();
      if (removeData) await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function errorCodeOf(response: Response): Promise<string | undefined> {
  const body = (await response.json()) as { code?: string; error?: { code?: string } };
  return body.error?.code ?? body.code;
}
