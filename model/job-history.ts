import { extractFeatures, type FeatureOptions, type JobFeatures } from '../features/job-features.ts';
import { sliceSeries, type JobSeries } from '../features/job-series.ts';
import { peakNeed, type TruthSeries } from './backtest/truth-series.ts';
import { observedTruth } from './backtest/observed-truth.ts';
import type { TrainingExample } from './types.ts';

/** A job's observed history and, when it is known (simulator), what it truly needed. */
export interface JobHistory {
  series: JobSeries;
  truth?: TruthSeries;
}

/** When decisions are made and how much past and future each one sees. */
export interface DecisionWindows {
  /** Features are computed from the last `lookbackHours` before a decision. */
  lookbackHours: number;
  /** Targets and scores look this far past a decision. */
  horizonHours: number;
  /** Hours between decisions. */
  stepHours: number;
}

export const defaultWindows: DecisionWindows = { lookbackHours: 24, horizonHours: 24, stepHours: 6 };

const HOUR = 3_600_000;

/** Decision times of a job: every step once a full lookback lies behind and a full horizon ahead. */
export function decisionTimes(series: JobSeries, w: DecisionWindows): number[] {
  const n = series.t.length;
  if (n === 0) return [];
  const first = series.t[0]! + w.lookbackHours * HOUR;
  const last = series.t[n - 1]! - w.horizonHours * HOUR;
  const times: number[] = [];
  for (let t = first; t <= last; t += w.stepHours * HOUR) times.push(t);
  return times;
}

/** The features known at decision time t: from the lookback window just before it. */
export function featuresAt(series: JobSeries, t: number, w: DecisionWindows, options: FeatureOptions): JobFeatures {
  return extractFeatures(sliceSeries(series, t - w.lookbackHours * HOUR, t), options);
}

/**
 * Supervised examples from histories: features before each decision time, the peak need over the
 * horizon after it. Without ground truth (a recording, the store) the target is self-supervised:
 * the peak of the demand observed over the horizon (backtest/observed-truth.ts).
 */
export function trainingExamples(histories: readonly JobHistory[], w: DecisionWindows, options: FeatureOptions): TrainingExample[] {
  const out: TrainingExample[] = [];
  for (const h of histories) {
    const truth = h.truth ?? observedTruth(h.series);
    for (const t of decisionTimes(h.series, w)) {
      out.push({ features: featuresAt(h.series, t, w, options), demand: peakNeed(truth, t, t + w.horizonHours * HOUR) });
    }
  }
  return out;
}

/** Histories with their truth: the simulator's where known, else what was observed. */
export function withTruth(histories: readonly JobHistory[]): Array<Required<JobHistory>> {
  return histories.map((h) => ({ series: h.series, truth: h.truth ?? observedTruth(h.series) }));
}
