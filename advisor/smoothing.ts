import { exportPools } from '../optimizer/flink-export.ts';
import { riskOf, type RiskCoverage } from './build-recommendation.ts';
import { riskLevelOf } from './risk.ts';
import { POOL_NAMES, type PoolBytes } from '../optimizer/types.ts';
import { poolsBelowObservedPeak, sumPools, type Recommendation } from './recommendation.ts';

export interface SmoothingOptions {
  /** Weight of the last recommendation in a decrease, 0..1 (0 = follow tonight's proposal at once). */
  smoothing: number;
  /** A proposal whose process size differs from the last recommendation by less than this fraction is held back. */
  minChange: number;
  /** Pools are whole multiples of this many bytes (the optimizer's unit). */
  unitBytes: number;
}

export interface Smoothed {
  recommendation: Recommendation;
  /** True when last night's recommendation was kept because tonight's change is not material. */
  heldBack: boolean;
}

const MiB = 1024 * 1024;
const mib = (bytes: number) => `${Math.round(bytes / MiB).toLocaleString('en-US')} MiB`;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * Successive nights must not flap: tonight's proposal is held back when it differs from the last
 * recommendation by less than `minChange`, and a decrease moves only part of the way (EWMA with
 * weight `smoothing` on the last value). Increases apply at once: lagging behind a growing need is a
 * risk, not a saving. Either way no pool ends below tonight's observed peaks or the network need,
 * and the options are re-derived through flink/.
 */
export function smoothAgainst(next: Recommendation, last: Recommendation | undefined, options: SmoothingOptions, coverage: RiskCoverage = {}): Smoothed {
  if (!last || last.taskManagers !== next.taskManagers) return { recommendation: next, heldBack: false };
  const lastPools = last.recommended.pools;
  const change = Math.abs(next.recommended.processSize - last.recommended.processSize) / Math.max(1, last.recommended.processSize);
  if (change < options.minChange && isSafe(next, lastPools)) {
    return {
      recommendation: withPools(next, lastPools, last.recommended.flinkConfig, coverage, [
        `Held back: tonight's proposal (${mib(next.recommended.processSize)} per TaskManager) differs from the last recommendation (${mib(last.recommended.processSize)}) by ${pct(change)}, below --min-change ${pct(options.minChange)}; the last recommendation stands.`,
      ]),
      heldBack: true,
    };
  }
  const pools = Object.fromEntries(
    POOL_NAMES.map((p) => {
      const proposed = next.recommended.pools[p];
      if (proposed >= lastPools[p]) return [p, proposed];
      const eased = Math.ceil((options.smoothing * lastPools[p] + (1 - options.smoothing) * proposed) / options.unitBytes) * options.unitBytes;
      return [p, Math.max(proposed, Math.min(lastPools[p], eased))];
    }),
  ) as PoolBytes;
  if (POOL_NAMES.every((p) => pools[p] === next.recommended.pools[p])) return { recommendation: next, heldBack: false };
  const processSize = sumPools(pools);
  return {
    recommendation: withPools(next, pools, exportPools(pools, next.flinkVersion), coverage, [
      `Smoothed: decreases move ${pct(1 - options.smoothing)} of the way from the last recommendation (${mib(last.recommended.processSize)}) to tonight's proposal (${mib(next.recommended.processSize)}): ${mib(processSize)} per TaskManager.`,
    ]),
    heldBack: false,
  };
}

/**
 * A session cluster's jobs share one shape, but each was smoothed against its own last
 * recommendation and may have ended elsewhere (other floors; one held back, another not). Where
 * they disagree, every one gets the largest of their sizes per pool: safe for all of them.
 */
export function alignSessionClusters(smoothed: readonly Smoothed[], coverage: readonly RiskCoverage[]): Smoothed[] {
  const shared = new Map<string, PoolBytes>();
  for (const { recommendation: rec } of smoothed) {
    const name = rec.sessionCluster?.name;
    if (name === undefined) continue;
    const seen = shared.get(name);
    shared.set(name, seen ? (Object.fromEntries(POOL_NAMES.map((p) => [p, Math.max(seen[p], rec.recommended.pools[p])])) as PoolBytes) : rec.recommended.pools);
  }
  return smoothed.map((s, i) => {
    const rec = s.recommendation;
    const pools = rec.sessionCluster && shared.get(rec.sessionCluster.name);
    if (!pools || POOL_NAMES.every((p) => pools[p] === rec.recommended.pools[p])) return s;
    return {
      recommendation: withPools(rec, pools, exportPools(pools, rec.flinkVersion), coverage[i] ?? {}, [
        `Session cluster '${rec.sessionCluster!.name}': its jobs came out of smoothing at different sizes; all take the largest per pool (${mib(sumPools(pools))} per TaskManager), since they share one shape.`,
      ]),
      heldBack: false,
    };
  });
}

/** The smallest each pool may be tonight: the observed peaks and the network need. */
function floorsOf(next: Recommendation): PoolBytes {
  return Object.fromEntries(
    POOL_NAMES.map((p) => [p, Math.max(next.observedPeaks[p] ?? 0, p === 'network' ? next.predicted.network.p95 : 0)]),
  ) as PoolBytes;
}

function isSafe(next: Recommendation, pools: PoolBytes): boolean {
  const floors = floorsOf(next);
  return POOL_NAMES.every((p) => pools[p] >= floors[p]);
}

function withPools(next: Recommendation, pools: PoolBytes, flinkConfig: Record<string, string>, coverage: RiskCoverage, reasons: string[]): Recommendation {
  const processSize = sumPools(pools);
  const exceed = riskOf(next.predicted, pools, coverage);
  const rec: Recommendation = {
    ...next,
    recommended: { pools, processSize, flinkConfig },
    reasons: [...next.reasons, ...reasons],
    risk: { ...next.risk, level: riskLevelOf(exceed), exceedProbability: exceed },
    saving: {
      perTaskManager: next.current.processSize - processSize,
      total: next.saving.total + (next.recommended.processSize - processSize) * next.taskManagers,
    },
  };
  if (poolsBelowObservedPeak(rec).length > 0) throw new Error(`internal: smoothing put job ${next.jobId} below its observed peaks`);
  return rec;
}
