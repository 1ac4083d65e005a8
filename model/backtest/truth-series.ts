import type { PredictedPool } from '../../features/job-series.ts';

/**
 * What a job truly needed over time, per TaskManager (the worst one), bytes: the ground truth a
 * backtest scores against. `need` is the size below which the pool misbehaves (heap: GC time above
 * target; managed: RocksDB cache misses; metaspace, direct: failure). `heapLive` is the live set:
 * a heap smaller than it / oomHeapShare throws OutOfMemoryError.
 */
export interface TruthSeries {
  t: Float64Array;
  need: Record<PredictedPool, Float64Array>;
  heapLive: Float64Array;
}

/** Peak of each pool's need over samples with t in [from, to): the oracle's recommendation and the training target. */
export function peakNeed(truth: TruthSeries, from: number, to: number): Record<PredictedPool, number> {
  const peak = (a: Float64Array) => {
    let m = 0;
    for (let i = 0; i < truth.t.length; i++) if (truth.t[i]! >= from && truth.t[i]! < to) m = Math.max(m, a[i]!);
    return m;
  };
  return { heap: peak(truth.need.heap), managed: peak(truth.need.managed), metaspace: peak(truth.need.metaspace), direct: peak(truth.need.direct) };
}
