// `wasmlet new <lang> <dir>`: a ready-to-build function folder from templates/<lang>/.
import { createFunction, type CreatedFunction } from '../../build/create-function.js';
import type { BuildLanguage } from '../../manifest/manifest.js';
import { printJson, runCommand, type CommandContext } from '../command-context.js';
import { displayPath } from '../format/build-summary.js';
import { alignColumns } from '../format/function-table.js';

export interface NewCommandOptions {
  /** The function name; default: the folder's name. */
  readonly name?: string | undefined;
}

export function newCommand(language: BuildLanguage, dir: string, options: NewCommandOptions, ctx: CommandContext, cwd: string = process.cwd()): Promise<number> {
  return runCommand(ctx, async () => {
    const created = await createFunction({ language, dir, name: options.name });
    if (ctx.json) printJson(ctx, created);
    else ctx.output.out(createdLines(created, cwd));
  });
}

/**
 * created f-rust (rust) in /tmp/f-rust: .cargo/config.toml, .gitignore, Cargo.toml, README.md, src/lib.rs, wasmlet.toml
 * next:
 *   wasmlet build /tmp/f-rust
 *   ...
 */
export function createdLines(created: CreatedFunction, cwd: string): string {
  const dir = displayPath(created.dir, cwd);
  const quoted = /^[\w./-]+$/.test(dir) ? dir : `'${dir.replaceAll("'", `'\\''`)}'`;
  const steps = alignColumns([
    ['  wasmlet build ' + quoted, '# the component and the bundle zip'],
    [`  (cd ${quoted} && ${created.testCommand.join(' ')})`, '# the unit tests, natively'],
    [`  wasmlet deploy ${quoted}/${created.name}.zip`, `# then: curl localhost:8080/${created.name}`],
  ]);
  return `created ${created.name} (${created.language}) in ${dir}: ${created.files.join(', ')}\nnext:\n${steps}`;
}
