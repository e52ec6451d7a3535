// `wasmlet queue peek <queue> [--limit n]`: GET /v1/queues/{queue}/messages, the oldest messages without leasing them.
import { printJson, withClient, type CommandContext } from '../command-context.js';
import { messageLines } from '../format/message-lines.js';

export interface QueuePeekOptions {
  /** How many messages (host default 20, at most 1000). */
  readonly limit?: number | undefined;
}

export function queuePeekCommand(queue: string, options: QueuePeekOptions, ctx: CommandContext): Promise<number> {
  return withClient(ctx, async (client) => {
    const result = await client.peek(queue, { limit: options.limit });
    if (ctx.json) printJson(ctx, result);
    else ctx.output.out(messageLines(result.messages) || `queue ${result.queue} is empty\n`);
  });
}
