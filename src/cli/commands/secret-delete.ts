// `wasmlet secret delete <name>`: DELETE /v1/secrets/{name}; refused while a deployed function reads it.
import { printJson, withClient, type CommandContext } from '../command-context.js';

export function secretDeleteCommand(name: string, ctx: CommandContext): Promise<number> {
  return withClient(ctx, async (client) => {
    const result = await client.deleteSecret(name);
    if (ctx.json) printJson(ctx, result);
    else ctx.output.out(`deleted secret ${result.deleted}\n`);
  });
}
