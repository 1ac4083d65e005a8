import type { JobFeatures } from '../../features/job-features.ts';
import { predictedPools, sliceSeries, type JobSeries, type PredictedPool } from '../../features/job-series.ts';
import type { FeatureOptions } from '../../features/job-features.ts';
import { decisionTimes, featuresAt, type DecisionWindows, type JobHistory } from '../job-history.ts';
import { scoreDecision } from './score.ts';
import type { TruthSeries } from './truth-series.ts';

/** One decision a policy is asked to make: everything known at time t. */
export interface Decision {
  t: number;
  /** The job's whole history up to t (baselines pick their own window from it). */
  history: JobSeries;
  /** Our features over the lookback window before t. */
  features: JobFeatures;
  /** Only the oracle may look: what the job needed after t. */
  future: TruthSeries;
}

/** A sizing policy: per-TaskManager bytes per pool for each decision, in one batch. */
export interface Policy {
  name: string;
  recommend(decisions: readonly Decision[]): Array<Record<PredictedPool, number>>;
}

export interface PolicyResult {
  policy: string;
  decisions: number;
  /** Memory freed against the current config, share of the current total (pools the policies size). */
  savedFraction: number;
  /** Mean bytes freed per decision over the job's TaskManagers. */
  meanSavedBytes: number;
  underProvisionedPoolHours: number;
  ooms: number;
  gcAboveTargetHours: number;
}

/**
 * Walk-forward replay: at each decision time every policy recommends from what was known then,
 * and is scored against what happened over the following horizon.
 */
export function runBacktest(
  jobs: ReadonlyArray<Required<JobHistory>>,
  policies: readonly Policy[],
  windows: DecisionWindows,
  options: FeatureOptions,
): PolicyResult[] {
  const decisions: Array<Decision & { job: Required<JobHistory> }> = [];
  for (const job of jobs) {
    for (const t of decisionTimes(job.series, windows)) {
      decisions.push({ t, job, history: sliceSeries(job.series, Number.NEGATIVE_INFINITY, t), features: featuresAt(job.series, t, windows, options), future: job.truth });
    }
  }
  const horizon = windows.horizonHours * 3_600_000;
  return policies.map((policy) => {
    const recommended = policy.recommend(decisions);
    let saved = 0;
    let current = 0;
    let under = 0;
    let ooms = 0;
    let gc = 0;
    decisions.forEach((d, i) => {
      const cur = Object.fromEntries(predictedPools.map((p) => [p, d.job.series.deployment.current[p]])) as Record<PredictedPool, number>;
      const s = scoreDecision(recommended[i]!, cur, d.job.series.deployment.taskManagers, d.job.truth, d.t, d.t + horizon);
      saved += s.savedBytes;
      current += s.currentBytes;
      under += s.underProvisionedPoolHours;
      ooms += s.ooms;
      gc += s.gcAboveTargetHours;
    });
    return {
      policy: policy.name,
      decisions: decisions.length,
      savedFraction: current > 0 ? saved / current : 0,
      meanSavedBytes: decisions.length > 0 ? saved / decisions.length : 0,
      underProvisionedPoolHours: under,
      ooms,
      gcAboveTargetHours: gc,
    };
  });
}
