// `wasmlet gc [--dry-run]`: POST /v1/gc[?dryRun=1]. Lists what goes (or would), largest first, then the total.
import type { GcReport } from '../../client/api-types.js';
import { printJson, withClient, type CommandContext } from '../command-context.js';
import { formatBytes } from '../format/build-summary.js';
import { alignColumns } from '../format/function-table.js';

export function gcCommand(options: { readonly dryRun: boolean }, ctx: CommandContext): Promise<number> {
  return withClient(ctx, async (client) => {
    const result = await client.gc({ dryRun: options.dryRun });
    if (ctx.json) printJson(ctx, result);
    else ctx.output.out(gcLines(result.gc));
  });
}

/**
 * @example
 * would remove  blob       blobs/sha256/1a2b…  1.0 MiB
 * would reclaim 1.0 MiB: 1 blob(s), 0 artifact directories, 0 temporary file(s); kept 4 blob(s), 2 artifact directories
 */
export function gcLines(report: GcReport): string {
  const verb = report.dryRun ? 'would remove' : 'removed';
  const rows = report.items.map((item) => [verb, item.kind, item.path, formatBytes(item.bytes)]);
  const listed = rows.length > 0 ? alignColumns(rows) : '';
  const omitted = report.itemsOmitted > 0 ? `… and ${report.itemsOmitted} more\n` : '';
  const { blobs, artifacts, temporary } = report.removed;
  const kept = `kept ${report.kept.blobs} blob(s), ${report.kept.artifacts} artifact director${report.kept.artifacts === 1 ? 'y' : 'ies'}`;
  const refused = report.refused ? `nothing removed: ${report.refused}\n` : '';
  if (blobs + artifacts + temporary === 0) return `${refused}nothing to collect; ${kept}\n`;
  const total = `${report.dryRun ? 'would reclaim' : 'reclaimed'} ${formatBytes(report.reclaimedBytes)}: ${blobs} blob(s), ${artifacts} artifact director${artifacts === 1 ? 'y' : 'ies'}, ${temporary} temporary file(s); ${kept}\n`;
  return `${listed}${omitted}${refused}${total}`;
}
