import { predictedPools, type PredictedPool } from '../features/job-series.ts';
import type { PoolMetrics } from './model-meta.ts';

/** Predicted quantiles per pool, aligned with a list of levels (e.g. [0.5, 0.9, 0.95, 0.99]), bytes. */
export type LevelPredictions = Record<PredictedPool, number[]>;

/** One row of a calibration table: how often the truth fell at or below the predicted quantile. */
export interface CalibrationRow {
  level: number;
  observed: number;
}

export interface PoolEvaluation extends PoolMetrics {
  calibration: CalibrationRow[];
}

/** Pinball (quantile) loss of predicting `q` at level `tau` when the truth is `y`. */
export function pinball(y: number, q: number, tau: number): number {
  const e = y - q;
  return Math.max(tau * e, (tau - 1) * e);
}

/**
 * Per-pool accuracy against true demand: MAE of p50 in bytes, pinball losses in ln space
 * (scale-free across jobs of very different sizes), p95 coverage and, for every predicted level,
 * the observed fraction of truths at or below it (a calibrated model has observed = level).
 */
export function evaluatePredictions(
  levels: readonly number[],
  predicted: readonly LevelPredictions[],
  truth: ReadonlyArray<Record<PredictedPool, number>>,
): Record<PredictedPool, PoolEvaluation> {
  const result = {} as Record<PredictedPool, PoolEvaluation>;
  for (const pool of predictedPools) {
    result[pool] = evaluatePool(
      levels,
      predicted.map((p) => p[pool]),
      truth.map((t) => t[pool]),
    );
  }
  return result;
}

/** evaluatePredictions for one pool: `predicted[i]` are the quantiles (aligned with `levels`) for truth `truth[i]`. */
export function evaluatePool(levels: readonly number[], predicted: ReadonlyArray<readonly number[]>, truth: readonly number[]): PoolEvaluation {
  const i50 = levelIndex(levels, 0.5);
  const i95 = levelIndex(levels, 0.95);
  const ln = (v: number) => Math.log(Math.max(1, v));
  let abs = 0;
  let l50 = 0;
  let l95 = 0;
  const hits = levels.map(() => 0);
  predicted.forEach((q, i) => {
    const y = truth[i]!;
    abs += Math.abs(y - q[i50]!);
    l50 += pinball(ln(y), ln(q[i50]!), 0.5);
    l95 += pinball(ln(y), ln(q[i95]!), 0.95);
    levels.forEach((_, k) => {
      if (y <= q[k]!) hits[k]!++;
    });
  });
  const n = Math.max(1, predicted.length);
  return {
    maeBytes: abs / n,
    pinballP50: l50 / n,
    pinballP95: l95 / n,
    coverageP95: hits[i95]! / n,
    examples: predicted.length,
    calibration: levels.map((level, k) => ({ level, observed: hits[k]! / n })),
  };
}

export function levelIndex(levels: readonly number[], level: number): number {
  const i = levels.findIndex((l) => Math.abs(l - level) < 1e-9);
  if (i < 0) throw new Error(`quantile level ${level} is not among the model's levels ${levels.join(', ')}`);
  return i;
}
