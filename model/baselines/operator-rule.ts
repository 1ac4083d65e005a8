import type { JobSeries, PredictedPool } from '../../features/job-series.ts';
import { lowerBound } from '../../features/job-series.ts';
import { mean } from '../../features/series-stats.ts';

/** The Flink Kubernetes Operator's memory-tuning defaults (job.autoscaler.*). */
export const operatorDefaults = { windowMs: 15 * 60_000, overhead: 0.2 };

/**
 * What the operator's memory autotuning (1.8+) would set per TaskManager at the end of `series`:
 * heap and metaspace = mean over the 15-minute window of the per-sample max across TaskManagers,
 * x1.2; managed = the current size when any managed memory is in use, else 0; direct (framework +
 * task off-heap) is never tuned and stays at its current size. Network it takes from the topology,
 * like ours. Integer bytes, floored as the operator does.
 */
export function operatorRecommendation(series: JobSeries, options = operatorDefaults): Record<PredictedPool, number> {
  const end = series.t[series.t.length - 1] ?? 0;
  // The window is (end - 15 min, end]: samples at or before the cut-off are trimmed.
  const from = lowerBound(series.t, end - options.windowMs + 1);
  const window = (a: Float64Array) => a.subarray(from);
  const tuned = (a: Float64Array) => Math.floor((mean(window(a)) || 0) * (1 + options.overhead));
  const managedInUse = (mean(window(series.managedUsed)) || 0) > 0;
  return {
    heap: tuned(series.heapUsed),
    metaspace: tuned(series.metaspaceUsed),
    managed: managedInUse ? series.deployment.current.managed : 0,
    direct: series.deployment.current.direct,
  };
}
