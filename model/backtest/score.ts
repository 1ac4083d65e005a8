import { predictedPools, type PredictedPool } from '../../features/job-series.ts';
import type { TruthSeries } from './truth-series.ts';

/** A heap OutOfMemoryError happens when the live set passes this share of -Xmx (G1 cannot make room). */
export const oomHeapShare = 0.97;

/** How one recommendation fared over the window that followed it. */
export interface DecisionScore {
  /** Bytes freed over all TaskManagers against the current config (negative: it asked for more). */
  savedBytes: number;
  currentBytes: number;
  /** Hours any pool was below its need (summed over pools). */
  underProvisionedPoolHours: number;
  /** Pools that would have failed the job: heap below live set / 0.97, metaspace or direct below need. */
  ooms: number;
  /** Hours heap sat above the OOM line but below its need: GC time above target. */
  gcAboveTargetHours: number;
}

/**
 * Scores per-TaskManager recommendation `r` against the truth for samples in [from, to): each
 * sample stands for the time until the next one. A pool that would have failed counts one OOM
 * per window (the job restarts and the recommendation is re-made).
 */
export function scoreDecision(
  r: Record<PredictedPool, number>,
  current: Record<PredictedPool, number>,
  taskManagers: number,
  truth: TruthSeries,
  from: number,
  to: number,
): DecisionScore {
  const sum = (x: Record<PredictedPool, number>) => predictedPools.reduce((s, p) => s + x[p], 0);
  let under = 0;
  let gc = 0;
  const failed = new Set<PredictedPool>();
  for (let i = 0; i < truth.t.length; i++) {
    const t = truth.t[i]!;
    if (t < from || t >= to) continue;
    const hours = (Math.min(to, truth.t[i + 1] ?? to) - t) / 3_600_000;
    for (const pool of predictedPools) if (r[pool] < truth.need[pool][i]!) under += hours;
    const heapOom = r.heap * oomHeapShare < truth.heapLive[i]!;
    if (heapOom) failed.add('heap');
    else if (r.heap < truth.need.heap[i]!) gc += hours;
    if (r.metaspace < truth.need.metaspace[i]!) failed.add('metaspace');
    if (r.direct < truth.need.direct[i]!) failed.add('direct');
  }
  return {
    savedBytes: (sum(current) - sum(r)) * taskManagers,
    currentBytes: sum(current) * taskManagers,
    underProvisionedPoolHours: under,
    ooms: failed.size,
    gcAboveTargetHours: gc,
  };
}
