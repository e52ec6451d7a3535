import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BuildSummary } from '../../build/build-function.js';
import { buildSummaryJson, displayPath, formatBuildSummary, formatBytes, formatDuration } from './build-summary.js';

const summary: BuildSummary = {
  name: 'greeter',
  dir: '/work/greeter',
  language: 'rust',
  languageFrom: { kind: 'manifest' },
  builder: { kind: 'recipe', script: 'toolchains/rust/build.sh' },
  buildMs: 3_412,
  component: { path: '/work/greeter/greeter.wasm', bytes: 75_878 },
  bundle: { path: '/work/greeter/greeter.zip', bytes: 31_950, digest: 'sha256:1a2b3c4d5e6f' },
  imports: [
    { name: 'wasmlet:function/host@0.1.0', provided: true },
    { name: 'wasi:cli/stdout@0.2.12', provided: true },
  ],
  exports: ['wasmlet:function/http-handler@0.1.0'],
  problems: [],
};

test('sizes, durations and paths as people read them', () => {
  assert.deepEqual([0, 812, 1024, 75_878, 1_690_568].map(formatBytes), ['0 B', '812 B', '1.0 KiB', '74.1 KiB', '1.6 MiB']);
  assert.deepEqual([0, 412, 3_412, 59_949, 125_000].map(formatDuration), ['0.0 s', '0.4 s', '3.4 s', '59.9 s', '2 min 5 s']);
  assert.equal(displayPath('/work/greeter/greeter.zip', '/work'), 'greeter/greeter.zip');
  assert.equal(displayPath('/tmp/greeter.zip', '/work'), '/tmp/greeter.zip');
  assert.equal(displayPath('/work', '/work'), '/work');
});

test('a deployable build: what, how long, sizes, imports, and the next command', () => {
  assert.equal(
    formatBuildSummary(summary, '/work'),
    [
      'built greeter (rust, from [build] in wasmlet.toml) in 3.4 s with toolchains/rust/build.sh',
      '  component  greeter/greeter.wasm  74.1 KiB',
      '  bundle     greeter/greeter.zip   31.2 KiB  sha256:1a2b3c4d…',
      '  imports    2, all provided by the host:',
      '      wasmlet:function/host@0.1.0',
      '      wasi:cli/stdout@0.2.12',
      'deploy it: wasmlet deploy greeter/greeter.zip',
      '',
    ].join('\n'),
  );
});

test('a denied import is marked, and deploy’s refusal is told in advance', () => {
  const denied: BuildSummary = {
    ...summary,
    languageFrom: { kind: 'detected', evidence: ['Cargo.toml'] },
    builder: { kind: 'command', command: 'make' },
    imports: [...summary.imports, { name: 'wasi:sockets/tcp@0.2.0', provided: false }],
    problems: [{ code: 'component_import_denied', message: 'greeter.wasm imports wasi:sockets/tcp@0.2.0, which this host does not provide' }],
  };
  const text = formatBuildSummary(denied, '/work');
  assert.match(text, /^built greeter \(rust, detected from Cargo\.toml\) in 3\.4 s with \[build\] command\n/);
  assert.match(text, /\n {2}imports {4}3, 1 NOT provided by the host:\n/);
  assert.match(text, /\n {4}✗ wasi:sockets\/tcp@0\.2\.0 {2}\(denied: deploy will refuse it\)\n/);
  assert.match(text, /\nwarning: deploy would fail: greeter\.wasm imports wasi:sockets\/tcp@0\.2\.0, which this host does not provide \(component_import_denied\)\n$/);
  assert.doesNotMatch(text, /deploy it:/);
});

test('--json: the summary and whether it is deployable', () => {
  const json = JSON.parse(JSON.stringify(buildSummaryJson(summary))) as Record<string, unknown>;
  assert.equal(json.deployable, true);
  assert.equal(json.buildMs, 3_412);
  assert.deepEqual(json.bundle, summary.bundle);
  assert.deepEqual(json.imports, summary.imports);
  assert.equal(buildSummaryJson({ ...summary, problems: [{ code: 'component_world_mismatch', message: 'x' }] }).deployable, false);
});
