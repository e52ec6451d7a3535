// A user's first function in every language, end to end with the real CLI: `wasmlet new`, the
// template's own unit test, `wasmlet build` (the real toolchains: fails loudly when one is missing),
// `wasmlet deploy` to a served host, and the route answering over HTTP. Everything runs outside
// the repository, as it would for a user.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { request } from 'undici';
import { nativeTestCommands } from '../../src/build/create-function.js';
import type { BuildLanguage } from '../../src/manifest/manifest.js';
import { cliPath, startServe, type ServingHost, type CliResult } from '../support/cli-process.js';

/**
 * The languages checked here, on purpose an explicit list: a language is added once its recipe
 * (toolchains/<lang>/) and SDK exist and work, never skipped quietly.
 */
const languages: readonly { readonly lang: BuildLanguage; readonly greets: string }[] = [
  { lang: 'c', greets: 'C' },
  { lang: 'rust', greets: 'Rust' },
  { lang: 'js', greets: 'JavaScript' },
  { lang: 'go', greets: 'Go' },
  { lang: 'python', greets: 'Python' },
  { lang: 'dotnet', greets: 'C#' },
];

/** A cold Rust or Go build takes tens of seconds on a slow CI machine; a hung one must still end. */
const stepTimeoutMs = 300_000;

/** Without NODE_TEST_CONTEXT, which node:test sets here: a template's `node --test` inheriting it runs no file and exits 0. */
const { NODE_TEST_CONTEXT: _runner, ...childEnv } = process.env;

function run(file: string, args: readonly string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env: childEnv, timeout: stepTimeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function wasmlet(args: readonly string[], cwd: string): Promise<CliResult> {
  return run(process.execPath, [cliPath, ...args], cwd);
}

describe('wasmlet new -> build -> deploy, per language', { timeout: languages.length * 4 * stepTimeoutMs }, () => {
  let work: string;
  let host: ServingHost;
  let admin: string[];

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'wasmlet-new-build-'));
    host = await startServe(['--data-dir', join(work, 'data'), '--workers', '2']);
    admin = ['--admin-url', host.urls.admin, '--data-dir', join(work, 'data')];
  });

  after(async () => {
    await host?.stop();
    await rm(work, { recursive: true, force: true });
  });

  for (const { lang, greets } of languages) {
    test(lang, async () => {
      const name = `f-${lang}`;
      const dir = join(work, name);

      const created = await wasmlet(['new', lang, dir], work);
      assert.equal(created.code, 0, created.stderr);
      assert.match(created.stdout, new RegExp(`^created ${name} \\(${lang}\\) in ${name}: `));
      assert.match(await readFile(join(dir, 'wasmlet.toml'), 'utf8'), new RegExp(`\\[build\\]\\nlanguage = "${lang}"\\n`));

      const [testProgram, ...testArgs] = nativeTestCommands[lang];
      const unit = await run(testProgram!, testArgs, dir);
      assert.equal(unit.code, 0, `${nativeTestCommands[lang].join(' ')} failed:\n${unit.stdout}\n${unit.stderr}`);

      const built = await wasmlet(['build', name], work);
      assert.equal(built.code, 0, `wasmlet build failed (is the ${lang} toolchain installed? toolchains/${lang}/install.sh):\n${built.stderr}`);
      assert.match(built.stderr, new RegExp(`^==> checking the ${lang} toolchain \\(toolchains/${lang}/install\\.sh\\)\\n`));
      assert.match(built.stdout, new RegExp(`^built ${name} \\(${lang}, from \\[build\\] in wasmlet\\.toml\\) in \\d+\\.\\d s with toolchains/${lang}/build\\.sh\\n`));
      assert.match(built.stdout, /imports {4}\d+, all provided by the host:/);
      // A template sends nothing, so it must not import outbound-http (deploy refuses it without a grant).
      assert.doesNotMatch(built.stdout, /outbound-http/);
      assert.match(built.stdout, new RegExp(`\\ndeploy it: wasmlet deploy ${name}/${name}\\.zip\\n$`));
      assert.ok((await stat(join(dir, `${name}.zip`))).size > 0);

      // The bundle keeps its [build] table: the host must accept (and ignore) it.
      const deployed = await wasmlet(['deploy', join(dir, `${name}.zip`), ...admin], work);
      assert.equal(deployed.code, 0, deployed.stderr);
      assert.match(deployed.stdout, new RegExp(`^deployed ${name} v1 sha256:[0-9a-f]+…  GET,POST /${name}\\n$`));

      const response = await request(`${host.urls.http}/${name}?name=ada`);
      assert.equal(response.statusCode, 200);
      assert.equal(await response.body.text(), `Hello, ada, from ${greets}!\n`);
      const world = await request(`${host.urls.http}/${name}`);
      assert.equal(await world.body.text(), `Hello, world, from ${greets}!\n`);
    });
  }

  test('build --json describes the bundle it wrote', async () => {
    const dir = join(work, 'f-c');
    const built = await wasmlet(['build', dir, '--json', '--out', join(work, 'out', 'c.zip')], work);
    assert.equal(built.code, 0, built.stderr);
    const summary = JSON.parse(built.stdout) as { name: string; language: string; deployable: boolean; bundle: { path: string; bytes: number } };
    assert.equal(summary.name, 'f-c');
    assert.equal(summary.language, 'c');
    assert.equal(summary.deployable, true);
    assert.equal(summary.bundle.path, join(work, 'out', 'c.zip'));
    assert.equal((await stat(summary.bundle.path)).size, summary.bundle.bytes);
  });
});
