// Runs the real `wasmlet` CLI (bin/wasmlet.js) as a child process, the way a user does.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { readFile } from 'node:fs/promises';
import { join, resolve as resolvePath } from 'node:path';
import { request } from 'undici';
import { repoRoot } from './paths.js';

export const cliPath = join(repoRoot, 'bin', 'wasmlet.js');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `wasmlet ...args` to completion. Never rejects on a non-zero exit: the code is the result. */
export function runCli(args: readonly string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve) => {
    const options = { env: { ...process.env, ...env }, cwd: repoRoot, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 };
    execFile(process.execPath, [cliPath, ...args], options, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export interface ServingHost {
  readonly process: ChildProcess;
  readonly urls: { readonly http: string; readonly admin: string; readonly s3: string };
  /** What the host wrote to stderr so far (its log lines). */
  stderr(): string;
  /** `Bearer <token>` for raw admin API requests: the token serve generated into its --data-dir. */
  authorization(): Promise<string>;
  /** SIGTERM, then resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, no chance to clean up. */
  kill(): Promise<void>;
}

/** Starts `wasmlet serve --json` on free ports (S3's too) and waits for its URLs. */
export function startServe(args: readonly string[]): Promise<ServingHost> {
  const child = spawn(process.execPath, [cliPath, 'serve', '--port', '0', '--admin-port', '0', '--s3-port', '0', '--json', ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`wasmlet serve did not start in time; stderr:\n${stderr}`)), 60_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      const { urls } = JSON.parse(line) as { urls: { http: string; admin: string; s3: string } };
      resolve({
        process: child,
        urls,
        stderr: () => stderr,
        authorization: async () => `Bearer ${(await readFile(join(resolvePath(repoRoot, dataDirOf(args)), 'admin-token'), 'latin1')).trim()}`,
        stop: async () => {
          child.kill('SIGTERM');
          return exited;
        },
        kill: async () => {
          child.kill('SIGKILL');
          await exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`wasmlet serve exited with ${code}; stderr:\n${stderr}`));
    });
  });
}

/** The --data-dir a serve command line names (the CLI's default otherwise). */
function dataDirOf(args: readonly string[]): string {
  const at = args.indexOf('--data-dir');
  return at === -1 ? '.wasmlet' : args[at + 1]!;
}

/** A raw admin API request to a served host, with its token: status, text and the body as JSON. */
export async function adminRequest(host: ServingHost, path: string, init: { method?: string; body?: Uint8Array | string; headers?: Record<string, string> } = {}) {
  const response = await request(`${host.urls.admin}${path}`, { method: (init.method ?? 'GET') as 'GET', body: init.body, headers: { ...init.headers, authorization: await host.authorization() } });
  const text = await response.body.text();
  return { status: response.statusCode, json: () => JSON.parse(text) as Record<string, unknown>, text };
}
