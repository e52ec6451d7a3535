// A function's last hour at a glance, for the functions table: one bar a minute (its calls), the
// failed part in red, and the hour's total beside it.
import type { StatsPoint } from '../wire-types.js';
import { formatCount } from '../format.js';

const width = 120;
const height = 26;

export function Sparkline({ points }: { points: readonly StatsPoint[] }) {
  const top = Math.max(1, ...points.map((p) => p.requests));
  const total = points.reduce((n, p) => n + p.requests, 0);
  const errors = points.reduce((n, p) => n + p.errors, 0);
  const slot = width / Math.max(1, points.length);
  const bar = Math.max(1, slot - 0.6);
  const scale = (n: number) => (n === 0 ? 0 : Math.max(1.5, (n / top) * height));
  return (
    <div class="spark" data-calls={total}>
      <svg width={width} height={height} aria-hidden="true">
        <line class="spark-base" x1={0} x2={width} y1={height - 0.5} y2={height - 0.5} />
        {points.map((p, i) =>
          p.requests === 0 ? null : (
            <g key={p.t}>
              <rect class="spark-ok" x={i * slot} y={height - scale(p.requests)} width={bar} height={scale(p.requests)} />
              {p.errors > 0 && <rect class="spark-bad" x={i * slot} y={height - scale(p.errors)} width={bar} height={scale(p.errors)} />}
            </g>
          ),
        )}
      </svg>
      <span class="spark-label">
        {total === 0 ? <span class="muted">idle</span> : `${formatCount(total)} ${total === 1 ? 'call' : 'calls'}`}
        {errors > 0 && <span class="spark-errors"> · {formatCount(errors)} failed</span>}
      </span>
    </div>
  );
}
