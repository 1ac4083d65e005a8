import type { JobSeries } from '../../features/job-series.ts';
import { bucketLows } from '../../features/series-stats.ts';
import { heapTargetOccupancy } from '../heap-target.ts';
import type { TruthSeries } from './truth-series.ts';

const HOUR = 3_600_000;

/**
 * What a job observably needed at each sample, for history without ground truth (recordings, the
 * store): the stand-in targets train on and backtests score against, in the simulator truth's
 * terms. Heap: the live set, seen as the low point of heap used in the sample's clock hour when
 * it fell there (a collection ran), else the hour's low carried from the last hour that had one
 * (the after-GC heap where known; the sawtooth's top is garbage), needed at heapTargetOccupancy.
 * Managed: 0 for hashmap; for RocksDB the busiest slot's block cache usage times the slots where
 * its native metrics are on, else
 * managed used, which is RocksDB's whole reservation (an upper bound: without cache metrics no
 * observer can tell less). Metaspace and direct (outside the network pool): what was used.
 */
export function observedTruth(series: JobSeries): TruthSeries {
  let carried = Number.NaN;
  const live = new Map<number, number>();
  for (const b of bucketLows(series.t, series.heapUsed, series.heapAfterGc, HOUR)) {
    if (b.fell || Number.isNaN(carried)) carried = b.low;
    live.set(b.bucket, carried);
  }
  const rocksdb = series.deployment.stateBackend === 'rocksdb';
  const zeroIfUnknown = (v: number) => (Number.isFinite(v) ? v : 0);
  const heapLive = Float64Array.from(series.t, (t) => zeroIfUnknown(live.get(Math.floor(t / HOUR)) ?? Number.NaN));
  const managed = Float64Array.from(series.t, (_, i) => {
    if (!rocksdb) return 0;
    const cache = series.blockCacheUsage[i]!;
    // The busiest slot's cache times the slots: Flink splits managed memory evenly over them.
    return zeroIfUnknown(Number.isFinite(cache) ? cache * series.deployment.slotsPerTaskManager : series.managedUsed[i]!);
  });
  return {
    t: series.t,
    heapLive,
    need: {
      heap: heapLive.map((live) => live / heapTargetOccupancy),
      managed,
      metaspace: series.metaspaceUsed.map(zeroIfUnknown),
      direct: series.directUsed.map(zeroIfUnknown),
    },
  };
}
