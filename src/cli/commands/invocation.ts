// `wasmlet invocation <id>`: GET /v1/invocations/{id}, the state of an async invocation.
import { printJson, withClient, type CommandContext } from '../command-context.js';
import { invocationLines } from '../format/invocation-lines.js';

/** Exits 0 whatever the invocation's state: the command reports it; `failed` is an answer, not an error. */
export function invocationCommand(id: string, ctx: CommandContext): Promise<number> {
  return withClient(ctx, async (client) => {
    const result = await client.invocation(id);
    if (ctx.json) printJson(ctx, result);
    else ctx.output.out(invocationLines(result.invocation));
  });
}
