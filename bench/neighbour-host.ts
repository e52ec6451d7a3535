// The noisy-neighbour scenario's in-process host: built by createHost like `wasmlet serve` builds it,
// its HTTP trigger on a loopback port; deploys and async invocations go through the admin app in
// process, with the host's admin token. It counts the pool's worker replacements from the host's log.
import { access, readFile } from 'node:fs/promises';
import { zipSync } from 'fflate';
import { fixtureComponentPath } from './fixture-host.js';

export interface NeighbourHost {
  /** The HTTP trigger, e.g. http://127.0.0.1:40123 (routes are appended). */
  readonly url: string;
  /** Worker replacements so far (`worker replaced: <reason>` log lines), by reason with durations and names dropped. */
  replacements(): Readonly<Record<string, number>>;
  /** Deploys fixture `fixture`'s component under `manifest` (whose `component` must be "component.wasm"); throws with the admin's answer. */
  deploy(manifest: string, fixture: string): Promise<void>;
  /** `count` async invocations of `functionName` through the admin API (`x-wasmlet-invocation-type: Event`); their ids and the answers' statuses. */
  submitAsync(functionName: string, count: number): Promise<{ readonly ids: readonly string[]; readonly statuses: Readonly<Record<string, number>> }>;
  /** How many of `ids` are in each state (queued, retrying, succeeded, failed, expired, or unknown). */
  invocationStates(ids: readonly string[]): Promise<Readonly<Record<string, number>>>;
  close(): Promise<void>;
}

export interface NeighbourHostOptions {
  readonly dataDir: string;
  /** Compute slots of the worker pool. */
  readonly workers: number;
  /** Every host log line (replacements included). */
  readonly log: (line: string) => void;
}

const listenHost = '127.0.0.1';
/** The host's log line for `onWorkerReplaced` (host/start-host.ts). */
const replacedPrefix = 'worker replaced: ';

export async function startNeighbourHost(options: NeighbourHostOptions): Promise<NeighbourHost> {
  // Loaded lazily, as run.ts loads the host: a tree whose host does not load fails this scenario only.
  const { createHost } = await import('../src/host/start-host.js');
  const { listen } = await import('../src/host/listen.js');
  const replaced: Record<string, number> = {};
  const log = (line: string) => {
    if (line.startsWith(replacedPrefix)) {
      const reason = reasonKind(line.slice(replacedPrefix.length));
      replaced[reason] = (replaced[reason] ?? 0) + 1;
      return; // hundreds of them in an attack: counted, not printed
    }
    options.log(line);
  };
  const host = await createHost({ host: listenHost, port: 0, adminPort: 0, dataDir: options.dataDir, workers: options.workers, deployExamples: false, log });
  const trigger = await listen(host.httpTrigger, listenHost, 0).catch(async (err: unknown) => {
    await host.close();
    throw err;
  });
  host.announcePorts(Number(new URL(trigger.url).port));
  const authorization = `Bearer ${host.adminToken}`;
  const admin = (path: string, init: RequestInit) => host.adminApp.request(path, { ...init, headers: { authorization, ...(init.headers as Record<string, string>) } });
  return {
    url: trigger.url,
    replacements: () => ({ ...replaced }),
    async deploy(manifest, fixture) {
      const componentPath = fixtureComponentPath(fixture);
      if (!(await access(componentPath).then(() => true, () => false))) throw new Error(`fixture ${fixture} is not built (toolchains/build-fixtures.sh)`);
      const zip = zipSync({ 'wasmlet.toml': new TextEncoder().encode(manifest), 'component.wasm': new Uint8Array(await readFile(componentPath)) });
      const response = await admin('/v1/functions', { method: 'POST', body: zip, headers: { 'content-type': 'application/zip' } });
      if (response.status !== 201) throw new Error(`deploy of ${fixture} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    },
    async submitAsync(functionName, count) {
      const ids: string[] = [];
      const statuses: Record<string, number> = {};
      for (let i = 0; i < count; i++) {
        const response = await admin(`/v1/functions/${functionName}/invoke`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', 'x-wasmlet-invocation-type': 'Event' } });
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        const body = (await response.json()) as { invocationId?: string };
        if (body.invocationId !== undefined) ids.push(body.invocationId);
      }
      return { ids, statuses };
    },
    async invocationStates(ids) {
      const states: Record<string, number> = {};
      for (const id of ids) {
        const state = (await host.invocations.get(id))?.state ?? 'unknown';
        states[state] = (states[state] ?? 0) + 1;
      }
      return states;
    },
    async close() {
      await trigger.close();
      await host.close();
    },
  };
}

/** "deadline of 500 ms expired in nb-loop" -> "deadline expired"; "worker exited with code 1" -> "worker exited". */
function reasonKind(reason: string): string {
  if (reason.startsWith('deadline')) return 'deadline expired';
  if (reason.startsWith('worker crashed')) return 'worker crashed';
  if (reason.startsWith('worker exited')) return 'worker exited';
  return reason;
}
