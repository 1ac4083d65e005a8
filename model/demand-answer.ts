import { anchorBytes, featureSchema, writeFeatureVector } from '../features/feature-schema.ts';
import type { JobFeatures } from '../features/job-features.ts';
import { predictedPools, type PredictedPool } from '../features/job-series.ts';
import { oomHeapShare } from './backtest/score.ts';
import { conservativeDemand, ruleHeadroom } from './conservative-rule.ts';
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
      pools = perPool((pool) => (usesModelAnswer(f, pool) ? { p50: predicted[i]![pool][i50]!, p95: predicted[i]![pool][i95]! } : ruleAnswer(f, pool, reasons)));
      reasons.push(...floorAtObserved(f, pools));
      reasons.push(`model ${meta.kind} trained on ${meta.trainedOn.description}; p95 held-out coverage ${percent(Math.min(...predictedPools.map((p) => meta.metrics.pools[p].coverageP95)))} (worst pool)`);
    }
    const leak = metaspaceLeak(f, pools, meta.horizonHours);
    reasons.push(...leak.reasons);
    const deployed = applyWhatIf(f, pools, whatIf);
    return {
      jobId: f.jobId,
      taskManagers: deployed.taskManagers,
      parallelism: deployed.parallelism,
      pools: { ...deployed.pools, network: deployed.network },
      source,
      reasons: [...reasons, ...deployed.reasons],
      unboundedGrowth: leak.unbounded ? ['metaspace'] : [],
    };
  });
}

/**
 * Never below what was already seen: heap p95 not below the OOM line of the observed live set,
 * metaspace and direct (hard limits: exceeding them fails the job) not below their observed peaks.
 * (Managed memory's floor, RocksDB's observed need, is part of the calibrated quantiles:
 * demand-model.ts quantileFloor.)
 */
function floorAtObserved(f: JobFeatures, pools: Record<PredictedPool, Quantiles>): string[] {
  const v = f.values;
  const floors: Array<[PredictedPool, number, string]> = [
    heapFloor(f),
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
 * and its need is what the model learns least well), the need it implies: live set / 0.8. The
 * live set is the larger of its hourly-low peak (the model's anchor) and the peak of a cycle
 * within the hour (features/series-stats.ts cyclicLiveSetPeak), which hourly lows cannot see.
 */
function heapFloor(f: JobFeatures): [PredictedPool, number, string] {
  const hourly = anchorBytes(f.values, 'heap');
  const cyclic = f.evidence.cyclicLiveSetPeak > hourly;
  const live = cyclic ? f.evidence.cyclicLiveSetPeak : hourly;
  const seen = cyclic ? 'live set at its peak within the hour (the same minutes of several hours)' : 'observed live set';
  if (live > heapTargetOccupancy * f.values.currentHeapBytes) {
    return ['heap', Math.ceil(live / heapTargetOccupancy), `the need of the ${seen}, which fills more than ${heapTargetOccupancy * 100}% of the current heap (live set / ${heapTargetOccupancy})`];
  }
  return ['heap', Math.ceil(live / oomHeapShare), `the ${seen} / ${oomHeapShare} (the OOM line)`];
}

/**
 * A pool whose answer is not the network's (usesModelAnswer says which): managed memory of a
 * hashmap job is 0 (nothing uses it); RocksDB fills whatever managed memory it is given, so
 * without its native block cache metrics nothing observed says how much it needs: the network's
 * answer would rest on the state size alone (the hot share of it varies by job from a few to
 * tens of percent, and memtables come on top). Neither growing nor shrinking the pool is
 * justified on that, so it stays at its current size.
 */
function ruleAnswer(f: JobFeatures, pool: PredictedPool, reasons: string[]): Quantiles {
  if (pool !== 'managed') throw new Error(`no rule answers the ${pool} of a job the model answers`);
  if (!f.values.rocksdb) return { p50: 0, p95: 0 };
  const current = f.deployment.current.managed;
  reasons.push('managed kept at its current size: without RocksDB block cache metrics nothing observed says what RocksDB needs (turn on state.backend.rocksdb.metrics.block-cache-usage and -capacity)');
  return { p50: current, p95: current };
}

/**
 * Metaspace holds class metadata, so a healthy JVM's is flat once its classes are loaded; a rise
 * over the lookback is a classloader leak (typically one per job restart), and metaspace used at
 * its limit means the JVM is failing with OutOfMemoryError: Metaspace, its real need hidden
 * above. No size fixes a leak, but the p95 should at least hold the leak's extrapolated growth
 * over the horizon (observed peak + rise per hour x horizon; at the limit, no less than the
 * conservative rule's 1.2x headroom over it), and the advice must say so: the pool is flagged as
 * growing without bound, which the advisor's risk reads as sure to run short.
 */
function metaspaceLeak(f: JobFeatures, pools: Record<PredictedPool, Quantiles>, horizonHours: number): { unbounded: boolean; reasons: string[] } {
  const { metaspaceGrowthPerHour: rise, metaspaceAtLimit: atLimit } = f.evidence;
  const peak = f.values.metaspaceMax;
  const growth = rise * horizonHours;
  // Class loading settles early: a rise adding under 5% of the pool over a horizon is no leak.
  const leaking = growth > 0.05 * peak;
  if (!leaking && !atLimit) return { unbounded: false, reasons: [] };
  // At the limit the 1.2x headroom over it wins unless the rise over the horizon is larger.
  const byLimit = atLimit && peak * ruleHeadroom >= peak + growth;
  const floor = Math.ceil(byLimit ? peak * ruleHeadroom : peak + growth);
  if (pools.metaspace.p95 < floor) pools.metaspace = { p50: Math.min(pools.metaspace.p50, floor), p95: floor };
  const MiB = 1024 * 1024;
  const rising = leaking ? `metaspace rose ${(rise / MiB).toFixed(1)} MiB/h over the lookback` : '';
  const limit = atLimit ? `metaspace used reached its limit (${Math.round(f.deployment.current.metaspace / MiB)} MiB): the job fails with OutOfMemoryError: Metaspace and its need above that is hidden` : '';
  return {
    unbounded: true,
    reasons: [
      `${[rising, limit].filter(Boolean).join('; ')}. A classloader leak (metaspace grows with every restart) is likely, which no size fixes: metaspace p95 raised to ${Math.round(floor / MiB)} MiB (${byLimit ? 'the limit x 1.2' : `the peak + ${horizonHours} h of that rise`}), high risk; find the leak (a heap dump's classloaders) or restart the TaskManagers`,
    ],
  };
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
 * Whether predictDemand passes on the network's answer for this pool when the model answers the
 * job at all; where it does not, ruleAnswer gives the pool's answer. The one place this is
 * decided: calibration and evaluation (demand-model.ts, evaluate-run.ts) count by it too.
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

