import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import type { HostOptions } from '../../host/start-host.js';
import { bufferOutput } from '../cli-output.js';
import { hostOptionsOf, serveCommand, type ServeOptions } from './serve.js';

const options: ServeOptions = { host: '127.0.0.1', port: 0, adminPort: 0, dataDir: '.wasmlet', workers: 2, deployExamples: true };

test('hostOptionsOf resolves the data dir and passes the token only when set', () => {
  assert.deepEqual(hostOptionsOf(options, {}), { ...options, dataDir: resolve('.wasmlet') });
  assert.equal(hostOptionsOf(options, { token: 'a-long-enough-token' }).token, 'a-long-enough-token');
});

test('--queue-durability reaches the host as queueDurability; absent, the host default applies', () => {
  assert.equal(hostOptionsOf({ ...options, queueDurability: 'full' }, {}).queueDurability, 'full');
  assert.equal(hostOptionsOf({ ...options, queueDurability: 'normal' }, {}).queueDurability, 'normal');
  assert.equal('queueDurability' in hostOptionsOf(options, {}), false);
});

test('--s3-port reaches the host as s3Port; absent, the host opens no S3 listener', () => {
  assert.equal(hostOptionsOf({ ...options, s3Port: 9082 }, {}).s3Port, 9082);
  assert.equal('s3Port' in hostOptionsOf(options, {}), false);
});

test('--header-timeout-ms and the other client limits reach the host as serverLimits; none given, the host defaults apply', () => {
  const limits = { headerTimeoutMs: 2000, requestTimeoutMs: 9000, keepAliveTimeoutMs: 1000, maxConnections: 50, maxRequestsPerSocket: 7 };
  assert.deepEqual(hostOptionsOf({ ...options, ...limits }, {}).serverLimits, limits);
  assert.deepEqual(hostOptionsOf({ ...options, requestTimeoutMs: 9000 }, {}).serverLimits, { requestTimeoutMs: 9000 });
  assert.equal('serverLimits' in hostOptionsOf(options, {}), false);
});

test('--otlp-endpoint reaches the host as otlpEndpoint; absent, the host traces nothing', () => {
  assert.equal(hostOptionsOf({ ...options, otlpEndpoint: 'http://127.0.0.1:4318' }, {}).otlpEndpoint, 'http://127.0.0.1:4318');
  assert.equal('otlpEndpoint' in hostOptionsOf(options, {}), false);
});

test('serve starts the host, prints the URLs, logs to stderr and closes on the stop signal', async () => {
  let received: HostOptions | undefined;
  let closed = false;
  let stop!: (signal: string) => void;
  const output = bufferOutput();
  const running = serveCommand(options, { adminUrl: 'unused', json: true, output }, {
    startHost: async (hostOptions) => {
      received = hostOptions;
      hostOptions.log?.('example hello-c v1');
      return { urls: { http: 'http://127.0.0.1:1234', admin: 'http://127.0.0.1:1235' }, adminToken: 'never-printed-0123456789', foldsSettled: async () => undefined, close: async () => void (closed = true) };
    },
    stopSignal: () => new Promise((done) => (stop = done)),
  });
  await new Promise((r) => setImmediate(r));
  assert.equal(received?.deployExamples, true);
  assert.deepEqual(JSON.parse(output.stdout), { urls: { http: 'http://127.0.0.1:1234', admin: 'http://127.0.0.1:1235' } });
  assert.equal(closed, false);
  stop('SIGTERM');
  assert.equal(await running, 0);
  assert.equal(closed, true);
  assert.equal(output.stderr, 'example hello-c v1\nSIGTERM: stopping (again to force)\n');
  assert.doesNotMatch(output.stdout + output.stderr, /never-printed/);
});

test('a host that cannot start is one failure line', async () => {
  const output = bufferOutput();
  const code = await serveCommand(options, { adminUrl: 'unused', json: false, output }, {
    startHost: async () => {
      throw new Error('listen EADDRINUSE: address already in use 127.0.0.1:8080');
    },
    stopSignal: () => new Promise(() => undefined),
  });
  assert.equal(code, 1);
  assert.equal(output.stderr, 'wasmlet: listen EADDRINUSE: address already in use 127.0.0.1:8080 (internal)\n');
});
