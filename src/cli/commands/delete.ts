// `wasmlet delete <name>`: DELETE /v1/functions/{name}.
import { printJson, withClient, type CommandContext } from '../command-context.js';
import { deletedLine } from '../format/function-lines.js';

export function deleteCommand(name: string, ctx: CommandContext): Promise<number> {
  return withClient(ctx, async (client) => {
    const result = await client.delete(name);
    if (ctx.json) printJson(ctx, result);
    else ctx.output.out(`${deletedLine(result.deleted)}\n`);
  });
}
