// A baseline server in a process of its own (workerd, wasmtime serve): started on a free port,
// polled until it answers, its CPU time read from /proc so the bench counts it as the server's.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import type { BaselineServer } from './baseline-server.js';

const readyPollMs = 50;

export interface ChildServer extends BaselineServer {
  /** The process's CPU time so far, µs (Linux: /proc/<pid>/stat; NaN elsewhere). */
  cpuMicros(): number;
}

export interface ChildServerSpec {
  /** For messages: "workerd", "wasmtime serve". */
  readonly name: string;
  readonly binary: string;
  readonly args: readonly string[];
  /** The URL that answers 2xx once the server is up (and is then loaded by the bench). */
  readonly url: string;
  /** Starting takes well under this; past it the server is taken to be stuck. */
  readonly readyTimeoutMs: number;
  /** Runs after the process has exited (temporary files). */
  readonly cleanup?: () => Promise<void>;
}

export async function startChildServer(spec: ChildServerSpec): Promise<ChildServer> {
  const child = spawn(spec.binary, spec.args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  const close = async () => {
    await stop(child);
    await spec.cleanup?.();
  };
  try {
    await waitUntilServing(spec, child, () => stderr);
  } catch (err) {
    await close();
    throw err;
  }
  return { url: spec.url, close, cpuMicros: () => processCpuMicros(child.pid) };
}

/** Asks the OS for a free port, then lets it go for a server that takes a port number, not a socket. */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilServing(spec: ChildServerSpec, child: ChildProcess, stderr: () => string): Promise<void> {
  const started = performance.now();
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${spec.name} exited (${child.exitCode ?? child.signalCode}): ${stderr().trim()}`);
    const ok = await fetch(spec.url).then(async (response) => (await response.arrayBuffer(), response.ok), () => false);
    if (ok) return;
    if (performance.now() - started > spec.readyTimeoutMs) throw new Error(`${spec.name} did not answer ${spec.url} within ${spec.readyTimeoutMs} ms: ${stderr().trim()}`);
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
