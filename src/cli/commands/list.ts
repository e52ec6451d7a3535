// `wasmlet list`: GET /v1/functions; then the quarantined functions (damaged registry files), each with its reason.
import { printJson, withClient, type CommandContext } from '../command-context.js';
import { functionTable } from '../format/function-table.js';

export function listCommand(ctx: CommandContext): Promise<number> {
  return withClient(ctx, async (client) => {
    const result = await client.list();
    if (ctx.json) {
      printJson(ctx, result);
      return;
    }
    ctx.output.out(functionTable(result.functions));
    const quarantined = result.quarantined ?? [];
    if (quarantined.length > 0) ctx.output.out(`\nquarantined (not served; repair the file and restart, or wasmlet delete <name>):\n`);
    for (const fn of quarantined) ctx.output.out(`${fn.name}  ${fn.file}: ${fn.reason}\n`);
  });
}
