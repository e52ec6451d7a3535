// `wasmlet kv set <store> <key> (<value> | --data-file <path>)`: PUT /v1/kv/{store}/keys/{key}.
import { WasmletError } from '../../errors/wasmlet-error.js';
import { printJson, withClient, type CommandContext } from '../command-context.js';
import { readPayload } from '../read-payload.js';

export interface KvSetOptions {
  /** The value's bytes from this file instead of the argument. */
  readonly dataFile?: string | undefined;
}

export function kvSetCommand(store: string, key: string, value: string | undefined, options: KvSetOptions, ctx: CommandContext): Promise<number> {
  return withClient(ctx, async (client) => {
    if (value !== undefined && options.dataFile !== undefined) throw new WasmletError('bad_request', 'give the value as an argument or with --data-file, not both');
    if (value === undefined && options.dataFile === undefined) throw new WasmletError('bad_request', 'give the value as an argument or with --data-file');
    const result = await client.kvSet(store, key, await readPayload({ data: value, dataFile: options.dataFile }));
    if (ctx.json) printJson(ctx, result);
    else ctx.output.out(`${result.created ? 'created' : 'replaced'} ${store}/${key} (${result.bytes} bytes)\n`);
  });
}
