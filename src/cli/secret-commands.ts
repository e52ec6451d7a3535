// `wasmlet secret set|list|delete`: the command group for the secrets functions read through [config]
// (the rows of main.ts's usage table that start with `wasmlet secret`; each action is in ./commands/).
import type { Command } from 'commander';
import { secretDeleteCommand } from './commands/secret-delete.js';
import { secretListCommand } from './commands/secret-list.js';
import { secretSetCommand } from './commands/secret-set.js';
import { run } from './command-context.js';

/** Adds `wasmlet secret` and its subcommands to the command table. */
export function addSecretCommands(program: Command): void {
  const secret = program.command('secret').description('set, list and delete the secrets functions read through [config] (values are never shown)');

  secret
    .command('set')
    .description('create or replace a secret; the value is read from stdin (one trailing newline dropped), or typed without echo at a terminal')
    .argument('<name>', 'secret name: upper-case letters, digits and "_", e.g. STRIPE_KEY')
    .action((name: string, _options, command: Command) => run(command, (ctx) => secretSetCommand(name, ctx)));

  secret
    .command('list')
    .description('list the secrets: names, dates and the functions that read them')
    .action((_options, command: Command) => run(command, (ctx) => secretListCommand(ctx)));

  secret
    .command('delete')
    .description('delete a secret (refused while a deployed function reads it)')
    .argument('<name>', 'secret name')
    .action((name: string, _options, command: Command) => run(command, (ctx) => secretDeleteCommand(name, ctx)));
}
