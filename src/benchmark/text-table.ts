// Plain-text tables with aligned columns: numbers right-aligned, the first column left-aligned.

export function textTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd();
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

/** A number with a fixed count of decimals; NaN and undefined print as "–". */
export function fixed(value: number | undefined, decimals = 0): string {
  return value === undefined || Number.isNaN(value) ? '–' : value.toFixed(decimals);
}

/** A share (0..1) as a whole percentage, e.g. "12%". */
export function percent(share: number): string {
  return Number.isNaN(share) ? '–' : `${(share * 100).toFixed(0)}%`;
}

/** A ratio such as "1.23×". */
export function times(value: number): string {
  return Number.isNaN(value) ? '–' : `${value.toFixed(value < 10 ? 2 : 1)}×`;
}
