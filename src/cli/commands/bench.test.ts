import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { bufferOutput } from '../cli-output.js';
import { benchArguments, benchCommand, benchEntry, type BenchCommandDeps } from './bench.js';

function deps(overrides: Partial<BenchCommandDeps> = {}): BenchCommandDeps & { calls: { entry: string; args: readonly string[] }[] } {
  const calls: { entry: string; args: readonly string[] }[] = [];
  return {
    entry: '/repo/dist/bench/run.js',
    exists: async () => true,
    run: async (entry, args) => {
      calls.push({ entry, args });
      return 0;
    },
    ...overrides,
    calls,
  };
}

test('options become the suite arguments, in a fixed order', () => {
  assert.deepEqual(benchArguments({}, false), []);
  assert.deepEqual(benchArguments({ only: 'http,density', quick: true, out: 'tmp/r' }, false), ['--only', 'http,density', '--quick', '--out', 'tmp/r']);
  assert.deepEqual(benchArguments({ only: 'http', previous: 'old.json' }, false), ['--only', 'http', '--previous', 'old.json']);
  assert.deepEqual(benchArguments({ quick: false }, true), ['--json']);
});

test('runs the compiled suite and passes its exit status through', async () => {
  const d = deps({ run: async (entry, args) => (d.calls.push({ entry, args }), 3) });
  const output = bufferOutput();
  const code = await benchCommand({ only: 'queue' }, { adminUrl: '', json: false, output }, d);
  assert.equal(code, 3);
  assert.deepEqual(d.calls, [{ entry: '/repo/dist/bench/run.js', args: ['--only', 'queue'] }]);
  assert.equal(output.stdout, '');
  assert.equal(output.stderr, '');
});

test('a missing suite is one failure line, and nothing is run', async () => {
  const d = deps({ exists: async () => false });
  const output = bufferOutput();
  const code = await benchCommand({}, { adminUrl: '', json: false, output }, d);
  assert.equal(code, 1);
  assert.equal(d.calls.length, 0);
  assert.match(output.stderr, /^wasmlet: the benchmark suite is not built \(\/repo\/dist\/bench\/run\.js is missing\).*\(internal\)\n$/);
});

test('the default entry is the compiled bench/run.ts of this checkout', () => {
  assert.match(benchEntry, /dist[\\/]bench[\\/]run\.js$/);
  assert.ok(existsSync(benchEntry), `${benchEntry} should exist after tsc`);
});
