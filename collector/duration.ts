const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses a CLI duration such as `500ms`, `30s`, `10m`, `2h`, `7d` (a bare number is seconds) to milliseconds. */
export function parseDuration(text: string, what = 'duration'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|d|w)?\s*$/i.exec(text);
  if (!m) throw new Error(`${what} '${text}' is not a duration like 30s, 10m, 2h or 7d`);
  const ms = Number(m[1]) * units[(m[2] ?? 's').toLowerCase()]!;
  if (!(ms > 0)) throw new Error(`${what} '${text}' must be positive`);
  return Math.round(ms);
}
