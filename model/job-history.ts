import { extractFeatures, type FeatureOptions, type JobFeatures } from '../features/job-features.ts';
import { sliceSeries, type JobSeries } from '../features/job-series.ts';
import { peakNeed, type TruthSeries } from './backtest/truth-series.ts';
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
 * horizon after it. Without ground truth the observed future peak stands in (heap: the live set
 * after GC where known, else heap used).
 */
export function trainingExamples(histories: readonly JobHistory[], w: DecisionWindows, options: FeatureOptions): TrainingExample[] {
  const out: TrainingExample[] = [];
  for (const h of histories) {
    for (const t of decisionTimes(h.series, w)) {
      const end = t + w.horizonHours * HOUR;
      out.push({ features: featuresAt(h.series, t, w, options), demand: h.truth ? peakNeed(h.truth, t, end) : observedPeak(h.series, t, end) });
    }
  }
  return out;
}

function observedPeak(series: JobSeries, from: number, to: number): TrainingExample['demand'] {
  const f = extractFeatures(sliceSeries(series, from, to));
  const v = f.values;
  return { heap: v.hasHeapAfterGc ? v.heapAfterGcMax : v.heapMax, managed: v.managedMax, metaspace: v.metaspaceMax, direct: v.directMax };
}
