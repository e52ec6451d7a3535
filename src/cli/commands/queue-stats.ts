// `wasmlet queue stats [queue]`: GET /v1/queues (every queue) or GET /v1/queues/{queue} (one, with its consumer).
import { printJson, withClient, type CommandContext } from '../command-context.js';
import { queueStatsTable, queueTable } from '../format/queue-table.js';

export function queueStatsCommand(queue: string | undefined, ctx: CommandContext): Promise<number> {
  return withClient(ctx, async (client) => {
    if (queue === undefined) {
      const result = await client.queues();
      if (ctx.json) printJson(ctx, result);
      else ctx.output.out(queueTable(result.queues));
      return;
    }
    const result = await client.queueStats(queue);
    if (ctx.json) printJson(ctx, result);
    else ctx.output.out(queueStatsTable(result));
  });
}
