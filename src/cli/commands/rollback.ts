// `wasmlet rollback <name>`: POST /v1/functions/{name}/rollback.
import { printJson, withClient, type CommandContext } from '../command-context.js';
import { rolledBackLine } from '../format/function-lines.js';

export function rollbackCommand(name: string, ctx: CommandContext): Promise<number> {
  return withClient(ctx, async (client) => {
    const result = await client.rollback(name);
    if (ctx.json) printJson(ctx, result);
    else ctx.output.out(`${rolledBackLine(result.function)}\n`);
  });
}
