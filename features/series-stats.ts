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

export function min(values: ArrayLike<number>): number {
  let m = Number.NaN;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v) && !(v >= m)) m = v;
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

/** One clock bucket of heap used: its lowest value, and whether heap used fell in it (a collection ran there). */
export interface BucketLow {
  bucket: number;
  low: number;
  fell: boolean;
}

/**
 * The low point of heap used in each `bucketMs` clock bucket, oldest first. Heap right after a
 * collection (`heapAfterGc`) stands in for heap used where known and counts as a fall.
 */
export function bucketLows(t: ArrayLike<number>, heapUsed: ArrayLike<number>, heapAfterGc: ArrayLike<number>, bucketMs = 3_600_000): BucketLow[] {
  const lows = new Map<number, BucketLow>();
  let previous = Number.NaN;
  for (let i = 0; i < t.length; i++) {
    const afterGc = Number.isFinite(heapAfterGc[i]!);
    const v = afterGc ? heapAfterGc[i]! : heapUsed[i]!;
    if (!Number.isFinite(v)) continue;
    const bucket = Math.floor(t[i]! / bucketMs);
    const b = lows.get(bucket) ?? { bucket, low: v, fell: afterGc };
    b.low = Math.min(b.low, v);
    if (v < previous) b.fell = true;
    lows.set(bucket, b);
    previous = v;
  }
  return [...lows.values()].sort((a, b) => a.bucket - b.bucket);
}

/**
 * The live set's peak seen through a GC sawtooth: heap used right after collections where known,
 * else the largest low point of heap used among the `bucketMs` clock buckets in which heap used
 * fell (a collection ran there, so the bucket's low is close to the live set then). Buckets with
 * no fall only saw garbage pile up (a slow sawtooth) and say nothing; the sawtooth's top is
 * mostly garbage. Without any fall: the 5th percentile of heap used. NaN when nothing was seen.
 */
export function liveSetPeak(t: ArrayLike<number>, heapUsed: ArrayLike<number>, heapAfterGc: ArrayLike<number>, bucketMs = 3_600_000): number {
  const afterGc = max(heapAfterGc);
  if (Number.isFinite(afterGc)) return afterGc;
  let peak = Number.NaN;
  for (const b of bucketLows(t, heapUsed, heapAfterGc, bucketMs)) if (b.fell && !(b.low <= peak)) peak = b.low;
  return Number.isFinite(peak) ? peak : quantile(heapUsed, 0.05);
}

/**
 * The peak of a live set that rises and falls within the hour (a window filling for an hour, then
 * firing), which the hourly lows of liveSetPeak cannot see: an hour's low is then the cycle's
 * trough. Such a cycle repeats at the same minutes of every hour, while the garbage on top of the
 * live set at a given minute differs from hour to hour; so for each `sliceMs` slice of the hour,
 * the lowest heap used in that slice over `runHours` consecutive hours is the live set there, give
 * or take the least garbage seen, and the largest of those is the cycle's peak. NaN where the
 * after-GC heap is known (liveSetPeak is then exact) or no run of `runHours` hours was seen.
 * A garbage sawtooth as slow as the hour reads as live here too: the error is on the safe side.
 */
export function cyclicLiveSetPeak(t: ArrayLike<number>, heapUsed: ArrayLike<number>, heapAfterGc: ArrayLike<number>, runHours = 4, sliceMs = 600_000): number {
  if (Number.isFinite(max(heapAfterGc))) return Number.NaN;
  const hourMs = 3_600_000;
  // Per slice of the hour: the low of heap used in that slice, by hour.
  const slices = new Map<number, Map<number, number>>();
  for (let i = 0; i < t.length; i++) {
    const v = heapUsed[i]!;
    if (!Number.isFinite(v)) continue;
    const hour = Math.floor(t[i]! / hourMs);
    const slice = Math.floor((t[i]! - hour * hourMs) / sliceMs);
    const byHour = slices.get(slice) ?? new Map<number, number>();
    byHour.set(hour, Math.min(byHour.get(hour) ?? Number.POSITIVE_INFINITY, v));
    slices.set(slice, byHour);
  }
  let peak = Number.NaN;
  for (const byHour of slices.values()) {
    for (const start of byHour.keys()) {
      // A run with an hour missing says nothing (its low is NaN).
      let low = Number.POSITIVE_INFINITY;
      for (let h = start; h < start + runHours; h++) low = Math.min(low, byHour.get(h) ?? Number.NaN);
      if (Number.isFinite(low) && !(low <= peak)) peak = low;
    }
  }
  return peak;
}
