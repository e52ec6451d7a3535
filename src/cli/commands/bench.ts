// `wasmlet bench`: run the benchmark suite (bench/run.ts, compiled to dist/bench/run.js) in a child
// process, so the CLI loads none of it and the suite's own progress, tables and exit status pass straight
// through. The suite parses --only/--quick/--out itself (bench/bench-options.ts): one place knows the scenarios.
import { spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { runCommand, type CommandContext } from '../command-context.js';
import { exitFailure } from '../failure.js';

export interface BenchCommandOptions {
  /** Comma-separated scenario names; all of them when absent. */
  readonly only?: string | undefined;
  /** Short counts and durations: a fast look. */
  readonly quick?: boolean | undefined;
  /** Directory for the JSON and SVG (default bench/results/, or bench/results/partial/ for --quick or --only). */
  readonly out?: string | undefined;
  /** The results JSON the goals table's "before" column reads (bench/run.ts; default bench/results/latest.json). */
  readonly previous?: string | undefined;
}

export interface BenchCommandDeps {
  /** The compiled suite's entry point. */
  readonly entry: string;
  readonly exists: (path: string) => Promise<boolean>;
  /** Runs `node <entry> <args>` with the terminal attached; resolves with its exit status. */
  readonly run: (entry: string, args: readonly string[]) => Promise<number>;
}

/** dist/src/cli/commands/bench.js -> dist/bench/run.js (bench/ is compiled with the rest by `npm ci`'s prepare). */
export const benchEntry = fileURLToPath(new URL('../../../bench/run.js', import.meta.url));

const defaultDeps: BenchCommandDeps = {
  entry: benchEntry,
  exists: (path) => access(path).then(() => true, () => false),
  run: runNode,
};

/** The suite's command line for these options; `--json` asks it for the results JSON on stdout instead of tables. */
export function benchArguments(options: BenchCommandOptions, json: boolean): string[] {
  const args: string[] = [];
  if (options.only !== undefined) args.push('--only', options.only);
  if (options.quick === true) args.push('--quick');
  if (options.out !== undefined) args.push('--out', options.out);
  if (options.previous !== undefined) args.push('--previous', options.previous);
  if (json) args.push('--json');
  return args;
}

export function benchCommand(options: BenchCommandOptions, ctx: CommandContext, deps: BenchCommandDeps = defaultDeps): Promise<number> {
  return runCommand(ctx, async () => {
    if (!(await deps.exists(deps.entry))) {
      // Only a checkout can bench: the suite, the examples and autocannon (a dev dependency) live there.
      throw new Error(`the benchmark suite is not built (${deps.entry} is missing): run it from a clone of wasmlet after npm ci`);
    }
    return deps.run(deps.entry, benchArguments(options, ctx.json));
  });
}

function runNode(entry: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...args], { stdio: 'inherit' });
    child.once('error', reject);
    // Killed by a signal (Ctrl-C reaches both processes): a failure, not success.
    child.once('exit', (code) => resolve(code ?? exitFailure));
  });
}
