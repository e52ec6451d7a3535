// Scenario "nats-deploy": how long a change made on one host takes to be served by every host, with
// the registry and bundles on NATS JetStream (a 3-node cluster, R3, sync_interval: always) and two
// real `wasmlet serve --nats` processes, A and B. The baseline, in the same run: one host on its data
// directory (no NATS), where served-everywhere is served-here.
//
// The function is the read-env fixture (it answers with its environment); each version carries its
// number in `[env] VERSION`, so an answer says which version served it. A change starts when the
// admin request is sent and is served everywhere when both hosts answer with the new version (each
// host polled in a tight loop over loopback). Measured:
//   - a new version of a deployed function whose component both hosts have compiled (deploy on A);
//   - a rollback made on B, served by A;
//   - a new component (the same code with a custom section, so its digest is new): A transpiles and
//     compiles it before activation, B when its watch brings the change (each host its own cache);
//   - a delete made on A, until B answers 404.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { adminRequest, startServe, type ServingHost } from '../../test/support/cli-process.js';
import { natsServerBinary, startNatsCluster } from '../../test/support/nats-server.js';
import { repoRoot } from '../examples.js';
import { NatsServerMissing } from './nats-queues.js';

export interface NatsDeployBenchOptions {
  /** New versions (known component) deployed one after another; as many rollbacks follow. */
  readonly versions: number;
  /** New components deployed one after another (each transpiled and compiled on both hosts). */
  readonly components: number;
  /** How long one change may take to be served everywhere before the run fails. */
  readonly boundMs: number;
}

export interface NatsDeployRow {
  readonly setup: string;
  readonly change: string;
  readonly samples: number;
  /** The admin request's own answer (the change stored and active on the host that made it). */
  readonly ackP50Ms: number;
  /** Until every host answers with the change. */
  readonly everywhereP50Ms: number;
  readonly everywhereP90Ms: number;
  readonly everywhereMaxMs: number;
}

export interface NatsDeployBenchResult {
  readonly natsServer: string;
  readonly rows: readonly NatsDeployRow[];
}

const fixture = join(repoRoot, 'test', 'fixtures', 'read-env', 'read-env.wasm');
const route = '/bench/deploy';

function manifest(version: number): string {
  return `name = "bench-deploy"\ncomponent = "component.wasm"\n\n[[http]]\nroute = "${route}"\n\n[env]\nVERSION = "${version}"\n`;
}

function bundle(version: number, component: Uint8Array): Uint8Array {
  return zipSync({ 'wasmlet.toml': new TextEncoder().encode(manifest(version)), 'component.wasm': component });
}

/** The component with a custom section appended: valid, the same code, another digest. */
function withCustomSection(component: Uint8Array, tag: string): Uint8Array {
  const name = new TextEncoder().encode('wasmlet-bench');
  const payload = new TextEncoder().encode(tag);
  const body = [...leb128(name.length), ...name, ...payload];
  return new Uint8Array([...component, 0, ...leb128(body.length), ...body]);
}

function leb128(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Which version a host serves: the number in its VERSION line, 0 for a 404, undefined for anything else. */
async function servedVersion(host: ServingHost): Promise<number | undefined> {
  const response = await fetch(`${host.urls.http}${route}`);
  const text = await response.text();
  if (response.status === 404) return 0;
  const match = /VERSION=(\d+)/.exec(text);
  return response.status === 200 && match ? Number(match[1]) : undefined;
}

/** Polls `host` until it serves `version`; the time that happened, bounded. */
async function servedAt(host: ServingHost, version: number, boundMs: number): Promise<number> {
  const deadline = performance.now() + boundMs;
  for (;;) {
    if ((await servedVersion(host).catch(() => undefined)) === version) return performance.now();
    if (performance.now() > deadline) throw new Error(`${host.urls.http} did not serve version ${version} within ${boundMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1)); // ~1 ms resolution, without a busy loop on two cores
  }
}

interface Sample {
  readonly ackMs: number;
  readonly everywhereMs: number;
}

/** Makes one change through `on` and waits until every host serves `expected` (0: answers 404). */
async function timeChange(on: ServingHost, hosts: readonly ServingHost[], request: { path: string; method: string; body?: Uint8Array }, okStatus: readonly number[], expected: number, boundMs: number): Promise<Sample> {
  const started = performance.now();
  const serving = hosts.map((host) => servedAt(host, expected, boundMs));
  const answer = await adminRequest(on, request.path, { method: request.method, ...(request.body ? { body: request.body } : {}) });
  const ackMs = performance.now() - started;
  if (!okStatus.includes(answer.status)) throw new Error(`${request.method} ${request.path} answered ${answer.status}: ${answer.text}`);
  const everywhere = Math.max(...(await Promise.all(serving)));
  return { ackMs, everywhereMs: everywhere - started };
}

function rowOf(setup: string, change: string, samples: readonly Sample[]): NatsDeployRow {
  const everywhere = samples.map((s) => s.everywhereMs);
  return {
    setup,
    change,
    samples: samples.length,
    ackP50Ms: percentile(samples.map((s) => s.ackMs), 0.5),
    everywhereP50Ms: percentile(everywhere, 0.5),
    everywhereP90Ms: percentile(everywhere, 0.9),
    everywhereMaxMs: Math.max(...everywhere),
  };
}

/** The changes measured on `hosts` (A makes deploys and deletes, the last host rollbacks). */
async function measureOn(setup: string, hosts: readonly ServingHost[], options: NatsDeployBenchOptions, progress: (line: string) => void): Promise<NatsDeployRow[]> {
  const a = hosts[0]!;
  const b = hosts.at(-1)!;
  const component = new Uint8Array(await readFile(fixture));
  const deploy = (version: number, bytes: Uint8Array) => ({ path: '/v1/functions', method: 'POST', body: bundle(version, bytes) });
  // Warm-up: the component transpiled and compiled on every host.
  await timeChange(a, hosts, deploy(1, component), [201], 1, options.boundMs);
  let version = 1;
  const versions: Sample[] = [];
  for (let i = 0; i < options.versions; i++) {
    version += 1;
    versions.push(await timeChange(a, hosts, deploy(version, component), [201], version, options.boundMs));
  }
  progress(`nats-deploy: ${setup}: ${options.versions} new versions`);
  const rollbacks: Sample[] = [];
  for (let i = 0; i < Math.min(options.versions, 9); i++) {
    rollbacks.push(await timeChange(b, hosts, { path: '/v1/functions/bench-deploy/rollback', method: 'POST' }, [200], version - 1, options.boundMs));
    version -= 1;
  }
  progress(`nats-deploy: ${setup}: ${rollbacks.length} rollbacks`);
  const components: Sample[] = [];
  for (let i = 0; i < options.components; i++) {
    version += 100;
    components.push(await timeChange(a, hosts, deploy(version, withCustomSection(component, `${setup} ${i} ${Date.now()}`)), [201], version, options.boundMs));
  }
  progress(`nats-deploy: ${setup}: ${options.components} new components`);
  const deleted = await timeChange(a, hosts, { path: '/v1/functions/bench-deploy', method: 'DELETE' }, [200, 204], 0, options.boundMs);
  return [
    rowOf(setup, 'new version (component compiled)', versions),
    rowOf(setup, `rollback (made on ${hosts.length > 1 ? 'B' : 'the host'})`, rollbacks),
    rowOf(setup, 'new component (transpile + compile)', components),
    rowOf(setup, 'delete (until 404)', [deleted]),
  ];
}

export async function measureNatsDeploy(options: NatsDeployBenchOptions, progress: (line: string) => void = () => {}): Promise<NatsDeployBenchResult> {
  let natsServer: string;
  try {
    natsServer = natsServerBinary();
  } catch (err) {
    throw new NatsServerMissing((err as Error).message);
  }
  const rows: NatsDeployRow[] = [];
  const dirs: string[] = [];
  const tempDir = async (label: string) => {
    const dir = await mkdtemp(join(tmpdir(), `wasmlet-bench-deploy-${label}-`));
    dirs.push(dir);
    return dir;
  };
  const running: ServingHost[] = [];
  try {
    progress('nats-deploy: one host on its data directory (baseline)');
    const alone = await startServe(['--data-dir', await tempDir('alone'), '--workers', '2']);
    running.push(alone);
    rows.push(...(await measureOn('one host, data directory', [alone], options, progress)));
    await alone.stop();
    running.length = 0;

    progress('nats-deploy: two hosts on a 3-node NATS cluster (R3, sync_interval: always)');
    const nats = await startNatsCluster();
    try {
      const natsArgs = ['--nats', nats.servers, '--nats-replicas', '3', '--workers', '2'];
      const a = await startServe(['--data-dir', await tempDir('a'), ...natsArgs]);
      running.push(a);
      const b = await startServe(['--data-dir', await tempDir('b'), ...natsArgs]);
      running.push(b);
      rows.push(...(await measureOn('2 hosts, JetStream R3', [a, b], options, progress)));
      await Promise.all(running.map((host) => host.stop()));
      running.length = 0;
    } finally {
      await Promise.all(running.map((host) => host.stop()));
      await nats.stop();
    }
  } finally {
    await Promise.all(running.map((host) => host.stop()));
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  }
  return { natsServer, rows };
}

export function renderNatsDeploy(result: NatsDeployBenchResult): string[] {
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  return [
    `nats-deploy. a change made on one host until every host serves it: 2 \`wasmlet serve --nats\` processes on a 3-node cluster (${result.natsServer}, R3, sync_interval: always), against one host on its data directory`,
    '| setup | change | samples | admin answer p50 | served everywhere p50 | p90 | max |',
    '|---|---|---|---|---|---|---|',
    ...result.rows.map((r) => `| ${r.setup} | ${r.change} | ${r.samples} | ${ms(r.ackP50Ms)} | ${ms(r.everywhereP50Ms)} | ${ms(r.everywhereP90Ms)} | ${ms(r.everywhereMaxMs)} |`),
  ];
}
