import type { JobTopology } from '../flink/network-need.ts';

export type { JobTopology };

/**
 * The aligned per-sample columns of a job's history (typed arrays of equal length). Pool and load
 * values are those of the busiest TaskManager at that sample (every TaskManager of a job gets the
 * same shape, so the busiest one sizes them all). NaN where a metric was not observed.
 */
export const seriesColumns = [
  't',
  'heapUsed',
  'heapAfterGc',
  'managedUsed',
  'metaspaceUsed',
  'directUsed',
  'gcTimeRatio',
  'recordsInPerSecond',
  'bytesInPerSecond',
  'subtaskSkew',
  'stateBytes',
  'blockCacheUsage',
  'blockCacheCapacity',
  'blockCacheHitRatio',
] as const;
export type SeriesColumn = (typeof seriesColumns)[number];

/** One job's observed history, as the feature code reads it. */
export interface JobSeries extends Record<SeriesColumn, Float64Array> {
  jobId: string;
  /** Cluster name (application mode: cluster + job id identify the job) and job name, when known. */
  cluster?: string;
  name?: string;
  deployment: JobDeployment;
  /** Sample times, epoch ms, ascending. */
  t: Float64Array;
  /** JVM heap used, bytes (framework + task heap: the whole -Xmx). */
  heapUsed: Float64Array;
  /** Heap used right after a collection (the live set), bytes; NaN where it cannot be told. */
  heapAfterGc: Float64Array;
  /** `Status.Flink.Memory.Managed.Used`: for RocksDB the whole reserved budget of its slots, not its need. */
  managedUsed: Float64Array;
  metaspaceUsed: Float64Array;
  /** JVM direct memory used minus the network pool's segments (framework + task off-heap use), bytes. */
  directUsed: Float64Array;
  /** Fraction of wall time spent in GC over the last interval, 0..1. */
  gcTimeRatio: Float64Array;
  /** Records and bytes entering the job per second (all sources, whole job). */
  recordsInPerSecond: Float64Array;
  bytesInPerSecond: Float64Array;
  /** Busiest subtask's records in over the mean subtask's (1 = perfectly even). */
  subtaskSkew: Float64Array;
  /** Checkpointed (full) state size of the whole job, bytes. */
  stateBytes: Float64Array;
  /**
   * RocksDB native metrics (NaN unless `state.backend.rocksdb.metrics.block-cache-*` are on): the
   * busiest slot's block cache bytes in use and its capacity (the slot's share of managed memory).
   * A slot is a TaskManager and a subtask index (slot sharing puts subtask i of every vertex in one
   * slot); per subtask the largest value among its states. Usage below capacity IS the slot's
   * managed need (working set + memtables), and since Flink splits managed memory evenly over the
   * slots, a TaskManager needs it times its slots; a full cache says only that the need is at least
   * the capacity, and the hit ratio tells by how much.
   */
  blockCacheUsage: Float64Array;
  blockCacheCapacity: Float64Array;
  /** Block cache hits / (hits + misses) over the whole job, from the cumulative tickers. */
  blockCacheHitRatio: Float64Array;
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

/**
 * Pools per TaskManager, bytes, in the model's terms: `heap` is the whole JVM heap (framework +
 * task heap), `direct` is framework + task off-heap (JVM direct memory outside the network pool).
 */
export interface PoolSizes {
  heap: number;
  managed: number;
  metaspace: number;
  direct: number;
  network: number;
}

/** The pools the model predicts; network is computed exactly from the topology instead. */
export const predictedPools = ['heap', 'managed', 'metaspace', 'direct'] as const;
export type PredictedPool = (typeof predictedPools)[number];

/** A series of n samples, every column NaN (t included): for builders to fill. */
export function emptyColumns(n: number): Record<SeriesColumn, Float64Array> {
  return Object.fromEntries(seriesColumns.map((c) => [c, new Float64Array(n).fill(Number.NaN)])) as Record<SeriesColumn, Float64Array>;
}

/** The same job cut to samples with t in [from, to). */
export function sliceSeries(series: JobSeries, from: number, to: number): JobSeries {
  const lo = lowerBound(series.t, from);
  const hi = lowerBound(series.t, to);
  const out: JobSeries = { ...series };
  for (const c of seriesColumns) out[c] = series[c].subarray(lo, hi);
  return out;
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
