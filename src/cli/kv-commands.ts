// `wasmlet kv list|get|set|delete`: the command group for the key-value stores functions use
// (the rows of main.ts's usage table that start with `wasmlet kv`; each action is in ./commands/).
import { Option, type Command } from 'commander';
import { kvDeleteCommand } from './commands/kv-delete.js';
import { kvGetCommand } from './commands/kv-get.js';
import { kvListCommand } from './commands/kv-list.js';
import { kvSetCommand } from './commands/kv-set.js';
import { run } from './command-context.js';

/** Adds `wasmlet kv` and its subcommands to the command table. */
export function addKvCommands(program: Command): void {
  const kv = program.command('kv').description('inspect and edit the key-value stores functions use (wasi:keyvalue)');

  kv
    .command('list')
    .description('list the stores (keys, bytes, functions granted each), or every key of one store')
    .argument('[store]', 'store name (default: list the stores)')
    .option('--prefix <prefix>', 'with a store: only keys starting with this')
    .action((store: string | undefined, options: { prefix?: string }, command: Command) => {
      if (options.prefix !== undefined && store === undefined) command.error('--prefix needs a store');
      return run(command, (ctx) => kvListCommand(store, options, ctx));
    });

  kv
    .command('get')
    .description('print a value, its bytes as they are')
    .argument('<store>', 'store name')
    .argument('<key>', 'key')
    .action((store: string, key: string, _options, command: Command) => run(command, (ctx) => kvGetCommand(store, key, ctx)));

  kv
    .command('set')
    .description('create or replace a value')
    .argument('<store>', 'store name (it exists once a function listing it in key_value_stores is deployed)')
    .argument('<key>', 'key')
    .argument('[value]', 'the value as text')
    .addOption(new Option('--data-file <path>', "the value: the file's bytes"))
    .action((store: string, key: string, value: string | undefined, options: { dataFile?: string }, command: Command) => {
      if ((value === undefined) === (options.dataFile === undefined)) command.error('give the value as an argument or with --data-file (one of them)');
      return run(command, (ctx) => kvSetCommand(store, key, value, options, ctx));
    });

  kv
    .command('delete')
    .description('delete a key')
    .argument('<store>', 'store name')
    .argument('<key>', 'key')
    .action((store: string, key: string, _options, command: Command) => run(command, (ctx) => kvDeleteCommand(store, key, ctx)));
}
