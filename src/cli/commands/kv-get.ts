// `wasmlet kv get <store> <key>`: GET /v1/kv/{store}/keys/{key}, the value's bytes as they are on stdout.
import { printJson, withClient, type CommandContext } from '../command-context.js';

export function kvGetCommand(store: string, key: string, ctx: CommandContext): Promise<number> {
  return withClient(ctx, async (client) => {
    const value = await client.kvGet(store, key);
    // The API answers raw bytes; --json wraps them so any bytes survive a JSON line.
    if (ctx.json) printJson(ctx, { store, key, bytes: value.byteLength, text: textOf(value), base64: Buffer.from(value).toString('base64') });
    else ctx.output.out(value);
  });
}

/** The value as text when it is UTF-8, else null (then read base64). */
function textOf(value: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(value);
  } catch {
    return null;
  }
}
