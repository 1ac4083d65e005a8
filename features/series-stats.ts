/** Small statistics over typed arrays; NaN entries are ignored (a metric missing at a sample). */

export function finiteValues(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) out[n++] = v;
  }
  return out.subarray(0, n);
}

/** Quantiles with linear interpolation (numpy's default, DuckDB's quantile_cont); NaN when empty. */
export function quantiles(values: ArrayLike<number>, qs: readonly number[]): number[] {
  const sorted = finiteValues(values).slice().sort();
  return qs.map((q) => quantileOfSorted(sorted, q));
}

export function quantile(values: ArrayLike<number>, q: number): number {
  return quantiles(values, [q])[0]!;
}

export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function max(values: ArrayLike<number>): number {
  let m = Number.NaN;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v) && !(v <= m)) m = v;
  }
  return m;
}

export function mean(values: ArrayLike<number>): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) {
      s += v;
      n++;
    }
  }
  return n === 0 ? Number.NaN : s / n;
}

export function last(values: ArrayLike<number>): number {
  for (let i = values.length - 1; i >= 0; i--) if (Number.isFinite(values[i]!)) return values[i]!;
  return Number.NaN;
}

/**
 * Exponentially weighted moving average, oldest to newest: s = alpha*x + (1-alpha)*s.
 * alpha in (0, 1]: larger follows the latest samples more closely.
 */
export function ewma(values: ArrayLike<number>, alpha: number): number {
  if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`EWMA factor must be in (0, 1], got ${alpha}`);
  let s = Number.NaN;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    s = Number.isNaN(s) ? v : alpha * v + (1 - alpha) * s;
  }
  return s;
}

/** Least-squares slope of y over x (units of y per unit of x); 0 with fewer than two points. */
export function slope(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(y[i]!)) continue;
    n++;
    sx += x[i]!;
    sy += y[i]!;
  }
  if (n < 2) return 0;
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(y[i]!)) continue;
    num += (x[i]! - mx) * (y[i]! - my);
    den += (x[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
