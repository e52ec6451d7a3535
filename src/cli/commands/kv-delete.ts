// `wasmlet kv delete <store> <key>`: DELETE /v1/kv/{store}/keys/{key}; a key that is not there fails (kv_key_not_found).
import { printJson, withClient, type CommandContext } from '../command-context.js';

export function kvDeleteCommand(store: string, key: string, ctx: CommandContext): Promise<number> {
  return withClient(ctx, async (client) => {
    const result = await client.kvDelete(store, key);
    if (ctx.json) printJson(ctx, result);
    else ctx.output.out(`deleted ${store}/${key}\n`);
  });
}
