/**
 * Flink's metric query semantics: without `get` the list of available ids; with `get` the
 * values as strings (unknown ids silently left out); aggregated endpoints return doubles for the
 * requested `agg` kinds (all when omitted; `skew` exists since 1.20). Bodies are bare JSON arrays, as on the wire.
 */
export function metricValues(available: ReadonlyMap<string, number>, get: string | null): unknown[] {
  if (get === null) return [...available.keys()].map((id) => ({ id }));
  const out: unknown[] = [];
  for (const id of splitList(get)) {
    const v = available.get(id);
    if (v !== undefined) out.push({ id, value: String(v) });
  }
  return out;
}

const AGGS = ['min', 'max', 'avg', 'sum', 'skew'] as const;

export function aggregatedValues(components: ReadonlyArray<ReadonlyMap<string, number>>, get: string | null, agg: string | null): unknown[] {
  if (get === null) {
    const ids = new Set<string>();
    for (const c of components) for (const id of c.keys()) ids.add(id);
    return [...ids].map((id) => ({ id }));
  }
  const kinds = agg === null ? [...AGGS] : splitList(agg).map((a) => a.toLowerCase()).filter((a): a is (typeof AGGS)[number] => (AGGS as readonly string[]).includes(a));
  const out: unknown[] = [];
  for (const id of splitList(get)) {
    const values = components.flatMap((c) => (c.has(id) ? [c.get(id)!] : []));
    if (values.length === 0) continue;
    const sum = values.reduce((s, v) => s + v, 0);
    const avg = sum / values.length;
    const max = Math.max(...values);
    const all: Record<(typeof AGGS)[number], number> = { min: Math.min(...values), max, avg, sum, skew: avg === 0 ? 0 : ((max - avg) / avg) * 100 };
    const row: Record<string, unknown> = { id };
    for (const k of kinds) row[k] = all[k];
    out.push(row);
  }
  return out;
}

/** Flink's subtask ranges: "0,2-5". */
export function parseRanges(text: string | null, size: number): number[] {
  if (text === null) return Array.from({ length: size }, (_, i) => i);
  const out = new Set<number>();
  for (const part of splitList(text)) {
    const [a, b] = part.split('-').map((x) => Number.parseInt(x, 10));
    if (a === undefined || Number.isNaN(a)) continue;
    for (let i = a; i <= (b ?? a) && i < size; i++) out.add(i);
  }
  return [...out].sort((x, y) => x - y);
}

export function splitList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}
