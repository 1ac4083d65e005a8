import { anchorBytes } from '../features/feature-schema.ts';
import type { JobFeatures } from '../features/job-features.ts';
import type { PredictedPool } from '../features/job-series.ts';
import type { Quantiles } from './types.ts';

/** Headroom the fallback puts on the observed peak for its p95. */
export const ruleHeadroom = 1.2;

/**
 * The fallback when the model must not be trusted (too little history, inputs outside what it
 * was trained on): p50 is the observed peak, p95 never goes below the pool's current size or 1.2x
 * the observed peak (the operator's headroom). It can only keep or grow a pool, never shrink one on thin evidence.
 */
export function conservativeDemand(features: JobFeatures): Record<PredictedPool, Quantiles> {
  const v = features.values;
  const current = features.deployment.current;
  const interval = (peak: number, now: number): Quantiles => ({ p50: peak, p95: Math.max(now, peak * ruleHeadroom) });
  // RocksDB reserves all the managed memory it is given, so Managed.Used is the pool's size, not its
  // need (1.2x of it would grow the pool on no evidence): the need is the block cache's where its
  // metrics are there, else unknown and the pool is kept.
  const managed = !v.rocksdb
    ? interval(v.managedMax, current.managed)
    : v.hasBlockCacheMetrics
      ? interval(anchorBytes(v, 'managed'), current.managed)
      : { p50: current.managed, p95: current.managed };
  return {
    heap: interval(v.heapMax, current.heap),
    managed,
    metaspace: interval(v.metaspaceMax, current.metaspace),
    direct: interval(v.directMax, current.direct),
  };
}
