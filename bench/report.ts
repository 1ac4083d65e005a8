/** One figure a benchmark measured; rows that compare two things carry the ratio. */
export interface BenchRow {
  area: string;
  case: string;
  metric: string;
  value: number;
  unit: string;
  /** e.g. { vs: 'cpu backend', value: 4.1 } meaning "4.1x the reference". */
  ratio?: { vs: string; value: number };
}

export interface Bench {
  area: string;
  /** Runs the benchmark and returns its rows. `quick` shrinks sizes for a smoke run. */
  run(options: { quick: boolean }): Promise<BenchRow[]>;
}

export function formatRows(rows: BenchRow[]): string {
  const header = ['area', 'case', 'metric', 'value', 'unit', 'ratio'];
  const body = rows.map((r) => [
    r.area,
    r.case,
    r.metric,
    formatNumber(r.value),
    r.unit,
    r.ratio ? `${formatNumber(r.ratio.value)}x vs ${r.ratio.vs}` : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  return n.toPrecision(3);
}
