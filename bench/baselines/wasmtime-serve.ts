// Peer server: Bytecode Alliance's `wasmtime serve` running the same wasi:http component wasmlet
// serves (examples/hello-c-http), a fresh instance per request with copy-on-write heap images and a
// pooling allocator: the per-request floor wasmlet is measured against (issue 13). Optional: built
// by `npm run anchors` (toolchains/wasmtime/install.sh) into toolchains/.cache; when it is not
// there the scenario reports "not run" instead of failing the bench.
import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../examples.js';
import { freePort, startChildServer, type ChildServer } from './child-server.js';

/** wasmtime compiles the component (Cranelift) before it listens: a few seconds on a busy machine. */
const readyTimeoutMs = 60_000;
export const wasmtimeBinary = join(repoRoot, 'toolchains', '.cache', 'wasmtime', 'bin', 'wasmtime');
/** The component both servers run. */
export const wasiHttpHello = { example: 'hello-c-http', component: join(repoRoot, 'examples', 'hello-c-http', 'hello-c-http.wasm') };

export class WasmtimeMissing extends Error {}

export interface WasmtimeServer extends ChildServer {
  readonly version: string;
}

export async function startWasmtimeServe(host: string, path: string): Promise<WasmtimeServer> {
  if (!(await access(wasmtimeBinary).then(() => true, () => false))) {
    throw new WasmtimeMissing('wasmtime not installed (optional: npm run anchors builds it, ~30 minutes)');
  }
  const { stdout } = await promisify(execFile)(wasmtimeBinary, ['--version']);
  const port = await freePort(host);
  const server = await startChildServer({
    name: 'wasmtime serve',
    binary: wasmtimeBinary,
    // -Scli: the component imports wasi:cli (environment, exit) besides the proxy world's interfaces.
    args: ['serve', '-Scli', '--addr', `${host}:${port}`, wasiHttpHello.component],
    url: `http://${host}:${port}${path}`,
    readyTimeoutMs,
  });
  return { ...server, version: stdout.trim() };
}
