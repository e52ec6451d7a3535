// A host with its S3 endpoint listening on a free loopback port, for tests that drive real S3 clients.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost, type Host } from '../../src/host/start-host.js';
import type { HostOptions } from '../../src/host/host-options.js';
import { listen } from '../../src/host/listen.js';

export interface S3TestHost {
  readonly host: Host;
  readonly dataDir: string;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  close(): Promise<void>;
}

export async function startS3Host(overrides: Partial<HostOptions> = {}): Promise<S3TestHost> {
  const dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-s3-'));
  const host = await createHost({ host: '127.0.0.1', port: 0, adminPort: 0, dataDir, workers: 1, deployExamples: false, log: () => undefined, ...overrides });
  const s3 = await listen(host.s3Listener, '127.0.0.1', 0, { checkContinue: true });
  return {
    host,
    dataDir,
    url: s3.url,
    async close() {
      await s3.close();
      await host.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
