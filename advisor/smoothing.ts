import { exportPools } from '../optimizer/flink-export.ts';
import { riskOf } from './build-recommendation.ts';
import { riskLevelOf } from './risk.ts';
import { poolsBelowObservedPeak, sumPools, TASK_MANAGER_POOLS, type Recommendation, type TaskManagerPools } from './recommendation.ts';

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
export function smoothAgainst(next: Recommendation, last: Recommendation | undefined, options: SmoothingOptions): Smoothed {
  if (!last || last.taskManagers !== next.taskManagers) return { recommendation: next, heldBack: false };
  const lastPools = last.recommended.pools;
  const change = Math.abs(next.recommended.processSize - last.recommended.processSize) / Math.max(1, last.recommended.processSize);
  if (change < options.minChange && isSafe(next, lastPools)) {
    return {
      recommendation: withPools(next, lastPools, last.recommended.flinkConfig, [
        `Held back: tonight's proposal (${mib(next.recommended.processSize)} per TaskManager) differs from the last recommendation (${mib(last.recommended.processSize)}) by ${pct(change)}, below --min-change ${pct(options.minChange)}; the last recommendation stands.`,
      ]),
      heldBack: true,
    };
  }
  const pools = Object.fromEntries(
    TASK_MANAGER_POOLS.map((p) => {
      const proposed = next.recommended.pools[p];
      if (proposed >= lastPools[p]) return [p, proposed];
      const eased = Math.ceil((options.smoothing * lastPools[p] + (1 - options.smoothing) * proposed) / options.unitBytes) * options.unitBytes;
      return [p, Math.max(proposed, Math.min(lastPools[p], eased))];
    }),
  ) as TaskManagerPools;
  if (TASK_MANAGER_POOLS.every((p) => pools[p] === next.recommended.pools[p])) return { recommendation: next, heldBack: false };
  const processSize = sumPools(pools);
  return {
    recommendation: withPools(next, pools, exportPools(pools, next.flinkVersion), [
      `Smoothed: decreases move ${pct(1 - options.smoothing)} of the way from the last recommendation (${mib(last.recommended.processSize)}) to tonight's proposal (${mib(next.recommended.processSize)}): ${mib(processSize)} per TaskManager.`,
    ]),
    heldBack: false,
  };
}

/** The smallest each pool may be tonight: the observed peaks and the network need. */
function floorsOf(next: Recommendation): TaskManagerPools {
  return Object.fromEntries(
    TASK_MANAGER_POOLS.map((p) => [p, Math.max(next.observedPeaks[p] ?? 0, p === 'network' ? next.predicted.network.p95 : 0)]),
  ) as TaskManagerPools;
}

function isSafe(next: Recommendation, pools: TaskManagerPools): boolean {
  const floors = floorsOf(next);
  return TASK_MANAGER_POOLS.every((p) => pools[p] >= floors[p]);
}

function withPools(next: Recommendation, pools: TaskManagerPools, flinkConfig: Record<string, string>, reasons: string[]): Recommendation {
  const processSize = sumPools(pools);
  const exceed = riskOf(next.predicted, pools);
  const rec: Recommendation = {
    ...next,
    recommended: { pools, processSize, flinkConfig },
    reasons: [...next.reasons, ...reasons],
    risk: { level: riskLevelOf(exceed), exceedProbability: exceed },
    saving: {
      perTaskManager: next.current.processSize - processSize,
      total: next.saving.total + (next.recommended.processSize - processSize) * next.taskManagers,
    },
  };
  if (poolsBelowObservedPeak(rec).length > 0) throw new Error(`internal: smoothing put job ${next.jobId} below its observed peaks`);
  return rec;
}
