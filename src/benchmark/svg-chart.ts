// One SVG chart of measurements, shared by the host's suite (bench/chart.ts) and `wasmlet bench <target>`:
// a row per measurement, grouped; left, latency p50 (dark bar) and p99 (light bar beyond it) on a log
// scale; right, the rate (rps, msg/s, ...) on a log scale; baselines in grey. Hand-written SVG: no
// dependency, opens in any browser.

export interface ChartRow {
  readonly label: string;
  /** Latency in ms; p99 absent for single measurements (deploy times). */
  readonly p50Ms?: number | undefined;
  readonly p99Ms?: number | undefined;
  readonly rate?: number | undefined;
  /** What `rate` counts, printed after its value: "rps", "msg/s", "/s per core". */
  readonly rateUnit?: string;
  /** Baselines are drawn in grey, so the candidates stand out next to them. */
  readonly baseline?: boolean;
}

export interface ChartGroup {
  readonly title: string;
  readonly rows: readonly ChartRow[];
}

const width = 1200;
const rowHeight = 20;
const groupGap = 12;
const top = 86;
const labelRight = 330;
const latency = { left: 340, right: 790 };
const rate = { left: 840, right: 1180 };
/** Bars end at most this far into their panel, so the value printed after them fits. */
const barRoom = 0.78;
/** Characters of a footnote line: bold 12 px text across the chart's width. */
const footnoteChars = 160;
const colors = { p50: '#1f5fa8', p99: '#9cc3ec', base50: '#666', base99: '#c8c8c8', rate: '#2e8b57', baseRate: '#9a9a9a', grid: '#e2e2e2', shade: '#f6f8fb' };

export interface GroupsChart {
  /** First line, bold. */
  readonly title: string;
  /** Second line: where the numbers came from. */
  readonly subtitle: string;
  readonly groups: readonly ChartGroup[];
  /** A last line under the rows (a conclusion too long for the subtitle). */
  readonly footnote?: string | undefined;
}

export function renderGroupsChart(chart: GroupsChart): string {
  const groups = chart.groups.filter((group) => group.rows.length > 0);
  const latencies = groups.flatMap((g) => g.rows.flatMap((r) => [r.p50Ms, r.p99Ms])).filter(isPositive);
  const rates = groups.flatMap((g) => g.rows.map((r) => r.rate)).filter(isPositive);
  const latencyScale = logScale(latencies, latency.left, latency.right);
  const rateScale = logScale(rates, rate.left, rate.right);
  const rowsHeight = groups.reduce((sum, g) => sum + (g.rows.length + 1) * rowHeight + groupGap, 0);
  const footnote = chart.footnote ? wrap(chart.footnote, footnoteChars) : [];
  const height = top + rowsHeight + 40 + footnote.length * rowHeight;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`);
  out.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  out.push(text(10, 22, chart.title, 'font-size="16" font-weight="bold"'));
  out.push(text(10, 40, chart.subtitle, 'fill="#555"'));
  out.push(legend(latency.left, 60));
  out.push(text(rate.left, 60, 'rate (log scale)', 'font-weight="bold"'));
  out.push(axis(latencyScale, top, top + rowsHeight, formatMs));
  out.push(axis(rateScale, top, top + rowsHeight, formatCount));
  let y = top;
  for (const group of groups) {
    out.push(text(10, y + 14, group.title, 'font-weight="bold"'));
    y += rowHeight;
    group.rows.forEach((row, index) => {
      if (index % 2 === 0) out.push(`<rect x="0" y="${y}" width="${width}" height="${rowHeight}" fill="${colors.shade}" fill-opacity="0.8"/>`);
      out.push(text(labelRight, y + 14, row.label, 'text-anchor="end"'));
      out.push(latencyBars(row, y, latencyScale));
      if (isPositive(row.rate)) {
        const x = rateScale.at(row.rate);
        out.push(`<rect x="${rate.left}" y="${y + 4}" width="${Math.max(1, x - rate.left).toFixed(1)}" height="${rowHeight - 8}" fill="${row.baseline ? colors.baseRate : colors.rate}"/>`);
        out.push(text(x + 4, y + 14, `${formatCount(row.rate)} ${row.rateUnit ?? ''}`, 'fill="#333"'));
      }
      y += rowHeight;
    });
    y += groupGap;
  }
  footnote.forEach((line, index) => out.push(text(10, y + 14 + index * rowHeight, line, 'font-weight="bold"')));
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function latencyBars(row: ChartRow, y: number, scale: LogScale): string {
  // autocannon counts whole milliseconds: 0 means "under 1 ms", which a log scale cannot place.
  if (row.p50Ms === 0) return text(latency.left + 4, y + 14, `< 1 ms${isPositive(row.p99Ms) ? ` / ${formatMs(row.p99Ms)}` : ''}`, 'fill="#333"');
  if (!isPositive(row.p50Ms)) return '';
  const parts: string[] = [];
  const x50 = scale.at(row.p50Ms);
  const x99 = isPositive(row.p99Ms) ? scale.at(row.p99Ms) : x50;
  if (x99 > x50) parts.push(`<rect x="${x50.toFixed(1)}" y="${y + 5}" width="${(x99 - x50).toFixed(1)}" height="${rowHeight - 10}" fill="${row.baseline ? colors.base99 : colors.p99}"/>`);
  parts.push(`<rect x="${latency.left}" y="${y + 4}" width="${Math.max(1, x50 - latency.left).toFixed(1)}" height="${rowHeight - 8}" fill="${row.baseline ? colors.base50 : colors.p50}"/>`);
  const value = isPositive(row.p99Ms) ? `${formatMs(row.p50Ms)} / ${formatMs(row.p99Ms)}` : formatMs(row.p50Ms);
  parts.push(text(Math.max(x50, x99) + 4, y + 14, value, 'fill="#333"'));
  return parts.join('');
}

function legend(x: number, y: number): string {
  return [
    text(x, y, 'latency (log scale):', 'font-weight="bold"'),
    `<rect x="${x + 140}" y="${y - 10}" width="14" height="12" fill="${colors.p50}"/>`,
    text(x + 158, y, 'p50'),
    `<rect x="${x + 190}" y="${y - 10}" width="14" height="12" fill="${colors.p99}"/>`,
    text(x + 208, y, 'p50 → p99   (label: p50 / p99)'),
  ].join('');
}

interface LogScale {
  readonly decades: readonly number[];
  at(value: number): number;
}

/** Whole decades around the data; the largest value lands at `barRoom` of the panel. */
function logScale(values: readonly number[], left: number, right: number): LogScale {
  const low = Math.floor(Math.log10(values.length > 0 ? Math.min(...values) : 1));
  const high = Math.max(low + 1, Math.ceil(Math.log10(values.length > 0 ? Math.max(...values) : 10)));
  const span = (right - left) * barRoom;
  const decades = Array.from({ length: high - low + 1 }, (_, i) => 10 ** (low + i));
  return { decades, at: (value) => left + ((Math.log10(value) - low) / (high - low)) * span };
}

function axis(scale: LogScale, y0: number, y1: number, format: (value: number) => string): string {
  return scale.decades
    .map((decade) => {
      const x = scale.at(decade).toFixed(1);
      return `<line x1="${x}" y1="${y0 - 6}" x2="${x}" y2="${y1}" stroke="${colors.grid}"/>` + text(Number(x), y0 - 9, format(decade), 'text-anchor="middle" fill="#777" font-size="10"');
    })
    .join('\n');
}

function formatMs(ms: number): string {
  if (ms >= 1000) return `${trim(ms / 1000)} s`;
  if (ms >= 1) return `${trim(ms)} ms`;
  return `${trim(ms * 1000)} µs`;
}

function formatCount(value: number): string {
  if (value >= 1e6) return `${trim(value / 1e6)}M`;
  if (value >= 1e3) return `${trim(value / 1e3)}k`;
  return trim(value);
}

/** Three significant digits at most, no trailing zeros. */
function trim(value: number): string {
  return Number(value.toPrecision(value >= 100 ? Math.max(3, Math.ceil(Math.log10(value + 1))) : 3)).toString();
}

function text(x: number, y: number, content: string, attributes = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y}" ${attributes}>${escapeXml(content)}</text>`;
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function isPositive(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value) && value > 0;
}

/** Lines of at most `width` characters, broken at spaces. */
function wrap(line: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of line.split(' ')) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(current);
  return lines;
}
