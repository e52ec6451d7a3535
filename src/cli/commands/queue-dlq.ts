// `wasmlet queue dlq <dlq>`: list a dead-letter queue's messages (GET /v1/queues/{dlq}/messages), or
// with --redrive move them back (POST /v1/queues/{dlq}/redrive) to their source queue or to --to.
import { WasmletError } from '../../errors/wasmlet-error.js';
import { printJson, withClient, type CommandContext } from '../command-context.js';
import { messageLines, redriveLine } from '../format/message-lines.js';

export interface QueueDlqOptions {
  readonly redrive?: boolean | undefined;
  /** With `redrive`: where to; by default the queue whose [[queue]] trigger dead-letters into this one. */
  readonly to?: string | undefined;
  /** How many messages to list (host default 20) or to move (host default 1000); at most 1000. */
  readonly limit?: number | undefined;
}

export function queueDlqCommand(dlq: string, options: QueueDlqOptions, ctx: CommandContext): Promise<number> {
  return withClient(ctx, async (client) => {
    if (options.to !== undefined && !options.redrive) throw new WasmletError('bad_request', '--to needs --redrive');
    if (options.redrive) {
      const result = await client.redrive(dlq, { to: options.to, limit: options.limit });
      if (ctx.json) printJson(ctx, result);
      else ctx.output.out(`${redriveLine(result)}\n`);
      return;
    }
    const result = await client.peek(dlq, { limit: options.limit });
    if (ctx.json) printJson(ctx, result);
    else ctx.output.out(messageLines(result.messages) || `no dead letters in ${result.queue}\n`);
  });
}
