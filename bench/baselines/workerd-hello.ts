// Baseline server: the same greeting from Cloudflare's workerd (a V8 isolate per worker, its own
// HTTP stack), as the `workerd` npm package ships it. Found from the repository's node_modules; when
// it is not installed the scenario reports "not run" instead of failing the bench.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../examples.js';
import { freePort, startChildServer, type ChildServer } from './child-server.js';

/** workerd parses its config and starts its isolate in well under a second; 15 s means it is stuck. */
const readyTimeoutMs = 15_000;
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

export interface WorkerdServer extends ChildServer {
  readonly version: string;
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
  const url = `http://${host}:${port}/hello?name=bench`;
  const server = await startChildServer({
    name: 'workerd',
    binary,
    args: ['serve', join(dir, 'config.capnp')],
    url,
    readyTimeoutMs,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  });
  return { ...server, version };
}
