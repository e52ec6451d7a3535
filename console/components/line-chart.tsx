// A time-series chart drawn as SVG at the size of its box (no chart library, nothing from a CDN):
// gridlines with round values, one line per series (the first also shaded), and a crosshair that
// reads out every series at the pointer.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

export interface Series {
  readonly name: string;
  /** A CSS class naming its colour (.series-1 … .series-4 in styles.css). */
  readonly tone: string;
  /** One value per time; null where there is nothing to show (no requests, so no latency). */
  readonly values: readonly (number | null)[];
}

export interface LineChartProps {
  /** Names the chart for tests and readers: data-chart="requests". */
  readonly id: string;
  readonly title: string;
  /** The headline number beside the title (e.g. the total, or the latest p99). */
  readonly headline: string;
  readonly times: readonly string[];
  readonly series: readonly Series[];
  readonly format: (value: number) => string;
  /** The smallest top of the y axis (a flat zero line still shows a scale). */
  readonly minTop?: number;
  /** What the chart sums up (e.g. requests in the hour), for readers of the DOM: data-total. */
  readonly total?: number;
}

const height = 180;
const pad = { top: 12, right: 12, bottom: 24, left: 48 };

export function LineChart(props: LineChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box);
  const [hover, setHover] = useState<number | null>(null);
  const { times, series, format } = props;
  const count = times.length;
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const top = niceTop(Math.max(props.minTop ?? 1, ...all));
  const plotWidth = Math.max(1, width - pad.left - pad.right);
  const plotHeight = height - pad.top - pad.bottom;
  const x = (i: number) => pad.left + (count <= 1 ? plotWidth : (i / (count - 1)) * plotWidth);
  const y = (v: number) => pad.top + plotHeight - (v / top) * plotHeight;
  const ticks = tickValues(top);
  const timeFractions = plotWidth < 360 ? [0, 0.5, 1] : [0, 0.25, 0.5, 0.75, 1];
  const first = times[0] ? Date.parse(times[0]) : 0;
  const last = times[count - 1] ? Date.parse(times[count - 1]!) : 0;

  function onMove(event: MouseEvent) {
    if (count === 0) return;
    const rect = (event.currentTarget as SVGElement).getBoundingClientRect();
    const fraction = (event.clientX - rect.left - pad.left) / plotWidth;
    setHover(Math.min(count - 1, Math.max(0, Math.round(fraction * (count - 1)))));
  }

  return (
    <figure class="chart" data-chart={props.id} data-points={count} data-total={props.total}>
      <figcaption>
        <span class="chart-title">{props.title}</span>
        <span class="chart-headline">{props.headline}</span>
      </figcaption>
      <div class="chart-box" ref={box}>
        {width > 0 && (
          <svg width={width} height={height} onMouseMove={onMove} onMouseLeave={() => setHover(null)} role="img" aria-label={`${props.title}: ${props.headline}`}>
            {ticks.map((t) => (
              <g key={t} class="grid">
                <line x1={pad.left} x2={width - pad.right} y1={y(t)} y2={y(t)} />
                <text x={pad.left - 8} y={y(t) + 4} text-anchor="end">
                  {format(t)}
                </text>
              </g>
            ))}
            {count > 1 &&
              timeFractions.map((f) => (
                <text key={f} class="axis" x={pad.left + f * plotWidth} y={height - 6} text-anchor={f === 0 ? 'start' : f === 1 ? 'end' : 'middle'}>
                  {timeLabel(first + f * (last - first), last)}
                </text>
              ))}
            {series.map((s, index) => (
              <g key={s.name} class={`series ${s.tone}`}>
                {index === 0 && <path class="area" d={areaPath(s.values, x, y, pad.top + plotHeight)} />}
                <path class="line" d={linePath(s.values, x, y)} />
                {lonePoints(s.values).map((i) => (
                  <circle key={i} class="lone" cx={x(i)} cy={y(s.values[i]!)} r={2.5} />
                ))}
              </g>
            ))}
            {hover !== null && times[hover] !== undefined && (
              <g class="crosshair">
                <line x1={x(hover)} x2={x(hover)} y1={pad.top} y2={pad.top + plotHeight} />
                {series.map((s) => {
                  const v = s.values[hover];
                  return v === null || v === undefined ? null : <circle key={s.name} class={s.tone} cx={x(hover)} cy={y(v)} r={3.5} />;
                })}
              </g>
            )}
          </svg>
        )}
        {hover !== null && times[hover] !== undefined && (
          <div class={`chart-tip ${x(hover) > width / 2 ? 'left' : 'right'}`} data-x={Math.round(x(hover))}>
            <div class="tip-time">{new Date(times[hover]!).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</div>
            {series.map((s) => (
              <div key={s.name} class="tip-row">
                <i class={`swatch ${s.tone}`} />
                {s.name}
                <b>{s.values[hover] === null || s.values[hover] === undefined ? '–' : format(s.values[hover]!)}</b>
              </div>
            ))}
          </div>
        )}
      </div>
      {series.length > 1 && (
        <div class="legend">
          {series.map((s) => (
            <span key={s.name}>
              <i class={`swatch ${s.tone}`} />
              {s.name}
            </span>
          ))}
        </div>
      )}
    </figure>
  );
}

/** The box's width in CSS pixels, followed as the layout changes. */
function useWidth(ref: { current: HTMLElement | null }): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setWidth(Math.floor(element.clientWidth)));
    observer.observe(element);
    setWidth(Math.floor(element.clientWidth));
    return () => observer.disconnect();
  }, []);
  return width;
}

/** Gridline values from 0 to `top`: fifths of a 2.5 or 5 × 10^n top, quarters otherwise (all round numbers). */
function tickValues(top: number): number[] {
  const mantissa = top / 10 ** Math.floor(Math.log10(top));
  const steps = Math.abs(mantissa - 5) < 1e-9 || Math.abs(mantissa - 2.5) < 1e-9 ? 5 : 4;
  return Array.from({ length: steps + 1 }, (_, i) => (i / steps) * top);
}

/** Points with no neighbour to draw a line to: shown as dots, or a single minute of traffic would be invisible. */
function lonePoints(values: readonly (number | null)[]): number[] {
  const lone: number[] = [];
  values.forEach((v, i) => {
    if (v !== null && (values[i - 1] ?? null) === null && (values[i + 1] ?? null) === null) lone.push(i);
  });
  return lone;
}

/** The first of 1, 2, 2.5, 5 × 10^n at or above `value`: gridlines at round numbers. */
export function niceTop(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

function linePath(values: readonly (number | null)[], x: (i: number) => number, y: (v: number) => number): string {
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (v === null) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  });
  return d;
}

function areaPath(values: readonly (number | null)[], x: (i: number) => number, y: (v: number) => number, bottom: number): string {
  const points = values.map((v, i) => [x(i), y(v ?? 0)] as const);
  if (points.length < 2) return '';
  return `M${points[0]![0].toFixed(1)},${bottom}${points.map(([px, py]) => `L${px.toFixed(1)},${py.toFixed(1)}`).join('')}L${points[points.length - 1]![0].toFixed(1)},${bottom}Z`;
}

/** Minutes before the newest point, rounded to 5: "−60 min", "−30 min", "now". */
function timeLabel(at: number, now: number): string {
  const minutes = Math.round((now - at) / 300_000) * 5;
  return minutes === 0 ? 'now' : `−${minutes} min`;
}
