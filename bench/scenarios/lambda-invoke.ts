// Scenario 12: the cost of Lambda's API. One in-process host (its admin port on loopback) runs the
// committed fixture fx-echo; one call at a time, in alternating blocks, the same payload goes
//   Lambda Invoke   POST /2015-03-31/functions/fx-echo/invocations, SigV4-signed per request with
//                   @smithy/signature-v4 (as the SDK signs), verified by the host, answered Lambda's way;
//   wasmlet invoke  POST /v1/functions/fx-echo/invoke with the bearer token (what `wasmlet invoke` sends).
// Both go through the same invoker to a fresh instance; what Lambda's p50 adds is the compatibility
// layer: the signature check (the body hashed, the request signed again), the qualifier and the
// answer's shape. The client's own signing is timed apart and is not in either latency's difference.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { zipSync } from 'fflate';
import { startCpuWatch, type CpuShare } from '../../src/benchmark/cpu-watch.js';
import { summarize, type Summary } from '../../src/benchmark/stats.js';
import { fixtureComponentPath } from '../fixture-host.js';
import { progress } from '../progress.js';

export interface LambdaBenchOptions {
  /** Timed calls per side. */
  readonly calls: number;
  readonly warmup: number;
  readonly blockSize: number;
  readonly workers: number;
  readonly workDir: string;
}

export type LambdaTarget = 'Lambda Invoke (SigV4)' | 'POST /v1/functions/{name}/invoke';

export interface LambdaRow {
  readonly target: LambdaTarget;
  /** Per call, ms, as the client sees it (signing excluded). */
  readonly latencyMs: Summary;
}

export interface LambdaBenchResult {
  readonly payloadBytes: number;
  readonly rows: readonly LambdaRow[];
  /** The client's SigV4 signing per Lambda call, µs (not part of the latencies). */
  readonly clientSigningMicros: Summary;
  readonly failures: number;
  readonly firstFailure: string | undefined;
  readonly cpu: CpuShare;
}

const token = 'bench-lambda-token-0123456789';
const manifest = 'name = "fx-echo"\ncomponent = "component.wasm"\n\n[[http]]\nroute = "/fx/echo"\n';

/** fx-echo answers the request as JSON, the body as a string in it. */
function echoes(answer: string, payload: string): boolean {
  try {
    return (JSON.parse(answer) as { body?: string }).body === payload;
  } catch {
    return false;
  }
}

export async function measureLambdaInvoke(options: LambdaBenchOptions): Promise<LambdaBenchResult> {
  // Loaded lazily, as run.ts loads the host: a tree whose host does not build fails this scenario only.
  const { createHost } = await import('../../src/host/start-host.js');
  const { listenApp } = await import('../../src/host/listen.js');
  const host = await createHost({ host: '127.0.0.1', port: 0, adminPort: 0, dataDir: join(options.workDir, 'host'), workers: options.workers, deployExamples: false, token, log: (line) => progress(`lambda host: ${line}`) });
  const admin = await listenApp(host.adminApp, '127.0.0.1', 0);
  const agent = new Agent({ connections: 1 });
  try {
    const zip = zipSync({ 'wasmlet.toml': new TextEncoder().encode(manifest), 'component.wasm': new Uint8Array(await readFile(fixtureComponentPath('echo'))) });
    const deployed = await host.adminApp.request('/v1/functions', { method: 'POST', body: zip, headers: { 'content-type': 'application/zip', authorization: `Bearer ${token}` } });
    if (deployed.status !== 201) throw new Error(`deploy of fx-echo answered ${deployed.status}`);
    const url = new URL(admin.url);
    const payload = JSON.stringify({ order: 42, items: ['a', 'b', 'c'], note: 'x'.repeat(200) });
    const signer = new SignatureV4({ credentials: { accessKeyId: 'wasmlet', secretAccessKey: token }, region: 'us-east-1', service: 'lambda', sha256: Hash.bind(null, 'sha256') });
    const lambdaPath = '/2015-03-31/functions/fx-echo/invocations';
    const signingMicros: number[] = [];
    let failures = 0;
    let firstFailure: string | undefined;
    const fail = (what: string) => {
      failures++;
      firstFailure ??= what;
    };

    const callLambda = async (): Promise<number> => {
      const signStart = performance.now();
      const signed = await signer.sign({
        method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: lambdaPath, query: {},
        headers: { host: url.host, 'content-type': 'application/octet-stream', 'x-amz-invocation-type': 'RequestResponse' }, body: payload,
      });
      signingMicros.push((performance.now() - signStart) * 1000);
      const start = performance.now();
      const response = await request(`${admin.url}${lambdaPath}`, { method: 'POST', headers: signed.headers as Record<string, string>, body: payload, dispatcher: agent });
      const body = await response.body.text();
      const ms = performance.now() - start;
      if (response.statusCode !== 200 || response.headers['x-amz-function-error'] !== undefined || !echoes(body, payload)) fail(`Lambda Invoke answered ${response.statusCode}: ${body.slice(0, 120)}`);
      return ms;
    };
    const callDirect = async (): Promise<number> => {
      const start = performance.now();
      const response = await request(`${admin.url}/v1/functions/fx-echo/invoke`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: payload, dispatcher: agent,
      });
      const body = await response.body.text();
      const ms = performance.now() - start;
      if (response.statusCode !== 200 || !echoes(body, payload)) fail(`/invoke answered ${response.statusCode}: ${body.slice(0, 120)}`);
      return ms;
    };

    for (let i = 0; i < options.warmup; i++) {
      await callLambda();
      await callDirect();
    }
    signingMicros.length = 0;
    const lambda: number[] = [];
    const direct: number[] = [];
    const cpu = startCpuWatch();
    progress(`lambda: ${options.calls} calls per side in blocks of ${options.blockSize}`);
    while (lambda.length < options.calls) {
      for (let i = 0; i < options.blockSize && lambda.length < options.calls; i++) lambda.push(await callLambda());
      for (let i = 0; i < options.blockSize && direct.length < options.calls; i++) direct.push(await callDirect());
    }
    return {
      payloadBytes: Buffer.byteLength(payload),
      rows: [
        { target: 'Lambda Invoke (SigV4)', latencyMs: summarize(lambda) },
        { target: 'POST /v1/functions/{name}/invoke', latencyMs: summarize(direct) },
      ],
      clientSigningMicros: summarize(signingMicros),
      failures,
      firstFailure,
      cpu: cpu.stop(),
    };
  } finally {
    await agent.close();
    await admin.close();
    await host.close();
  }
}
