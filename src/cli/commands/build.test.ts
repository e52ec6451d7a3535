import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuildError } from '../../build/build-error.js';
import type { BuildSummary } from '../../build/build-function.js';
import { bufferOutput } from '../cli-output.js';
import { buildCommand, type BuildCommandDeps } from './build.js';

const summary: BuildSummary = {
  name: 'greeter',
  dir: '/work/greeter',
  language: 'c',
  languageFrom: { kind: 'detected', evidence: ['hello.c'] },
  builder: { kind: 'recipe', script: 'toolchains/c/build.sh' },
  buildMs: 900,
  component: { path: '/work/greeter/greeter.wasm', bytes: 52_030 },
  bundle: { path: '/work/greeter/greeter.zip', bytes: 20_700, digest: 'sha256:a9a4091f00' },
  imports: [{ name: 'wasmlet:function/host@0.1.0', provided: true }],
  exports: ['wasmlet:function/http-handler@0.1.0'],
  problems: [],
};

function deps(build: BuildCommandDeps['buildFunction']): BuildCommandDeps {
  return { buildFunction: build, cwd: () => '/work' };
}

test('the recipe output goes to stderr, the summary to stdout', async () => {
  const output = bufferOutput();
  const code = await buildCommand(
    'greeter',
    {},
    { adminUrl: '', json: false, output },
    deps(async (request, events) => {
      assert.deepEqual(request, { dir: 'greeter', out: undefined });
      events.start('greeter', 'c');
      events.step('building with toolchains/c/build.sh');
      events.output('componentize: greeter.wasm', 'stdout');
      return summary;
    }),
  );
  assert.equal(code, 0);
  assert.equal(output.stderr, '==> building with toolchains/c/build.sh\n[c] componentize: greeter.wasm\n');
  assert.match(output.stdout, /^built greeter \(c, detected from hello\.c\) in 0\.9 s with toolchains\/c\/build\.sh\n {2}component {2}greeter\/greeter\.wasm/);
});

test('--json prints one line of summary; --out is passed on', async () => {
  const output = bufferOutput();
  const code = await buildCommand(
    '.',
    { out: 'dist/f.zip' },
    { adminUrl: '', json: true, output },
    deps(async (request) => {
      assert.deepEqual(request, { dir: '.', out: 'dist/f.zip' });
      return summary;
    }),
  );
  assert.equal(code, 0);
  assert.equal(output.stdout.split('\n').length, 2);
  assert.deepEqual(JSON.parse(output.stdout), { ...summary, deployable: true });
});

test('a failed build exits 1 with its code, as a line or as error JSON', async () => {
  const failing = deps(async (_request, events) => {
    events.start('greeter', 'rust');
    events.step('building with toolchains/rust/build.sh');
    throw new BuildError('build_failed', 'rust build of /work/greeter failed: toolchains/rust/build.sh exited with 101: error: aborting', { exitCode: 101 });
  });
  const human = bufferOutput();
  assert.equal(await buildCommand('greeter', {}, { adminUrl: '', json: false, output: human }, failing), 1);
  assert.equal(human.stdout, '');
  assert.match(human.stderr, /\nwasmlet: rust build of \/work\/greeter failed: .* exited with 101: error: aborting \(build_failed\)\n$/);

  const json = bufferOutput();
  assert.equal(await buildCommand('greeter', {}, { adminUrl: '', json: true, output: json }, failing), 1);
  assert.deepEqual(JSON.parse(json.stdout), {
    error: { code: 'build_failed', message: 'rust build of /work/greeter failed: toolchains/rust/build.sh exited with 101: error: aborting', details: { exitCode: 101 } },
  });
});
