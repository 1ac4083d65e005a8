import type { JobSeries, PredictedPool } from '../../features/job-series.ts';

/** Kubernetes VPA recommender defaults for memory (anchors.md 2.1). */
export const vpaDefaults = { percentile: 0.9, margin: 0.15, intervalMs: 24 * 3_600_000, intervals: 8, halfLifeMs: 24 * 3_600_000 };

/**
 * A VPA-style recommendation per pool: one peak per 24 h interval over the last 8 days, weighted
 * by a 24 h half-life decay, the weighted p90 of those peaks, +15%. (VPA's exponential histogram
 * buckets, +5% wide, are left out: they only round the answer up by under 5%.)
 */
export function vpaRecommendation(series: JobSeries, options = vpaDefaults): Record<PredictedPool, number> {
  const end = series.t[series.t.length - 1] ?? 0;
  const pool = (values: Float64Array) => {
    const peaks = new Map<number, number>();
    for (let i = 0; i < series.t.length; i++) {
      const age = end - series.t[i]!;
      const v = values[i]!;
      if (age >= options.intervalMs * options.intervals || !Number.isFinite(v)) continue;
      const bucket = Math.floor(age / options.intervalMs);
      peaks.set(bucket, Math.max(peaks.get(bucket) ?? 0, v));
    }
    const weighted = [...peaks].map(([bucket, peak]) => ({ peak, weight: 0.5 ** ((bucket * options.intervalMs) / options.halfLifeMs) }));
    return Math.ceil(weightedPercentile(weighted, options.percentile) * (1 + options.margin));
  };
  return { heap: pool(series.heapUsed), managed: pool(series.managedUsed), metaspace: pool(series.metaspaceUsed), direct: pool(series.directUsed) };
}

/** Smallest value whose cumulative weight reaches `p` of the total (0 when empty). */
export function weightedPercentile(items: Array<{ peak: number; weight: number }>, p: number): number {
  const sorted = items.slice().sort((a, b) => a.peak - b.peak);
  const total = sorted.reduce((s, x) => s + x.weight, 0);
  let acc = 0;
  for (const x of sorted) {
    acc += x.weight;
    if (acc >= p * total - 1e-12) return x.peak;
  }
  return 0;
}
