// `wasmlet queue send|stats|peek|dlq`: the command group that sends to, inspects and redrives the host's queues
// (the rows of main.ts's usage table that start with `wasmlet queue`; each action is in ./commands/).
import { Option, type Command } from 'commander';
import { queueDlqCommand } from './commands/queue-dlq.js';
import { queuePeekCommand } from './commands/queue-peek.js';
import { queueSendCommand } from './commands/queue-send.js';
import { queueStatsCommand } from './commands/queue-stats.js';
import { run } from './command-context.js';
import { parseKeyValue, parseNonNegativeInteger, parsePositiveInteger } from './option-parsers.js';

/** Adds `wasmlet queue` and its subcommands to the command table. */
export function addQueueCommands(program: Command): void {
  const queue = program.command('queue').description("send to, inspect and redrive the host's queues");

  queue
    .command('send')
    .description('send one message, or a batch of them (one body per line of --batch-file); prints the new ids')
    .argument('<queue>', 'queue name')
    .option('--data <text>', 'the body as text')
    .addOption(new Option('--data-file <path>', "the body: the file's bytes").conflicts('data'))
    .addOption(new Option('--batch-file <path>', 'one message per non-empty line (e.g. JSON Lines), sent as one batch').conflicts(['data', 'dataFile']))
    .option('--delay-ms <n>', 'deliverable only after this many milliseconds', parseNonNegativeInteger)
    .option('--attribute <key=value>', 'a message attribute; repeat for more', parseKeyValue)
    .option('--content-type <type>', 'kept as the content-type attribute (one message: default application/octet-stream)')
    .action((name: string, options: { data?: string; dataFile?: string; batchFile?: string }, command: Command) => {
      if (options.data === undefined && options.dataFile === undefined && options.batchFile === undefined) {
        command.error('give the message with --data, --data-file or --batch-file');
      }
      return run(command, (ctx) => queueSendCommand(name, options, ctx));
    });

  queue
    .command('stats')
    .description('message counts and the age of the oldest message, of every queue or one (with its consumer)')
    .argument('[queue]', 'queue name (default: every queue holding messages)')
    .action((name: string | undefined, _options, command: Command) => run(command, (ctx) => queueStatsCommand(name, ctx)));

  queue
    .command('peek')
    .description("show a queue's oldest messages, whatever their state, without taking them")
    .argument('<queue>', 'queue name')
    .option('--limit <n>', 'how many messages (host default 20, at most 1000)', parsePositiveInteger)
    .action((name: string, options, command: Command) => run(command, (ctx) => queuePeekCommand(name, options, ctx)));

  queue
    .command('dlq')
    .description('show the messages of a dead-letter queue, or --redrive them to their source queue')
    .argument('<dlq>', 'dead-letter queue name (a [[queue]] trigger\'s dead_letter, by default <queue>-dlq)')
    .option('--redrive', 'move the messages back, each with a fresh retry budget', false)
    .option('--to <queue>', 'with --redrive: move them here instead of the source queue')
    .option('--limit <n>', 'how many messages to show (default 20) or move (default 1000); at most 1000', parsePositiveInteger)
    .action((name: string, options: { redrive: boolean; to?: string; limit?: number }, command: Command) => {
      if (options.to !== undefined && !options.redrive) command.error('--to needs --redrive');
      return run(command, (ctx) => queueDlqCommand(name, options, ctx));
    });
}
