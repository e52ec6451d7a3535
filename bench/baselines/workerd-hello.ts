// Baseline server: the same greeting from Cloudflare's workerd (a V8 isolate per worker, its own
// HTTP stack), as the `workerd` npm package ships it. Found from the repository's node_modules; when
// it is not installed the scenario reports "not run" instead of failing the bench.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../examples.js';
import type { BaselineServer } from './baseline-server.js';

/** workerd parses its config and starts its isolate in well under a second; 15 s means it is stuck. */
const readyTimeoutMs = 15_000;
const readyPollMs = 50;
/** Why a missing binary is not a failure: workerd is an optional baseline (a dev dependency). */
export class WorkerdMissing extends Error {}

const workerSource = `export default {
  async fetch(request) {
    const name = new URL(request.url).searchParams.get('name') ?? 'world';
    return new Response(\`Hello, \${name}, from workerd!\\n\`, { headers: { 'content-type': 'text/plain; charset=utf-8' } });
  },
};
`;

/** The package's own entry point exports the path of the platform binary and its compatibility date. */
async function locateWorkerd(): Promise<{ binary: string; compatibilityDate: string; version: string }> {
  const requireFromRepo = createRequire(join(repoRoot, 'package.json'));
  let entry: string;
  try {
    entry = requireFromRepo.resolve('workerd');
  } catch {
    throw new WorkerdMissing('workerd not installed (it is a dev dependency: npm ci installs it)');
  }
  try {
    // CommonJS compiled from ESM: the binary path is `exports.default`.
    const workerd = requireFromRepo(entry) as { default: string; compatibilityDate: string; version: string };
    return { binary: workerd.default, compatibilityDate: workerd.compatibilityDate, version: workerd.version };
  } catch (err) {
    // The platform package (@cloudflare/workerd-<os>-<arch>) is an optional dependency: absent on other platforms.
    throw new WorkerdMissing(`workerd is installed but has no binary for ${process.platform}-${process.arch}: ${(err as Error).message.split('\n')[0]}`);
  }
}

export interface WorkerdServer extends BaselineServer {
  readonly version: string;
  /** workerd's CPU time so far, µs (Linux: /proc/<pid>/stat; NaN elsewhere). */
  cpuMicros(): number;
}

export async function startWorkerdHello(host: string): Promise<WorkerdServer> {
  const { binary, compatibilityDate, version } = await locateWorkerd();
  const dir = await mkdtemp(join(tmpdir(), 'wasmlet-bench-workerd-'));
  const port = await freePort(host);
  await writeFile(join(dir, 'worker.js'), workerSource);
  await writeFile(
    join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .hello)],
  sockets = [(name = "http", address = "${host}:${port}", http = (), service = "main")],
);
const hello :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "${compatibilityDate}",
);
`,
  );
  const child = spawn(binary, ['serve', join(dir, 'config.capnp')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  const url = `http://${host}:${port}/hello?name=bench`;
  const close = async () => {
    await stop(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(url, child, () => stderr);
  } catch (err) {
    await close();
    throw err;
  }
  return { url, version, close, cpuMicros: () => processCpuMicros(child.pid) };
}

/** Asks the OS for a free port, then lets it go for workerd (which takes a port number, not a socket). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilServing(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const started = performance.now();
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`workerd exited (${child.exitCode ?? child.signalCode}): ${stderr().trim()}`);
    const ok = await fetch(url).then(async (response) => (await response.arrayBuffer(), response.ok), () => false);
    if (ok) return;
    if (performance.now() - started > readyTimeoutMs) throw new Error(`workerd did not answer ${url} within ${readyTimeoutMs} ms: ${stderr().trim()}`);
    await new Promise((resolve) => setTimeout(resolve, readyPollMs));
  }
}

/** Clock ticks per second of /proc's utime and stime: USER_HZ, 100 on every Linux ABI node runs on. */
const userHz = 100;

function processCpuMicros(pid: number | undefined): number {
  if (pid === undefined || process.platform !== 'linux') return NaN;
  try {
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15 of the line.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / userHz) * 1e6;
  } catch {
    return NaN;
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
