// parseManifest: what it accepts, the value it returns, and how its errors are chosen and shaped.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { matches } from '../capabilities/outbound-http/allowed-hosts.js';
import { WasmletError } from '../errors/wasmlet-error.js';
import {
  defaultInstanceReuse,
  defaultKvMaxKeyBytes,
  defaultKvMaxValueBytes,
  defaultKvQuotaBytes,
  defaultMaxBodyBytes,
  defaultMaxConcurrency,
  defaultMemoryMb,
  defaultOutboundConnectTimeoutMs,
  defaultOutboundRequests,
  defaultOutboundResponseBytes,
  defaultOutboundTimeoutMs,
  defaultTimeoutMs,
  maxTimeoutMs,
} from './manifest-bounds.js';
import { parseManifest } from './parse-manifest.js';

const minimal = 'name = "hello"\ncomponent = "hello.wasm"\n';

function rejection(source: string): WasmletError {
  try {
    parseManifest(source);
  } catch (err) {
    assert.ok(err instanceof WasmletError, String(err));
    assert.equal(err.code, 'manifest_invalid');
    assert.equal(err.status, 400);
    return err;
  }
  assert.fail('the manifest was accepted');
}

describe('parseManifest accepts', () => {
  test('a minimal manifest, with every default applied', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(parseManifest(minimal))), {
      name: 'hello',
      component: 'hello.wasm',
      http: [],
      env: {},
      config: {},
      limits: {
        timeoutMs: defaultTimeoutMs,
        memoryMb: defaultMemoryMb,
        maxBodyBytes: defaultMaxBodyBytes,
        maxConcurrency: defaultMaxConcurrency,
        outboundRequests: defaultOutboundRequests,
        outboundResponseBytes: defaultOutboundResponseBytes,
        outboundConnectTimeoutMs: defaultOutboundConnectTimeoutMs,
        outboundTimeoutMs: defaultOutboundTimeoutMs,
        kvMaxKeyBytes: defaultKvMaxKeyBytes,
        kvMaxValueBytes: defaultKvMaxValueBytes,
        kvQuotaBytes: defaultKvQuotaBytes,
      },
      runtime: { instanceReuse: defaultInstanceReuse, initSnapshot: false },
      allowedOutboundHosts: [],
      publish: [],
      keyValueStores: [],
      queue: [],
      buckets: [],
      objectEvent: [],
      schedule: [],
      async: { maxRetries: 2, retryDelayMs: 60000, maxEventAgeMs: 21600000 },
    });
  });

  test('a full manifest, in camelCase', () => {
    const manifest = parseManifest(`# every key
name = "shop-api"
component = "build/shop.wasm"
allowed_outbound_hosts = ["https://api.example.com", "https://*.Example.org", "https://API.example.com:443", "http://10.0.0.7:8080", "*://[::1]:*"]

[[http]]
route = "/api/*"
methods = ["get", "POST", "Get"]

[[http]]
route = "/"

[env]
GREETING = "hi"
_PRIVATE = ""

[config]
"colour of the sky" = "blue"
constructor = "x"

[limits]
timeout_ms = ${maxTimeoutMs}
memory_mb = 512
max_body_bytes = 0
outbound_requests = 1000
outbound_response_bytes = 0
outbound_connect_timeout_ms = 250
outbound_timeout_ms = 2000
kv_max_key_bytes = 1024
kv_max_value_bytes = 0
kv_quota_bytes = 1024
max_concurrency = 7

[runtime]
instance_reuse = 100
`);
    assert.equal(manifest.name, 'shop-api');
    assert.equal(manifest.component, 'build/shop.wasm');
    assert.deepEqual(manifest.http, [
      { route: '/api/*', methods: ['GET', 'POST'] },
      { route: '/', methods: 'any' },
    ]);
    assert.deepEqual({ ...manifest.env }, { GREETING: 'hi', _PRIVATE: '' });
    assert.deepEqual({ ...manifest.config }, { 'colour of the sky': 'blue', constructor: 'x' });
    assert.deepEqual(manifest.limits, {
      timeoutMs: maxTimeoutMs,
      memoryMb: 512,
      maxBodyBytes: 0,
      maxConcurrency: 7,
      outboundRequests: 1000,
      outboundResponseBytes: 0,
      outboundConnectTimeoutMs: 250,
      outboundTimeoutMs: 2000,
      kvMaxKeyBytes: 1024,
      kvMaxValueBytes: 0,
      kvQuotaBytes: 1024,
    });
    assert.deepEqual(manifest.runtime, { instanceReuse: 100, initSnapshot: false });
    // Parsed by the runtime's own parser; "https://API.example.com:443" is the first entry again, kept once.
    assert.deepEqual(manifest.allowedOutboundHosts, [
      { entry: 'https://api.example.com', scheme: 'https', host: { kind: 'name', name: 'api.example.com' }, port: 443 },
      { entry: 'https://*.Example.org', scheme: 'https', host: { kind: 'subdomains', parent: 'example.org' }, port: 443 },
      { entry: 'http://10.0.0.7:8080', scheme: 'http', host: { kind: 'ip', address: '10.0.0.7', family: 4 }, port: 8080 },
      { entry: '*://[::1]:*', scheme: '*', host: { kind: 'ip', address: '::1', family: 6 }, port: '*' },
    ]);
  });

  test('allowed_outbound_hosts as the runtime enforces it (the same parser)', () => {
    const grants = parseManifest(`${minimal}allowed_outbound_hosts = ["https://*.example.com", "http://127.0.0.1:8080"]\n`).allowedOutboundHosts;
    assert.equal(matches(grants, new URL('https://a.b.example.com/x')), true);
    assert.equal(matches(grants, new URL('https://example.com/')), false);
    assert.equal(matches(grants, new URL('http://127.0.0.1:8080/')), true);
    assert.equal(matches(grants, new URL('http://127.0.0.1:8081/')), false);
  });

  test('key_value_stores: store names, duplicates kept once, in order', () => {
    const manifest = parseManifest(`${minimal}key_value_stores = ["default", "sessions", "default", "cache_2"]\n`);
    assert.deepEqual(manifest.keyValueStores, ['default', 'sessions', 'cache_2']);
    assert.ok(Object.isFrozen(manifest.keyValueStores));
  });

  test('dotted keys and inline tables', () => {
    const manifest = parseManifest(`${minimal}limits.timeout_ms = 500\nenv = { A = "1" }\nhttp = [{ route = "/x", methods = ["PUT"] }]\n`);
    assert.equal(manifest.limits.timeoutMs, 500);
    assert.equal(manifest.limits.memoryMb, defaultMemoryMb);
    assert.deepEqual({ ...manifest.env }, { A: '1' });
    assert.deepEqual(manifest.http, [{ route: '/x', methods: ['PUT'] }]);
  });

  test('a [build] table, for the CLI: language and an optional command', () => {
    assert.equal(parseManifest(minimal).build, undefined);
    assert.deepEqual(parseManifest(`${minimal}[build]\nlanguage = "rust"\n`).build, { language: 'rust', command: undefined });
    const custom = parseManifest(`${minimal}[build]\nlanguage = "c"\ncommand = "make component OUT=hello.wasm"\n`).build;
    assert.deepEqual(custom, { language: 'c', command: 'make component OUT=hello.wasm' });
    assert.ok(Object.isFrozen(custom));
  });

  test('every route form the router knows', () => {
    for (const route of ['/', '/*', '/hello', '/api/*', '/a.b/c~d/e_f-g', '/v1/.well-known']) {
      assert.equal(parseManifest(`${minimal}[[http]]\nroute = "${route}"\n`).http[0]?.route, route);
    }
  });

  test('a component path, normalised', () => {
    assert.equal(parseManifest('name = "a"\ncomponent = "./lib//x.wasm"\n').component, 'lib/x.wasm');
  });

  test('every wasmlet.toml in the repository (examples and test fixtures)', () => {
    const root = new URL('../../../', import.meta.url);
    const manifests = ['examples/', 'test/fixtures/'].flatMap((dir) => {
      const base = new URL(dir, root);
      if (!existsSync(base)) return [];
      return readdirSync(base)
        .map((name) => new URL(`${name}/wasmlet.toml`, base))
        .filter((file) => existsSync(file));
    });
    assert.ok(manifests.length > 0);
    for (const file of manifests) assert.doesNotThrow(() => parseManifest(readFileSync(file, 'utf8')), file.pathname);
  });
});

describe('the parsed manifest', () => {
  const manifest = parseManifest(`${minimal}[[http]]\nroute = "/a"\nmethods = ["GET"]\n[env]\nA = "1"\n[config]\nb = "2"\n`);

  test('is deeply frozen', () => {
    const withGrant = parseManifest(`${minimal}allowed_outbound_hosts = ["https://*.example.com"]\n`);
    for (const value of [manifest, manifest.http, manifest.http[0], (manifest.http[0] as { methods: unknown }).methods, manifest.env, manifest.config, manifest.limits, manifest.allowedOutboundHosts, withGrant.allowedOutboundHosts, withGrant.allowedOutboundHosts[0], withGrant.allowedOutboundHosts[0]?.host]) {
      assert.ok(Object.isFrozen(value));
    }
  });

  test('has env and config without a prototype, so "constructor" or "toString" find nothing', () => {
    assert.equal(Object.getPrototypeOf(manifest.config), null);
    assert.equal(manifest.config['toString'], undefined);
    assert.equal(manifest.env['constructor'], undefined);
  });
});

describe('parseManifest rejects', () => {
  // The exact messages live in cases/*.err; these check the structured details and the ordering.
  test('with details naming the key, the line and the value', () => {
    const err = rejection(`${minimal}\n[limits]\ntimeout_ms = 1000000\n`);
    assert.deepEqual(err.details, { key: 'limits.timeout_ms', line: 5, value: 1000000 });
    assert.equal(err.message, 'wasmlet.toml: limits.timeout_ms must be at most 900000, got 1000000 (line 5)');
  });

  test('TOML syntax errors with their line and column', () => {
    const err = rejection('name = "a"\ncomponent = "unterminated\n');
    assert.match(err.message, /^wasmlet\.toml: invalid TOML: .* \(line 2, column \d+\)$/);
    assert.equal(err.details?.['line'], 2);
  });

  test('the earliest problem in the file first', () => {
    const err = rejection('name = "a"\ncomponent = "c.wasm"\n[limits]\nmemory_mb = 0\ntimeout_ms = 0\n');
    assert.match(err.message, /memory_mb.*\(line 4\)$/);
  });

  test('a typo before the missing key it causes', () => {
    assert.equal(rejection('nmae = "a"\ncomponent = "c.wasm"\n').message, 'wasmlet.toml: unknown key "nmae" (line 1)');
  });

  test('an integer beyond the safe range against the manifest bound, not the safe-integer one', () => {
    assert.match(rejection(`${minimal}[limits]\ntimeout_ms = 1e300\n`).message, /must be at most 900000, got 1e\+300 \(line 4\)$/);
  });

  test('a top-level key written inside a table, with a hint', () => {
    assert.equal(
      rejection(`${minimal}[config]\na = "1"\nallowed_outbound_hosts = ["x.example.com"]\n`).message,
      'wasmlet.toml: config.allowed_outbound_hosts must be a string or a secret reference { secret = "NAME" }, got a list; top-level keys must come before the first [table] (line 5)',
    );
  });

  test('a non-table document root never reaches zod: TOML has no such thing', () => {
    assert.match(rejection('= 1').message, /^wasmlet\.toml: invalid TOML/);
  });

  test('an empty document as a missing name', () => {
    assert.equal(rejection('').message, 'wasmlet.toml: name is required');
  });
});

test('queue, schedule, publish and async tables get their defaults', () => {
  const manifest = parseManifest(`name = "mailer"
component = "mailer.wasm"
publish = ["emails", "emails"]

[limits]
timeout_ms = 20000

[[queue]]
queue = "signups"

[[queue]]
queue = "bounces"
batch_size = 50
visibility_timeout_ms = 45000
dead_letter = "bounces-failed"
backoff = { initial_ms = 10, max_ms = 100, multiplier = 3 }

[[schedule]]
name = "cleanup"
cron = "*/5 * * * *"

[[schedule]]
name = "heartbeat"
rate = "30s"

[async]
retry_delay_ms = 500
on_failure = "async-failures"
`);
  assert.deepEqual(manifest.publish, ['emails']);
  assert.deepEqual(manifest.queue[0], {
    queue: 'signups', batchSize: 10, maxBatchWaitMs: 0, concurrency: 2, maxAttempts: 5,
    backoff: { initialMs: 1000, maxMs: 300000, multiplier: 2 }, deadLetter: 'signups-dlq', visibilityTimeoutMs: 120000,
  });
  assert.equal(manifest.queue[1]!.deadLetter, 'bounces-failed');
  assert.equal(manifest.queue[1]!.visibilityTimeoutMs, 45000);
  assert.deepEqual(manifest.queue[1]!.backoff, { initialMs: 10, maxMs: 100, multiplier: 3 });
  assert.deepEqual(manifest.schedule.map((s) => [s.name, s.cron, s.rateMs]), [['cleanup', '*/5 * * * *', undefined], ['heartbeat', undefined, 30000]]);
  assert.deepEqual(manifest.async, { maxRetries: 2, retryDelayMs: 500, maxEventAgeMs: 21600000, onFailure: 'async-failures', onSuccess: undefined });
});
