// An in-process host for the scenarios that run test fixtures (test/fixtures/<name>/<name>.wasm,
// committed, rebuilt by toolchains/build-fixtures.sh) rather than examples: built by createHost like
// `wasmlet serve` builds it, its HTTP trigger on a loopback port, deploys through the admin app in process.
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { repoRoot } from './examples.js';

export interface FixtureHost {
  /** The HTTP trigger, e.g. http://127.0.0.1:40123 (routes are appended). */
  readonly url: string;
  /** Deploys fixture `fixture`'s component under `manifest` (whose `component` must be "component.wasm") and waits for its fold; throws with the admin's answer. */
  deploy(manifest: string, fixture: string): Promise<void>;
  close(): Promise<void>;
}

export interface FixtureHostOptions {
  readonly dataDir: string;
  /** Compute slots of the worker pool (threads grow beyond them for waiting guests). */
  readonly workers: number;
  readonly log: (line: string) => void;
}

const listenHost = '127.0.0.1';

export function fixtureComponentPath(fixture: string): string {
  return join(repoRoot, 'test', 'fixtures', fixture, `${fixture}.wasm`);
}

export async function startFixtureHost(options: FixtureHostOptions): Promise<FixtureHost> {
  // Loaded lazily, as run.ts loads the host: a tree whose host does not load fails this scenario only.
  const { createHost } = await import('../src/host/start-host.js');
  const { listen } = await import('../src/host/listen.js');
  const host = await createHost({ host: listenHost, port: 0, adminPort: 0, dataDir: options.dataDir, workers: options.workers, deployExamples: false, log: options.log });
  const trigger = await listen(host.httpTrigger, listenHost, 0).catch(async (err: unknown) => {
    await host.close();
    throw err;
  });
  // Outbound HTTP never reaches the host's own ports through a wildcard-port grant.
  host.announcePorts(Number(new URL(trigger.url).port));
  return {
    url: trigger.url,
    async deploy(manifest, fixture) {
      const componentPath = fixtureComponentPath(fixture);
      if (!(await access(componentPath).then(() => true, () => false))) throw new Error(`fixture ${fixture} is not built (toolchains/build-fixtures.sh)`);
      const zip = zipSync({ 'wasmlet.toml': new TextEncoder().encode(manifest), 'component.wasm': new Uint8Array(await readFile(componentPath)) });
      const response = await host.adminApp.request('/v1/functions', { method: 'POST', body: zip, headers: { 'content-type': 'application/zip', authorization: `Bearer ${host.adminToken}` } });
      if (response.status !== 201) throw new Error(`deploy of ${fixture} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
      // The scenarios measure the host's steady state: the fixture's fold, run in the background after a deploy, is done.
      await host.foldsSettled();
    },
    async close() {
      await trigger.close();
      await host.close();
    },
  };
}
