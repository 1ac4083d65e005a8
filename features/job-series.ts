/**
 * One job's observed history, as the feature code reads it: aligned typed arrays, one entry per
 * sample time. Pool and load values are those of the busiest TaskManager at that sample (every
 * TaskManager of a job gets the same shape, so the busiest one sizes them all).
 */
export interface JobSeries {
  jobId: string;
  deployment: JobDeployment;
  /** Sample times, epoch ms, ascending. */
  t: Float64Array;
  /** JVM heap used, bytes (max over TaskManagers). */
  heapUsed: Float64Array;
  /** Heap used right after a collection (the live set), bytes; NaN where it cannot be told. */
  heapAfterGc: Float64Array;
  managedUsed: Float64Array;
  metaspaceUsed: Float64Array;
  /** Direct + other off-heap (JVM direct buffers, mapped, RocksDB native beyond managed), bytes. */
  directUsed: Float64Array;
  /** Fraction of wall time spent in GC over the last interval, 0..1. */
  gcTimeRatio: Float64Array;
  /** Records and bytes entering the job per second (all sources' outputs, whole job). */
  recordsInPerSecond: Float64Array;
  bytesInPerSecond: Float64Array;
  /** Busiest subtask's records in over the mean subtask's (1 = perfectly even). */
  subtaskSkew: Float64Array;
  /** Checkpointed state size of the whole job, bytes. */
  stateBytes: Float64Array;
}

/** How the job runs now: the facts that say how work spreads over TaskManagers. */
export interface JobDeployment {
  /** Highest vertex parallelism (with slot sharing, the number of slots the job takes). */
  parallelism: number;
  slotsPerTaskManager: number;
  taskManagers: number;
  stateBackend: 'hashmap' | 'rocksdb';
  topology: JobTopology;
  /** The pools every TaskManager has now, bytes. */
  current: PoolSizes;
}

/** The predicted pools plus network, per TaskManager, bytes. */
export interface PoolSizes {
  heap: number;
  managed: number;
  metaspace: number;
  direct: number;
  network: number;
}

export type ShipStrategy = 'FORWARD' | 'RESCALE' | 'HASH' | 'REBALANCE' | 'BROADCAST' | 'UNKNOWN';

export interface JobTopology {
  vertices: Array<{ id: string; parallelism: number }>;
  edges: Array<{ source: string; target: string; ship: ShipStrategy }>;
}

/** The pools the model predicts; network is computed exactly from the topology instead. */
export const predictedPools = ['heap', 'managed', 'metaspace', 'direct'] as const;
export type PredictedPool = (typeof predictedPools)[number];

/** Number of samples in a series. */
export function sampleCount(series: JobSeries): number {
  return series.t.length;
}

/** The same job cut to samples with t in [from, to). */
export function sliceSeries(series: JobSeries, from: number, to: number): JobSeries {
  const lo = lowerBound(series.t, from);
  const hi = lowerBound(series.t, to);
  const cut = (a: Float64Array) => a.subarray(lo, hi);
  return {
    ...series,
    t: cut(series.t),
    heapUsed: cut(series.heapUsed),
    heapAfterGc: cut(series.heapAfterGc),
    managedUsed: cut(series.managedUsed),
    metaspaceUsed: cut(series.metaspaceUsed),
    directUsed: cut(series.directUsed),
    gcTimeRatio: cut(series.gcTimeRatio),
    recordsInPerSecond: cut(series.recordsInPerSecond),
    bytesInPerSecond: cut(series.bytesInPerSecond),
    subtaskSkew: cut(series.subtaskSkew),
    stateBytes: cut(series.stateBytes),
  };
}

/** First index whose value is >= x (binary search over an ascending array). */
export function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
