// Each guest SDK (and each example with unit tests) has its own native tests in its language's
// tool; this runs them all as part of `npm test`. They need the toolchains (`npm run toolchains`);
// a missing one fails here, loudly.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../support/paths.js';

/** Debian's rustc 1.63 has the wasm32 std; rustup's newer rustc (first on PATH) does not. */
const debianRust = { RUSTC: '/usr/bin/rustc', RUSTDOC: '/usr/bin/rustdoc' };
const goEnv = { GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', GOCACHE: join(repoRoot, 'toolchains', '.cache', 'go', 'build-test') };

interface Suite {
  readonly name: string;
  readonly cwd: string;
  readonly command: readonly string[];
  readonly env?: Record<string, string>;
}

const suites: readonly Suite[] = [
  { name: 'sdk/c', cwd: 'sdk/c', command: ['bash', 'test/run.sh'] },
  { name: 'sdk/rust', cwd: 'sdk/rust', command: ['/usr/bin/cargo', 'test', '--offline', '--quiet'], env: debianRust },
  { name: 'examples/hello-rust', cwd: 'examples/hello-rust', command: ['/usr/bin/cargo', 'test', '--offline', '--quiet'], env: debianRust },
  { name: 'test/guests/rust-probe', cwd: 'test/guests/rust-probe', command: ['/usr/bin/cargo', 'test', '--offline', '--quiet'], env: debianRust },
  { name: 'sdk/go', cwd: 'sdk/go', command: ['go', 'test', './...'], env: goEnv },
  { name: 'examples/hello-go', cwd: 'examples/hello-go', command: ['go', 'test', './...'], env: goEnv },
  { name: 'test/guests/go-probe', cwd: 'test/guests/go-probe', command: ['go', 'test', './...'], env: goEnv },
  { name: 'sdk/js', cwd: 'sdk/js', command: [process.execPath, '--test', 'test/'] },
  { name: 'examples/json-api', cwd: 'examples/json-api', command: [process.execPath, '--test', '.'] },
  { name: 'examples/welcome-email', cwd: 'examples/welcome-email', command: [process.execPath, '--test', '.'] },
  // Its http.test.js is skipped here (no WEBHOOK_RELAY_URL): examples-from-source.test.ts runs it against a host.
  { name: 'examples/webhook-relay', cwd: 'examples/webhook-relay', command: [process.execPath, '--test', '.'] },
  { name: 'examples/thumbnail', cwd: 'examples/thumbnail', command: ['bash', 'test/run.sh'] },
  { name: 'examples/thumbnail-on-upload', cwd: 'examples/thumbnail-on-upload', command: ['bash', 'test/run.sh'] },
  { name: 'sdk/dotnet', cwd: 'sdk/dotnet', command: ['bash', 'test/run.sh'] },
  { name: 'examples/hello-dotnet', cwd: 'examples/hello-dotnet', command: ['sh', 'test.sh'] },
  { name: 'sdk/python', cwd: 'sdk/python', command: ['python3', '-m', 'unittest', '--quiet'] },
  { name: 'examples/hello-python', cwd: 'examples/hello-python', command: ['python3', '-m', 'unittest', '--quiet'], env: { PYTHONPATH: join(repoRoot, 'sdk', 'python') } },
];

/**
 * The environment without NODE_TEST_CONTEXT, which node:test sets for the files it runs: a
 * `node --test` child that inherits it runs no test file at all ("run() is being called
 * recursively") and exits 0.
 */
const { NODE_TEST_CONTEXT: _runner, ...inheritedEnv } = process.env;

for (const suite of suites) {
  test(`${suite.name}: native tests pass`, { timeout: 300_000 }, async () => {
    const [file, ...args] = suite.command;
    const result = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(
        file!,
        args,
        { cwd: join(repoRoot, suite.cwd), env: { ...inheritedEnv, ...suite.env }, maxBuffer: 32 * 1024 * 1024, timeout: 280_000 },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, output: `${stdout}\n${stderr}` }),
      );
    });
    assert.equal(result.code, 0, `${suite.command.join(' ')} in ${suite.cwd} failed:\n${result.output.slice(-4000)}`);
  });
}
