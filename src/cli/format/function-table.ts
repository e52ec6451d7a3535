// `wasmlet list`: the deployed functions as an aligned table.
import type { FunctionInfo } from '../../client/api-types.js';
import { formatRoutes } from './function-lines.js';

const columnGap = '  ';

export function functionTable(functions: readonly FunctionInfo[]): string {
  if (functions.length === 0) return 'no functions deployed\n';
  const rows = functions.map((fn) => [fn.name, `v${fn.version}`, formatRoutes(fn.routes), formatTime(fn.deployedAt)]);
  return alignColumns([['NAME', 'VERSION', 'ROUTES', 'DEPLOYED'], ...rows]);
}

/** Pads every column but the last to its widest cell; one line per row. */
export function alignColumns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  const lines = rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - [...cell].length)))
      .join(columnGap)
      .trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}

/** `2026-11-27T19:23:37Z`: milliseconds are noise in a listing. */
export function formatTime(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z');
}
