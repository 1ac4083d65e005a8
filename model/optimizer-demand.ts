import { exactNetworkNeed } from '../flink/network-need.ts';
import type { JobSeries } from '../features/job-series.ts';
import { blockCacheFullShare } from '../features/job-features.ts';
import { liveSetPeak, max, min } from '../features/series-stats.ts';
import type { PoolDemand, TaskManagerDemand } from '../optimizer/types.ts';
import type { DemandPrediction, Quantiles } from './types.ts';

const MiB = 1024 * 1024;

/** Flink's fixed reservations the model's pools include but the optimizer's demand pools do not. */
export interface FrameworkReservations {
  /** `taskmanager.memory.framework.heap.size` (128m): part of the JVM heap the model predicts. */
  frameworkHeap: number;
  /** `taskmanager.memory.framework.off-heap.size` (128m): part of the direct memory the model predicts. */
  frameworkOffHeap: number;
}

export const flinkDefaultReservations: FrameworkReservations = { frameworkHeap: 128 * MiB, frameworkOffHeap: 128 * MiB };

export interface OptimizerDemand {
  demand: TaskManagerDemand;
  /** Network bytes one TaskManager needs at the predicted parallelism (Flink's desirable buffer count). */
  networkNeed: number;
  /** False for the hashmap backend: nothing uses managed memory, the optimizer sets it to 0. */
  usesManaged: boolean;
  evidence: OptimizerDemandEvidence;
}

export interface OptimizerDemandEvidence {
  source: DemandPrediction['source'];
  reasons: string[];
  reservations: FrameworkReservations;
  /** Largest live set seen (heap after GC, or hourly lows of heap used), whole JVM heap, bytes. */
  liveSetPeak: number;
  /** The GC sawtooth's top: what the operator's rule sizes from, mostly garbage. */
  heapUsedPeak: number;
  metaspacePeak: number;
  /** JVM direct memory outside the network pool, peak. */
  directPeak: number;
  /** The busiest slot's RocksDB block cache usage peak while not full (working set plus memtables), null when never seen below full. */
  blockCacheUnsaturatedPeak: number | null;
  blockCacheSaturated: boolean;
  lowestHitRatio: number | null;
  /** Flink's hard minimum of network bytes (tasks fail below it); networkNeed adds the floating buffers. */
  networkRequired: number;
}

/**
 * Turns the model's per-TaskManager prediction into the optimizer's demand pools. The model
 * predicts `heap` as the whole JVM heap and `direct` as all JVM direct memory outside the network
 * pool; Flink reserves framework heap and framework off-heap out of those, so taskHeap and
 * taskOffHeap are what is left above the reservations. `observedPeak` is demand that really
 * happened (the optimizer never goes below it): the live set for heap, not heap used, whose top
 * is garbage; for RocksDB the busiest slot's block cache usage while the cache was not full (a
 * full cache shows its budget, not its need) times the slots (Flink splits managed memory evenly
 * over them) or, when the need cannot be seen (no cache metrics, a cache always full), its current size.
 */
export function optimizerDemand(series: JobSeries, prediction: DemandPrediction, reservations: FrameworkReservations = flinkDefaultReservations): OptimizerDemand {
  const d = series.deployment;
  const usesManaged = d.stateBackend === 'rocksdb';
  const liveSet = liveSetPeak(series.t, series.heapUsed, series.heapAfterGc);
  const directPeak = max(series.directUsed);
  const metaspacePeak = max(series.metaspaceUsed);
  const cache = blockCacheEvidence(series);
  // Where RocksDB's need cannot be seen (no cache metrics, or a cache always full), the size it
  // has run on is the only demand known: never cut below it without evidence.
  const managedObserved = !usesManaged ? 0 : cache.unsaturatedPeak !== null ? cache.unsaturatedPeak * d.slotsPerTaskManager : d.current.managed;
  const above = (q: Quantiles, reserved: number, observed: number): PoolDemand => pool(q.p50 - reserved, q.p95 - reserved, observed - reserved);
  const demand: TaskManagerDemand = {
    taskHeap: above(prediction.pools.heap, reservations.frameworkHeap, orZero(liveSet)),
    managed: usesManaged ? above(prediction.pools.managed, 0, managedObserved) : pool(0, 0, 0),
    metaspace: above(prediction.pools.metaspace, 0, orZero(metaspacePeak)),
    taskOffHeap: above(prediction.pools.direct, reservations.frameworkOffHeap, orZero(directPeak)),
  };
  const slots = d.slotsPerTaskManager;
  return {
    demand,
    networkNeed: Math.ceil(prediction.pools.network.p95),
    usesManaged,
    evidence: {
      source: prediction.source,
      reasons: prediction.reasons,
      reservations,
      liveSetPeak: orZero(liveSet),
      heapUsedPeak: orZero(max(series.heapUsed)),
      metaspacePeak: orZero(metaspacePeak),
      directPeak: orZero(directPeak),
      blockCacheUnsaturatedPeak: cache.unsaturatedPeak,
      blockCacheSaturated: cache.saturated,
      lowestHitRatio: cache.lowestHitRatio,
      networkRequired: d.topology.vertices.length > 0 ? exactNetworkNeed(d.topology, { slotsPerTaskManager: slots }).bytes : 0,
    },
  };
}

/** Whole non-negative bytes with p50 <= p95 (the optimizer's schema wants integers). */
function pool(p50: number, p95: number, observedPeak: number): PoolDemand {
  const lo = Math.max(0, Math.ceil(orZero(p50)));
  return { p50: lo, p95: Math.max(lo, Math.ceil(orZero(p95))), observedPeak: Math.max(0, Math.ceil(observedPeak)) };
}

function orZero(x: number): number {
  return Number.isFinite(x) ? x : 0;
}

function blockCacheEvidence(series: JobSeries): { unsaturatedPeak: number | null; saturated: boolean; lowestHitRatio: number | null } {
  let unsaturated = Number.NaN;
  let saturated = false;
  for (let i = 0; i < series.t.length; i++) {
    const usage = series.blockCacheUsage[i]!;
    const capacity = series.blockCacheCapacity[i]!;
    if (!Number.isFinite(usage)) continue;
    if (Number.isFinite(capacity) && usage >= blockCacheFullShare * capacity) saturated = true;
    else if (!(usage <= unsaturated)) unsaturated = usage;
  }
  const lowest = min(series.blockCacheHitRatio);
  return { unsaturatedPeak: Number.isFinite(unsaturated) ? unsaturated : null, saturated, lowestHitRatio: Number.isFinite(lowest) ? lowest : null };
}
