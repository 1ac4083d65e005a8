import { z } from 'zod';
import { PoolBytes } from '../../optimizer/types.ts';
import { riskLevelSchema, type Recommendation } from '../recommendation.ts';

/**
 * What `fma nightly` writes to summary.json and renders into report.html: the fleet before and
 * after under each budget, every job's current vs recommended shape, and how well the model's
 * quantiles held up. Sizes are integer bytes.
 */

const bytes = z.number().int().nonnegative();

export const nightlyJobSchema = z.object({
  jobId: z.string().min(1),
  jobName: z.string().optional(),
  cluster: z.string(),
  taskManagers: z.number().int().positive(),
  /** Per TaskManager. */
  current: PoolBytes,
  recommended: PoolBytes,
  currentProcessSize: bytes,
  recommendedProcessSize: bytes,
  /** Over all TaskManagers of the job; negative when the job needs more. */
  saving: z.number().int(),
  risk: riskLevelSchema,
  exceedProbability: z.number().min(0).max(1),
  /** Relative to the output directory, e.g. "patches/orders-a3f1c2d4" (a session cluster's job: the cluster's shared patch). */
  patchDirectory: z.string().optional(),
  /** Set for a job of a session cluster: its TaskManagers (and their sizes) are the cluster's, shared with its other jobs. */
  sessionCluster: z.string().optional(),
  /** True when tonight's change was not material (--min-change) and the last recommendation stands. */
  heldBack: z.boolean().optional(),
});
export type NightlyJob = z.infer<typeof nightlyJobSchema>;

export const budgetOutcomeSchema = z.object({
  /** e.g. "fleet" or a cluster / team name. */
  name: z.string(),
  limit: bytes.optional(),
  /** Total TaskManager process memory, all jobs in scope. */
  before: bytes,
  after: bytes,
  feasible: z.boolean(),
  /** When infeasible: how far over the limit the safest plan still is. */
  shortfall: bytes.optional(),
});
export type BudgetOutcome = z.infer<typeof budgetOutcomeSchema>;

export const calibrationRowSchema = z.object({
  pool: z.string(),
  quantile: z.enum(['p50', 'p95']),
  /** Share of held-out samples whose demand stayed at or below the predicted quantile. */
  observedCoverage: z.number().min(0).max(1),
  samples: z.number().int().nonnegative(),
  /** Mean pinball loss in bytes; lower is better. */
  pinballLoss: z.number().nonnegative().optional(),
});
export type CalibrationRow = z.infer<typeof calibrationRowSchema>;

export const nightlySummarySchema = z.object({
  generatedAt: z.iso.datetime(),
  /** `horizonHours`: what the forecasts, and so every job's risk, are over. */
  model: z.object({ version: z.string(), trainedAt: z.iso.datetime().optional(), horizonHours: z.number().positive().optional() }).optional(),
  budgets: z.array(budgetOutcomeSchema),
  jobs: z.array(nightlyJobSchema),
  calibration: z.array(calibrationRowSchema),
  warnings: z.array(z.string()).default([]),
});
export type NightlySummary = z.infer<typeof nightlySummarySchema>;
export type NightlySummaryInput = z.input<typeof nightlySummarySchema>;

/** The nominal coverage a quantile promises (p95: 95% of demand at or below it). */
export function nominalCoverage(quantile: CalibrationRow['quantile']): number {
  return quantile === 'p50' ? 0.5 : 0.95;
}

/** A job's row in the summary, from its recommendation. */
export function nightlyJobOf(rec: Recommendation, patchDirectory?: string, heldBack?: boolean): NightlyJob {
  return {
    jobId: rec.jobId,
    ...(rec.jobName === undefined ? {} : { jobName: rec.jobName }),
    cluster: rec.cluster,
    taskManagers: rec.taskManagers,
    current: rec.current.pools,
    recommended: rec.recommended.pools,
    currentProcessSize: rec.current.processSize,
    recommendedProcessSize: rec.recommended.processSize,
    saving: rec.saving.total,
    risk: rec.risk.level,
    exceedProbability: rec.risk.exceedProbability,
    ...(patchDirectory === undefined ? {} : { patchDirectory }),
    ...(rec.sessionCluster ? { sessionCluster: rec.sessionCluster.name } : {}),
    ...(heldBack === undefined ? {} : { heldBack }),
  };
}

/** Over all TaskManagers of these jobs, `perTaskManager` bytes each; a session cluster's TaskManagers counted once (its jobs share them). */
export function fleetTotal(jobs: readonly NightlyJob[], perTaskManager: (job: NightlyJob) => number): number {
  const seen = new Set<string>();
  let total = 0;
  for (const j of jobs) {
    if (j.sessionCluster !== undefined) {
      if (seen.has(j.sessionCluster)) continue;
      seen.add(j.sessionCluster);
    }
    total += perTaskManager(j) * j.taskManagers;
  }
  return total;
}
