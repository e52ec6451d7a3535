// `wasmlet build [dir]`: build a function folder into its component and bundle zip, then report
// what it is and what it imports. The recipe's output streams to stderr; the report goes to stdout.
import type { buildFunction, BuildSummary } from '../../build/build-function.js';
import { BuildProgress } from '../build-progress.js';
import { printJson, runCommand, type CommandContext } from '../command-context.js';
import { buildSummaryJson, formatBuildSummary } from '../format/build-summary.js';

export interface BuildCommandOptions {
  /** Where the bundle zip goes; default `<dir>/<name>.zip`. */
  readonly out?: string | undefined;
}

export interface BuildCommandDeps {
  readonly buildFunction: typeof buildFunction;
  readonly cwd: () => string;
}

/** The builder (and jco, which it loads) only for `build`: the other commands keep starting fast. */
const defaultDeps: BuildCommandDeps = {
  buildFunction: async (...args) => (await import('../../build/build-function.js')).buildFunction(...args),
  cwd: () => process.cwd(),
};

export function buildCommand(dir: string, options: BuildCommandOptions, ctx: CommandContext, deps: BuildCommandDeps = defaultDeps): Promise<number> {
  return runCommand(ctx, async () => {
    const progress = new BuildProgress({ write: (text) => ctx.output.err(text), tty: ctx.output.errIsTTY === true });
    let summary: BuildSummary;
    try {
      summary = await deps.buildFunction({ dir, out: options.out }, progress);
    } finally {
      progress.finish();
    }
    if (ctx.json) printJson(ctx, buildSummaryJson(summary));
    else ctx.output.out(formatBuildSummary(summary, deps.cwd()));
  });
}
