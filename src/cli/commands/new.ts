// `wasmlet new <template> <dir>`: a ready-to-build function folder from templates/<template>/.
import { createFunction, templateLanguages, type CreatedFunction, type TemplateName } from '../../build/create-function.js';
import { printJson, runCommand, type CommandContext } from '../command-context.js';
import { displayPath } from '../format/build-summary.js';
import { alignColumns } from '../format/function-table.js';

export interface NewCommandOptions {
  /** The function name; default: the folder's name. */
  readonly name?: string | undefined;
}

/** @example await newCommand('js-http', 'my-fn', {}, ctx); // created my-fn (js-http, js) in my-fn: … */
export function newCommand(template: TemplateName, dir: string, options: NewCommandOptions, ctx: CommandContext, cwd: string = process.cwd()): Promise<number> {
  return runCommand(ctx, async () => {
    const created = await createFunction({ language: template, dir, name: options.name });
    if (ctx.json) printJson(ctx, { ...created, template });
    else ctx.output.out(createdLines(created, cwd, template));
  });
}

/**
 * created f-rust (rust) in /tmp/f-rust: .cargo/config.toml, .gitignore, Cargo.toml, README.md, src/lib.rs, wasmlet.toml
 * next:
 *   wasmlet build /tmp/f-rust
 *   ...
 */
export function createdLines(created: CreatedFunction, cwd: string, template: TemplateName = created.language): string {
  const dir = displayPath(created.dir, cwd);
  const quoted = /^[\w./-]+$/.test(dir) ? dir : `'${dir.replaceAll("'", `'\\''`)}'`;
  const steps = alignColumns([
    ['  wasmlet build ' + quoted, '# the component and the bundle zip'],
    [`  (cd ${quoted} && ${created.testCommand.join(' ')})`, '# the unit tests, natively'],
    [`  wasmlet deploy ${quoted}/${created.name}.zip`, `# then: curl localhost:8080/${created.name}`],
  ]);
  // A variant's name does not always say its language (the recipe that builds it): name both.
  const kind = templateLanguages[template] === template ? template : `${template}, ${created.language}`;
  return `created ${created.name} (${kind}) in ${dir}: ${created.files.join(', ')}\nnext:\n${steps}`;
}
