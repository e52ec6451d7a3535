// `wasmlet list`: GET /v1/functions.
import { printJson, withClient, type CommandContext } from '../command-context.js';
import { functionTable } from '../format/function-table.js';

export function listCommand(ctx: CommandContext): Promise<number> {
  return withClient(ctx, async (client) => {
    const result = await client.list();
    if (ctx.json) printJson(ctx, result);
    else ctx.output.out(functionTable(result.functions));
  });
}
