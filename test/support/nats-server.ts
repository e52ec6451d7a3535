// Real nats-server processes for tests: one node or a 3-node JetStream cluster on loopback, each
// with its own temporary store and `sync_interval: always` (Jepsen's 2025 analysis lost
// acknowledged writes with the default 2-minute sync). Tests start the servers they need, so CI
// needs only the binary (toolchains/nats/install.sh builds it).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { repoRoot } from './paths.js';

/** The binary toolchains/nats/install.sh built (its last line of output), or an error saying how to get it. */
export function natsServerBinary(): string {
  try {
    const out = execFileSync('bash', [join(repoRoot, 'toolchains/nats/install.sh'), '--check'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return out.trim().split('\n').at(-1)!;
  } catch (err) {
    throw new Error(`nats-server is not installed: run toolchains/nats/install.sh (${(err as { stderr?: string }).stderr?.trim() ?? (err as Error).message})`);
  }
}

/** A free loopback port (there is a small window before the server binds it; good enough on a test machine). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface NatsNode {
  readonly name: string;
  readonly url: string;
  readonly storeDir: string;
  /** Running now. */
  readonly running: boolean;
  /** SIGKILL: no shutdown, whatever was not synced is gone (with sync_interval: always, nothing acknowledged). */
  kill(): Promise<void>;
  /** Starts the node again on the same ports and store. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface NatsCluster {
  readonly nodes: readonly NatsNode[];
  /** Every client URL, comma-separated: what `wasmlet serve --nats` takes. */
  readonly servers: string;
  /** Stops every node and removes the stores. */
  stop(): Promise<void>;
}

/** One JetStream node (R1). */
export async function startNatsServer(): Promise<NatsCluster> {
  return startNats(1);
}

/** Three JetStream nodes routed to each other (R3 streams tolerate one node down). */
export async function startNatsCluster(): Promise<NatsCluster> {
  return startNats(3);
}

async function startNats(size: number): Promise<NatsCluster> {
  const binary = natsServerBinary();
  const root = mkdtempSync(join(tmpdir(), 'wasmlet-nats-'));
  const clientPorts: number[] = [];
  const clusterPorts: number[] = [];
  for (let i = 0; i < size; i++) {
    clientPorts.push(await freePort());
    clusterPorts.push(await freePort());
  }
  const nodes = clientPorts.map((port, i) => {
    const name = `n${i + 1}`;
    const storeDir = join(root, name);
    const routes = clusterPorts.filter((_, j) => j !== i).map((p) => `nats-route://127.0.0.1:${p}`);
    const config = [
      `server_name: ${name}`,
      `listen: 127.0.0.1:${port}`,
      `jetstream { store_dir: ${JSON.stringify(storeDir)}, sync_interval: always }`,
      ...(size > 1 ? [`cluster { name: wasmlet-test, listen: 127.0.0.1:${clusterPorts[i]}, routes: [${routes.join(', ')}] }`] : []),
    ].join('\n');
    const configPath = join(root, `${name}.conf`);
    writeFileSync(configPath, `${config}\n`);
    return new ServerProcess(binary, name, configPath, `nats://127.0.0.1:${port}`, storeDir, join(root, `${name}.log`));
  });
  try {
    await Promise.all(nodes.map((node) => node.restart()));
    await waitForJetStream(nodes.map((n) => n.url).join(','), size);
  } catch (err) {
    await Promise.all(nodes.map((node) => node.stop()));
    throw err;
  }
  return {
    nodes,
    servers: nodes.map((n) => n.url).join(','),
    async stop() {
      await Promise.all(nodes.map((node) => node.stop()));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

class ServerProcess implements NatsNode {
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #log = '';

  constructor(
    readonly binary: string,
    readonly name: string,
    readonly configPath: string,
    readonly url: string,
    readonly storeDir: string,
    readonly logPath: string,
  ) {}

  get running(): boolean {
    return this.#child !== undefined;
  }

  async restart(): Promise<void> {
    if (this.#child) return;
    const child = spawn(this.binary, ['-c', this.configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('exit', () => {
      if (this.#child === child) this.#child = undefined;
      resolve();
    }));
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        this.#log += chunk.toString();
        if (this.#log.includes('Server is ready')) resolve();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`nats-server ${this.name} exited (${code}) before it was ready:\n${this.#log.slice(-2000)}`)));
    });
  }

  async kill(): Promise<void> {
    this.#child?.kill('SIGKILL');
    await this.#exited;
  }

  async stop(): Promise<void> {
    this.#child?.kill('SIGTERM');
    await this.#exited;
  }
}

/** Ready once the cluster has a JetStream meta leader: account info answers. */
async function waitForJetStream(servers: string, size: number): Promise<void> {
  const nc: NatsConnection = await connect({ servers: servers.split(','), maxReconnectAttempts: -1 });
  try {
    const jsm = await jetstreamManager(nc, { timeout: 2_000, checkAPI: false });
    for (let attempt = 0; ; attempt++) {
      try {
        await jsm.getAccountInfo();
        if (size === 1) return;
        // A stream of `size` replicas can be placed: every peer has joined.
        const probe = `wasmlet_probe_${attempt}`;
        await jsm.streams.add({ name: probe, subjects: [`probe.${attempt}`], num_replicas: size });
        await jsm.streams.delete(probe);
        return;
      } catch (err) {
        if (attempt >= 300) throw new Error(`nats JetStream did not become ready: ${(err as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    await nc.close();
  }
}
