// `wasmlet logs <name> [--limit <n>]`: GET /v1/functions/{name}/logs.
import { printJson, withClient, type CommandContext } from '../command-context.js';
import { logLines } from '../format/log-lines.js';

export interface LogsOptions {
  readonly limit?: number | undefined;
}

export function logsCommand(name: string, options: LogsOptions, ctx: CommandContext): Promise<number> {
  return withClient(ctx, async (client) => {
    const result = await client.logs(name, { limit: options.limit });
    if (ctx.json) printJson(ctx, result);
    else ctx.output.out(logLines(result.logs));
  });
}
