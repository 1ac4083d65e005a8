import { anchorBytes, featureSchema, writeFeatureVector, type FeatureValues } from '../features/feature-schema.ts';
import type { JobFeatures } from '../features/job-features.ts';
import { predictedPools, type PredictedPool } from '../features/job-series.ts';
import { oomHeapShare } from './backtest/score.ts';
import { conservativeDemand } from './conservative-rule.ts';
import { levelIndex, type LevelPredictions } from './evaluation.ts';
import { heapTargetOccupancy } from './heap-target.ts';
import type { LazyDemandModel } from './model-files.ts';
import type { ModelMeta } from './model-meta.ts';
import type { DemandPrediction, Quantiles, WhatIf } from './types.ts';
import { applyWhatIf } from './what-if.ts';

/**
 * Turning the network's quantiles into the advisor's demand, or handing a job to the conservative
 * rule. Free of TensorFlow.js, so that advice the rule gives alone never starts it.
 */

const inputs = featureSchema.length;

/**
 * predictDemand (demand-model.ts) on a model whose network is loaded only when some job needs it:
 * the same answers, without TensorFlow.js's start-up for jobs the rule answers.
 */
export async function predictDemandLazily(model: LazyDemandModel, features: readonly JobFeatures[], whatIf: WhatIf = {}): Promise<DemandPrediction[]> {
  if (!features.some((f) => answeredByModel(model.meta, f))) return demandFromLevels(model.meta, features, [], whatIf);
  const [{ predictLevels }, loaded] = await Promise.all([import('./demand-model.ts'), model.load()]);
  return demandFromLevels(model.meta, features, predictLevels(loaded, features), whatIf);
}

/** Whether the network answers this job: enough history and every feature within its training range. */
export function answeredByModel(meta: ModelMeta, f: JobFeatures, outside = outsideTrainingRange(meta, f)): boolean {
  return f.historyHours >= meta.minHistoryHours && outside.length === 0;
}

/**
 * predictDemand's answers from the network's quantiles per job (`predicted`, read only for the
 * jobs answeredByModel).
 */
export function demandFromLevels(meta: ModelMeta, features: readonly JobFeatures[], predicted: readonly LevelPredictions[], whatIf: WhatIf): DemandPrediction[] {
  const i50 = levelIndex(meta.levels, 0.5);
  const i95 = levelIndex(meta.levels, 0.95);
  return features.map((f, i) => {
    const reasons: string[] = [];
    const outside = outsideTrainingRange(meta, f);
    let source: DemandPrediction['source'] = 'model';
    let pools: Record<PredictedPool, Quantiles>;
    if (!answeredByModel(meta, f, outside)) {
      source = 'rule';
      pools = conservativeDemand(f);
      if (f.historyHours < meta.minHistoryHours) {
        reasons.push(`only ${f.historyHours.toFixed(1)} h of history (the model needs ${meta.minHistoryHours} h): conservative rule, pools kept at their current size or 1.2x the observed peak`);
      }
      if (outside.length > 0) {
        reasons.push(`features outside the model's training range (${outside.join(', ')}): conservative rule, pools kept at their current size or 1.2x the observed peak`);
      }
    } else {
      pools = perPool((pool) => ({ p50: predicted[i]![pool][i50]!, p95: predicted[i]![pool][i95]! }));
      reasons.push(...floorAtObserved(f, pools));
      reasons.push(...managedWithoutEvidence(f, pools));
      reasons.push(`model ${meta.kind} trained on ${meta.trainedOn.description}; p95 held-out coverage ${percent(Math.min(...predictedPools.map((p) => meta.metrics.pools[p].coverageP95)))} (worst pool)`);
    }
    const deployed = applyWhatIf(f, pools, whatIf);
    return {
      jobId: f.jobId,
      taskManagers: deployed.taskManagers,
      parallelism: deployed.parallelism,
      pools: { ...deployed.pools, network: deployed.network },
      source,
      reasons: [...reasons, ...deployed.reasons],
    };
  });
}

/**
 * Never below what was already seen: heap p95 not below the OOM line of the observed live set,
 * metaspace and direct (hard limits: exceeding them fails the job) not below their observed peaks.
 */
function floorAtObserved(f: JobFeatures, pools: Record<PredictedPool, Quantiles>): string[] {
  const v = f.values;
  const floors: Array<[PredictedPool, number, string]> = [
    heapFloor(v),
    // RocksDB's need is visible only through its block cache metrics (without them managedWithoutEvidence decides).
    ['managed', v.rocksdb && v.hasBlockCacheMetrics ? Math.ceil(anchorBytes(v, 'managed')) : 0, "RocksDB's observed need (busiest slot's block cache usage x slots)"],
    ['metaspace', v.metaspaceMax, 'the observed metaspace peak'],
    ['direct', v.directMax, 'the observed direct-memory peak'],
  ];
  const reasons: string[] = [];
  for (const [pool, floor, what] of floors) {
    if (pools[pool].p95 >= floor) continue;
    pools[pool] = { p50: pools[pool].p50, p95: floor };
    reasons.push(`${pool} p95 raised to ${what}`);
  }
  return reasons;
}

/**
 * The heap's floor: the OOM line of the observed live set, or, when that live set already fills
 * more than the target occupancy of the current heap (GC time above target: the heap is short,
 * and its need is what the model learns least well), the need it implies: live set / 0.8.
 */
function heapFloor(v: FeatureValues): [PredictedPool, number, string] {
  const live = anchorBytes(v, 'heap');
  if (live > heapTargetOccupancy * v.currentHeapBytes) {
    return ['heap', Math.ceil(live / heapTargetOccupancy), `the need of the observed live set, which fills more than ${heapTargetOccupancy * 100}% of the current heap (live set / ${heapTargetOccupancy})`];
  }
  return ['heap', Math.ceil(live / oomHeapShare), 'the observed live set / 0.97 (the OOM line)'];
}

/**
 * RocksDB fills whatever managed memory it is given, so without its native block cache metrics
 * nothing observed says how much it needs: the model's answer would rest on the state size alone
 * (the hot share of it varies by job from a few to tens of percent, and memtables come on top).
 * Neither growing nor shrinking the pool is justified on that, so it stays at its current size;
 * with the cache metrics (usage below capacity is the need; a full cache that misses is short)
 * the model's answer stands.
 */
function managedWithoutEvidence(f: JobFeatures, pools: Record<PredictedPool, Quantiles>): string[] {
  if (!f.values.rocksdb || f.values.hasBlockCacheMetrics) return [];
  const current = f.deployment.current.managed;
  pools.managed = { p50: current, p95: current };
  return ['managed kept at its current size: without RocksDB block cache metrics nothing observed says what RocksDB needs (turn on state.backend.rocksdb.metrics.block-cache-usage and -capacity)'];
}

/** Names of features (other than 0/1 flags) more than 10% of their training span outside it. */
export function outsideTrainingRange(meta: ModelMeta, features: JobFeatures): string[] {
  const x = new Float32Array(inputs);
  writeFeatureVector(features.values, x, 0);
  const names: string[] = [];
  meta.features.forEach((f, j) => {
    const lo = meta.featureRange.min[j]!;
    const hi = meta.featureRange.max[j]!;
    const margin = 0.1 * (hi - lo) + 1e-6;
    if (x[j]! < lo - margin || x[j]! > hi + margin) names.push(f.name);
  });
  return names;
}

/**
 * Whether predictDemand passes on the model's answer for this pool when it answers the job at all
 * (see managedWithoutEvidence).
 */
export function usesModelAnswer(f: JobFeatures, pool: PredictedPool): boolean {
  return pool !== 'managed' || (f.values.rocksdb === 1 && f.values.hasBlockCacheMetrics === 1);
}

export function perPool<T>(make: (pool: PredictedPool, index: number) => T): Record<PredictedPool, T> {
  return Object.fromEntries(predictedPools.map((p, i) => [p, make(p, i)])) as Record<PredictedPool, T>;
}

function percent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

