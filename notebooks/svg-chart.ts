/**
 * Line charts as self-contained SVG strings for the notebooks (`tslab.display.html`): no network,
 * no browser-side script, so an executed notebook shows its plots anywhere, also on GitHub.
 */

export interface ChartLine {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  color?: string;
  dashed?: boolean;
  /** Draw a dot per point instead of a line (decisions, events). */
  dots?: boolean;
}

export interface ChartOptions {
  title: string;
  yLabel: string;
  width?: number;
  height?: number;
  /** x values are epoch ms: ticks on whole UTC hours, labelled with the UTC day and time. */
  timeAxis?: boolean;
  /** Start the y axis at 0 (default) or at the lowest value shown. */
  yFromZero?: boolean;
}

const palette = ['#4e79a7', '#e15759', '#59a14f', '#f28e2b', '#b07aa1', '#76b7b2', '#edc948', '#9c755f'];

/** Round tick positions covering [lo, hi], about `count` of them (steps of 1, 2 or 5 x 10^k). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

const HOUR = 3_600_000;

/** Ticks on whole UTC hours (1, 2, 3, 6, 12 or 24 h apart) covering [lo, hi] epoch ms, about `count` of them. */
export function hourTicks(lo: number, hi: number, count = 6): number[] {
  const step = ([1, 2, 3, 6, 12, 24].find((h) => (hi - lo) / (h * HOUR) <= count) ?? 24) * HOUR;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) ticks.push(t);
  return ticks;
}

/** 'MM-DD HH:MM' in UTC. */
export function utcLabel(ms: number): string {
  return new Date(ms).toISOString().slice(5, 16).replace('T', ' ');
}

export function lineChart(lines: readonly ChartLine[], options: ChartOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 280;
  const margin = { left: 64, right: 36, top: 26, bottom: 44 };
  const finite = (values: ArrayLike<number>) => Array.from(values).filter(Number.isFinite);
  const xs = lines.flatMap((l) => finite(l.x));
  const ys = lines.flatMap((l) => finite(l.y));
  if (xs.length === 0 || ys.length === 0) throw new RangeError(`chart '${options.title}' has no finite points`);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const yTicks = niceTicks(options.yFromZero === false ? Math.min(...ys) : Math.min(0, ...ys), Math.max(...ys));
  const [y0, y1] = [yTicks[0]!, Math.max(yTicks[yTicks.length - 1]!, ...ys)];
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const px = (x: number) => margin.left + (x1 === x0 ? plotW / 2 : ((x - x0) / (x1 - x0)) * plotW);
  const py = (y: number) => margin.top + plotH - (y1 === y0 ? plotH / 2 : ((y - y0) / (y1 - y0)) * plotH);
  const parts: string[] = [];
  for (const t of yTicks) {
    parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${py(t).toFixed(1)}" y2="${py(t).toFixed(1)}" stroke="#ddd"/>`);
    parts.push(`<text x="${margin.left - 6}" y="${(py(t) + 4).toFixed(1)}" text-anchor="end" font-size="10">${escape(String(t))}</text>`);
  }
  for (const t of options.timeAxis ? hourTicks(x0, x1) : niceTicks(x0, x1, 6)) {
    const label = options.timeAxis ? utcLabel(t) : String(t);
    parts.push(`<text x="${px(t).toFixed(1)}" y="${margin.top + plotH + 14}" text-anchor="middle" font-size="10">${escape(label)}</text>`);
  }
  let legendX = margin.left;
  lines.forEach((line, k) => {
    const color = line.color ?? palette[k % palette.length]!;
    const points: Array<[number, number]> = [];
    const flush = () => {
      if (points.length > 0 && !line.dots) {
        parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.5"${line.dashed ? ' stroke-dasharray="5 3"' : ''} points="${points.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' ')}"/>`);
      }
      points.length = 0;
    };
    for (let i = 0; i < Math.min(line.x.length, line.y.length); i++) {
      const [x, y] = [line.x[i]!, line.y[i]!];
      // A gap (NaN) breaks the line: nothing was observed there.
      if (!Number.isFinite(x) || !Number.isFinite(y)) flush();
      else if (line.dots) parts.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="2.5" fill="${color}"/>`);
      else points.push([px(x), py(y)]);
    }
    flush();
    parts.push(`<rect x="${legendX}" y="${height - 14}" width="10" height="10" fill="${color}"/><text x="${legendX + 14}" y="${height - 5}" font-size="10">${escape(line.label)}</text>`);
    // About 6 px per character at font size 10.
    legendX += 30 + line.label.length * 6;
  });
  parts.push(`<text x="${margin.left}" y="16" font-size="13" font-weight="bold">${escape(options.title)}</text>`);
  parts.push(`<text x="12" y="${margin.top + plotH / 2}" font-size="10" transform="rotate(-90 12 ${margin.top + plotH / 2})" text-anchor="middle">${escape(options.yLabel)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">${parts.join('')}</svg>`;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
