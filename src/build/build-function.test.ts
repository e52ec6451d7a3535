import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { packFunction } from '../bundle/pack-function.js';
import { WasmletError } from '../errors/wasmlet-error.js';
import { BuildError } from './build-error.js';
import { buildFunction, type BuildDeps, type BuildEvents } from './build-function.js';
import { packageRoot } from './package-root.js';
import type { ProcessResult, RunOptions } from './run-process.js';

const helloC = join(packageRoot, 'examples', 'hello-c', 'hello-c.wasm');
const needsKeyvalue = join(packageRoot, 'test', 'fixtures', 'needs-keyvalue', 'needs-keyvalue.wasm');

let work: string;
let counter = 0;
before(async () => (work = await mkdtemp(join(tmpdir(), 'wasmlet-build-'))));
after(() => rm(work, { recursive: true, force: true }));

/** A fresh function folder with these files. */
async function folder(files: Record<string, string>): Promise<string> {
  const dir = join(work, `fn-${++counter}`);
  await mkdir(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

function manifest(extra = ''): string {
  return `name = "greeter"\ncomponent = "greeter.wasm"\n\n[[http]]\nroute = "/greeter"\n${extra}`;
}

/** Events as lines: what the CLI would print, in order. */
function recorder(): BuildEvents & { readonly log: string[] } {
  const log: string[] = [];
  return {
    log,
    start: (name, language) => log.push(`start ${name} ${language}`),
    step: (text) => log.push(`step ${text}`),
    output: (line, stream) => log.push(`${stream} ${line}`),
  };
}

interface Call {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
}

/** Stands in for the recipe scripts: answers each call in turn, running its effect first. */
function fakeRunner(steps: readonly { exitCode: number; lines?: string[]; effect?: (call: Call) => Promise<void> }[]): BuildDeps & { readonly calls: Call[] } {
  const calls: Call[] = [];
  let clock = 1000;
  return {
    calls,
    now: () => (clock += 1500),
    runProcess: async (file: string, args: readonly string[], options: RunOptions): Promise<ProcessResult> => {
      const call = { file, args, cwd: options.cwd };
      calls.push(call);
      const step = steps[calls.length - 1];
      if (!step) throw new Error(`unexpected call ${file} ${args.join(' ')}`);
      await step.effect?.(call);
      for (const line of step.lines ?? []) options.onLine(line, 'stderr');
      return { exitCode: step.exitCode, signal: null, tail: step.lines ?? [] };
    },
  };
}

const copyComponent = (from: string) => async (call: Call) => void (await writeFile(call.args[2]!, await readFile(from)));

describe('buildFunction with a recipe', () => {
  test('checks the toolchain, runs build.sh <dir> <component>, writes <dir>/<name>.zip and reports it', async () => {
    const dir = await folder({ 'wasmlet.toml': manifest(), 'hello.c': '' });
    const deps = fakeRunner([{ exitCode: 0, lines: ['c toolchain: ready'] }, { exitCode: 0, lines: ['compiling'], effect: copyComponent(helloC) }]);
    const events = recorder();
    const summary = await buildFunction({ dir }, events, deps);

    assert.deepEqual(deps.calls, [
      { file: 'bash', args: [join(packageRoot, 'toolchains/c/install.sh')], cwd: dir },
      { file: 'bash', args: [join(packageRoot, 'toolchains/c/build.sh'), dir, join(dir, 'greeter.wasm')], cwd: dir },
    ]);
    assert.deepEqual(events.log, [
      'start greeter c',
      'step checking the c toolchain (toolchains/c/install.sh)',
      'stderr c toolchain: ready',
      'step building with toolchains/c/build.sh',
      'stderr compiling',
    ]);
    const zip = await readFile(join(dir, 'greeter.zip'));
    assert.deepEqual(new Uint8Array(zip), await packFunction(dir));
    const component = await readFile(helloC);
    assert.equal(summary.name, 'greeter');
    assert.equal(summary.language, 'c');
    assert.deepEqual(summary.languageFrom, { kind: 'detected', evidence: ['hello.c'] });
    assert.deepEqual(summary.builder, { kind: 'recipe', script: 'toolchains/c/build.sh' });
    assert.equal(summary.buildMs, 1500);
    assert.deepEqual(summary.component, { path: join(dir, 'greeter.wasm'), bytes: component.byteLength });
    assert.deepEqual(summary.bundle, { path: join(dir, 'greeter.zip'), bytes: zip.byteLength, digest: `sha256:${createHash('sha256').update(zip).digest('hex')}` });
    assert.ok(summary.imports.length > 0 && summary.imports.every((i) => i.provided));
    assert.deepEqual(summary.problems, []);
  });

  test('[build] language wins over detection; --out puts the zip elsewhere', async () => {
    const dir = await folder({ 'wasmlet.toml': manifest('[build]\nlanguage = "rust"\n'), 'stray.c': '' });
    const out = join(work, 'out', 'bundle.zip');
    const deps = fakeRunner([{ exitCode: 0 }, { exitCode: 0, effect: copyComponent(helloC) }]);
    const summary = await buildFunction({ dir, out }, recorder(), deps);
    assert.equal(summary.language, 'rust');
    assert.deepEqual(summary.languageFrom, { kind: 'manifest' });
    assert.equal(deps.calls[1]?.args[0], join(packageRoot, 'toolchains/rust/build.sh'));
    assert.equal(summary.bundle.path, out);
    assert.ok((await readFile(out)).byteLength > 0);
  });

  test('a failing install.sh is toolchain_missing, quoting its last line; nothing is built', async () => {
    const dir = await folder({ 'wasmlet.toml': manifest(), 'hello.c': '' });
    const deps = fakeRunner([{ exitCode: 1, lines: ['c toolchain: missing Debian packages clang; run as root: apt-get install -y clang', ''] }]);
    await assert.rejects(buildFunction({ dir }, recorder(), deps), (err: unknown) => {
      assert.ok(err instanceof BuildError);
      assert.equal(err.code, 'toolchain_missing');
      assert.equal(err.message, 'the c toolchain is not ready: c toolchain: missing Debian packages clang; run as root: apt-get install -y clang');
      return true;
    });
    assert.equal(deps.calls.length, 1);
  });

  test('a failing build.sh is build_failed, with its exit code and last line', async () => {
    const dir = await folder({ 'wasmlet.toml': manifest(), 'hello.c': '' });
    const deps = fakeRunner([{ exitCode: 0 }, { exitCode: 2, lines: ['hello.c:1: error: expected ;'] }]);
    await assert.rejects(buildFunction({ dir }, recorder(), deps), (err: unknown) => {
      assert.ok(err instanceof BuildError);
      assert.equal(err.code, 'build_failed');
      assert.equal(err.message, `c build of ${dir} failed: toolchains/c/build.sh exited with 2: hello.c:1: error: expected ;`);
      assert.deepEqual(err.details?.['output'], ['hello.c:1: error: expected ;']);
      return true;
    });
  });

  test('a build.sh that succeeds without writing the component is build_failed', async () => {
    const dir = await folder({ 'wasmlet.toml': manifest(), 'hello.c': '' });
    await assert.rejects(
      buildFunction({ dir }, recorder(), fakeRunner([{ exitCode: 0 }, { exitCode: 0 }])),
      (err: unknown) => err instanceof BuildError && err.code === 'build_failed' && /did not write .*greeter\.wasm/.test(err.message),
    );
  });
});

describe('buildFunction with a [build] command (real processes)', () => {
  test('runs in the folder with WASMLET_COMPONENT set, and skips the recipe', async () => {
    const dir = await folder({ 'wasmlet.toml': manifest(`[build]\nlanguage = "c"\ncommand = "echo building in $(pwd) && cp '${helloC}' \\"$WASMLET_COMPONENT\\""\n`) });
    const events = recorder();
    const summary = await buildFunction({ dir }, events);
    assert.deepEqual(summary.builder.kind, 'command');
    assert.deepEqual(events.log.slice(2), [`stdout building in ${dir}`]);
    assert.deepEqual(summary.problems, []);
  });

  test('the same unchanged component is not taken for a fresh one', async () => {
    const dir = await folder({ 'wasmlet.toml': manifest('[build]\nlanguage = "c"\ncommand = "true"\n') });
    await writeFile(join(dir, 'greeter.wasm'), await readFile(helloC));
    await assert.rejects(buildFunction({ dir }, recorder()), (err: unknown) => err instanceof BuildError && err.code === 'build_failed');
  });

  test('a denied import is reported as a problem; the bundle is still written', async () => {
    const dir = await folder({ 'wasmlet.toml': manifest(`[build]\nlanguage = "c"\ncommand = "cp '${needsKeyvalue}' greeter.wasm"\n`) });
    const summary = await buildFunction({ dir }, recorder());
    assert.deepEqual(
      summary.imports.filter((i) => !i.provided).map((i) => i.name).sort(),
      ['wasi:keyvalue/atomics@0.2.0-draft'],
    );
    assert.deepEqual(summary.problems.map((p) => p.code), ['component_import_denied']);
    assert.ok((await readFile(summary.bundle.path)).byteLength > 0);
  });

  test('a failing command is build_failed', async () => {
    const dir = await folder({ 'wasmlet.toml': manifest('[build]\nlanguage = "c"\ncommand = "echo no make here >&2; exit 127"\n') });
    await assert.rejects(buildFunction({ dir }, recorder()), (err: unknown) => {
      assert.ok(err instanceof BuildError && err.code === 'build_failed');
      assert.equal(err.message, `c build of ${dir} failed: the [build] command exited with 127: no make here`);
      return true;
    });
  });
});

describe('buildFunction refuses before building', () => {
  const never = fakeRunner([]);

  test('a folder without wasmlet.toml', async () => {
    const dir = await folder({ 'hello.c': '' });
    await assert.rejects(buildFunction({ dir }, recorder(), never), (err: unknown) => err instanceof WasmletError && err.code === 'manifest_missing' && /has no wasmlet\.toml/.test(err.message));
  });

  test('an invalid manifest, naming the file on disk', async () => {
    const dir = await folder({ 'wasmlet.toml': manifest('[build]\nlanguage = "cobol"\n') });
    await assert.rejects(buildFunction({ dir }, recorder(), never), (err: unknown) => {
      assert.ok(err instanceof WasmletError && err.code === 'manifest_invalid');
      assert.equal(err.message, `${join(dir, 'wasmlet.toml')}: build.language must be one of c, rust, go, python, js, dotnet, got "cobol" (line 7)`);
      return true;
    });
  });

  test('a folder whose language cannot be told', async () => {
    const dir = await folder({ 'wasmlet.toml': manifest(), 'main.go': '', 'go.mod': '', 'helper.c': '' });
    await assert.rejects(buildFunction({ dir }, recorder(), never), (err: unknown) => err instanceof BuildError && err.code === 'language_unknown' && /go \(go\.mod\) and c \(helper\.c\)/.test(err.message));
    assert.equal(never.calls.length, 0);
  });
});
