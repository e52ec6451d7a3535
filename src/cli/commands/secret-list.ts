// `wasmlet secret list`: GET /v1/secrets — names, dates and who reads each one; never a value.
import type { SecretListing } from '../../client/api-types.js';
import { printJson, withClient, type CommandContext } from '../command-context.js';
import { alignColumns, formatTime } from '../format/function-table.js';

export function secretListCommand(ctx: CommandContext): Promise<number> {
  return withClient(ctx, async (client) => {
    const result = await client.secrets();
    if (ctx.json) printJson(ctx, result);
    else ctx.output.out(secretTable(result.secrets));
  });
}

/** NAME  UPDATED  CREATED  USED BY (`fn:key, …`, `-` for none). */
export function secretTable(secrets: readonly SecretListing[]): string {
  if (secrets.length === 0) return 'no secrets\n';
  const rows = secrets.map((s) => [s.name, formatTime(s.updatedAt), formatTime(s.createdAt), s.usedBy.length === 0 ? '-' : s.usedBy.map((u) => `${u.function}:${u.key}`).join(', ')]);
  return alignColumns([['NAME', 'UPDATED', 'CREATED', 'USED BY'], ...rows]);
}
