// `wasmlet deploy <path>`: pack a folder (or take a .zip) and POST it to /v1/functions.
import { packFunction } from '../../bundle/pack-function.js';
import { printJson, withClient, type CommandContext } from '../command-context.js';
import { deployedLine } from '../format/function-lines.js';

export function deployCommand(path: string, ctx: CommandContext): Promise<number> {
  return withClient(ctx, async (client) => {
    const result = await client.deploy(await packFunction(path));
    if (ctx.json) printJson(ctx, result);
    else ctx.output.out(`${deployedLine(result)}\n`);
  });
}
