import { z } from 'zod';
import { POOL_NAMES, PoolBytes } from '../optimizer/types.ts';

/**
 * One job's memory advice as `fma advise --json` prints it (contract 4 of docs/architecture.md)
 * and as the exporters and the report consume it. Sizes are integer bytes per TaskManager.
 */

const bytes = z.number().int().nonnegative();

// The eight TaskManager pools are the optimizer's PoolBytes (integer bytes; it also reads "512m" on input).
export type TaskManagerPool = (typeof POOL_NAMES)[number];

export const JOB_MANAGER_POOLS = ['jvmHeap', 'offHeap', 'metaspace', 'overhead'] as const;
export type JobManagerPool = (typeof JOB_MANAGER_POOLS)[number];

export const jobManagerPoolsSchema = z.object({ jvmHeap: bytes, offHeap: bytes, metaspace: bytes, overhead: bytes });
export type JobManagerPools = z.infer<typeof jobManagerPoolsSchema>;

/** Option key -> value string, exactly what goes into the Flink configuration. */
const flinkConfigSchema = z.record(z.string(), z.string());

const quantileSchema = z.object({ p50: bytes, p95: bytes }).refine((q) => q.p50 <= q.p95, 'p50 must not exceed p95');

export const riskLevelSchema = z.enum(['low', 'medium', 'high']);
export type RiskLevel = z.infer<typeof riskLevelSchema>;

export const jobManagerAdviceSchema = z.object({
  current: z.object({ pools: jobManagerPoolsSchema, processSize: bytes }),
  recommended: z.object({ pools: jobManagerPoolsSchema, processSize: bytes, flinkConfig: flinkConfigSchema }),
  reasons: z.array(z.string()),
});
export type JobManagerAdvice = z.infer<typeof jobManagerAdviceSchema>;

export const recommendationSchema = z.object({
  jobId: z.string().min(1),
  jobName: z.string().optional(),
  cluster: z.string(),
  /** e.g. "1.20"; decides default values and which config file the cluster reads. */
  flinkVersion: z.string().optional(),
  taskManagers: z.number().int().positive(),
  current: z.object({ pools: PoolBytes, processSize: bytes }),
  recommended: z.object({
    pools: PoolBytes,
    processSize: bytes,
    /** The memory options that make Flink derive exactly `pools` (from flink/'s pools -> config). */
    flinkConfig: flinkConfigSchema,
  }),
  /** p50/p95 per pool (zod 4: a record over an enum needs every pool). */
  predicted: z.record(z.enum(POOL_NAMES), quantileSchema),
  /** The highest use seen per pool over the history window; pools Flink does not report are left out. */
  observedPeaks: PoolBytes.partial(),
  evidence: z.object({
    /** Share of wall time spent in GC, 0..1. */
    gcTimeRatio: z.number().min(0).max(1).optional(),
    outOfMemoryErrors: z.array(z.object({ at: z.number().int(), kind: z.string(), message: z.string() })).default([]),
    /** How the network pool was sized, e.g. "2 x 64 remote channels + 8 floating ... = 4,200 buffers x 32 KiB". */
    networkFormula: z.string().optional(),
  }),
  reasons: z.array(z.string()),
  risk: z.object({
    level: riskLevelSchema,
    /**
     * Estimated probability that some pool needs more than its recommended size over the next
     * `horizonHours`: each pool's p50/p95 read as a log-normal, with the coverage those quantiles
     * had on held-out history, pools taken as independent (advisor/risk.ts).
     */
    exceedProbability: z.number().min(0).max(1),
    /** The forecast horizon the probability is over (the model's). */
    horizonHours: z.number().positive().optional(),
    /**
     * Whose p50/p95 the probability reads: the model's, with their held-out calibration, or the
     * conservative rule's (too little history, or inputs the model was not trained on), nominally.
     */
    forecast: z.enum(['model', 'rule']).optional(),
  }),
  saving: z.object({
    /** current - recommended process size per TaskManager; negative when the job needs more. */
    perTaskManager: z.number().int(),
    total: z.number().int(),
  }),
  jobManager: jobManagerAdviceSchema.optional(),
  /**
   * Set when the job runs on a session cluster: the TaskManager shape (pools, options, count) is
   * the cluster's, shared with the jobs listed (ids, this one included) and sized for the heaviest
   * mix of their slots, so it is applied to the cluster once; `saving` is this job's share by slots.
   */
  sessionCluster: z.object({ name: z.string().min(1), jobs: z.array(z.string().min(1)).min(1) }).optional(),
});
export type Recommendation = z.infer<typeof recommendationSchema>;
export type RecommendationInput = z.input<typeof recommendationSchema>;

export function sumPools(pools: Readonly<Record<string, number>>): number {
  return Object.values(pools).reduce((a, b) => a + b, 0);
}

/**
 * Pools where the recommendation would sit below what the job was seen to use. The advisor's
 * rule is never to recommend below observed demand, so a non-empty answer is a bug upstream.
 */
export function poolsBelowObservedPeak(rec: Recommendation): TaskManagerPool[] {
  return POOL_NAMES.filter((pool) => {
    const peak = rec.observedPeaks[pool];
    return peak !== undefined && rec.recommended.pools[pool] < peak;
  });
}
