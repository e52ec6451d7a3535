// `wasmlet kv list [store]`: GET /v1/kv (every store: keys, bytes, who is granted it), or the keys of
// one store, every page (GET /v1/kv/{store}/keys, following the cursor), one key a line.
import type { KvStoreInfo } from '../../client/api-types.js';
import { printJson, withClient, type CommandContext } from '../command-context.js';
import { alignColumns } from '../format/function-table.js';

export interface KvListOptions {
  /** Only keys starting with this. */
  readonly prefix?: string | undefined;
}

export function kvListCommand(store: string | undefined, options: KvListOptions, ctx: CommandContext): Promise<number> {
  return withClient(ctx, async (client) => {
    if (store === undefined) {
      const result = await client.kvStores();
      if (ctx.json) printJson(ctx, result);
      else ctx.output.out(kvStoreTable(result.stores));
      return;
    }
    const keys: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.kvKeys(store, { prefix: options.prefix, cursor });
      keys.push(...page.keys);
      cursor = page.cursor;
    } while (cursor !== undefined);
    if (ctx.json) printJson(ctx, { store, keys });
    // A key may hold any character but NUL: a line each, as JSON strings only when a newline would split one.
    else ctx.output.out(keys.map((key) => `${/[\n\r]/.test(key) ? JSON.stringify(key) : key}\n`).join(''));
  });
}

/** STORE  KEYS  BYTES  GRANTED TO (`-` for none). */
export function kvStoreTable(stores: readonly KvStoreInfo[]): string {
  if (stores.length === 0) return 'no key-value stores (one is created when a function listing it in key_value_stores is deployed)\n';
  const rows = stores.map((s) => [s.name, String(s.keys), String(s.bytes), s.grantedTo.length === 0 ? '-' : s.grantedTo.join(', ')]);
  return alignColumns([['STORE', 'KEYS', 'BYTES', 'GRANTED TO'], ...rows]);
}
