import { z } from 'zod';

/**
 * One job's memory advice as `fma advise --json` prints it (contract 4 of docs/architecture.md)
 * and as the exporters and the report consume it. Sizes are integer bytes per TaskManager.
 */

const bytes = z.number().int().nonnegative();

export const TASK_MANAGER_POOLS = [
  'frameworkHeap',
  'taskHeap',
  'frameworkOffHeap',
  'taskOffHeap',
  'managed',
  'network',
  'metaspace',
  'overhead',
] as const;
export type TaskManagerPool = (typeof TASK_MANAGER_POOLS)[number];

export const taskManagerPoolsSchema = z.object({
  frameworkHeap: bytes,
  taskHeap: bytes,
  frameworkOffHeap: bytes,
  taskOffHeap: bytes,
  managed: bytes,
  network: bytes,
  metaspace: bytes,
  overhead: bytes,
});
export type TaskManagerPools = z.infer<typeof taskManagerPoolsSchema>;

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
  current: z.object({ pools: taskManagerPoolsSchema, processSize: bytes }),
  recommended: z.object({
    pools: taskManagerPoolsSchema,
    processSize: bytes,
    /** The memory options that make Flink derive exactly `pools` (from flink/'s pools -> config). */
    flinkConfig: flinkConfigSchema,
  }),
  predicted: z.object({
    frameworkHeap: quantileSchema,
    taskHeap: quantileSchema,
    frameworkOffHeap: quantileSchema,
    taskOffHeap: quantileSchema,
    managed: quantileSchema,
    network: quantileSchema,
    metaspace: quantileSchema,
    overhead: quantileSchema,
  }),
  /** The highest use seen per pool over the history window; pools Flink does not report are left out. */
  observedPeaks: taskManagerPoolsSchema.partial(),
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
    /** Estimated probability that some pool's demand exceeds its recommended size before the next review. */
    exceedProbability: z.number().min(0).max(1),
  }),
  saving: z.object({
    /** current - recommended process size per TaskManager; negative when the job needs more. */
    perTaskManager: z.number().int(),
    total: z.number().int(),
  }),
  jobManager: jobManagerAdviceSchema.optional(),
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
  return TASK_MANAGER_POOLS.filter((pool) => {
    const peak = rec.observedPeaks[pool];
    return peak !== undefined && rec.recommended.pools[pool] < peak;
  });
}
