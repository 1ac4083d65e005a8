import { z } from 'zod';
import { FleetBudget } from '../collector/fleet-file.ts';
import { MemorySize } from '../flink/memory-size.ts';
import { resolveFlinkVersion } from '../flink/version.ts';

/**
 * The optimizer's input and output as plain values. Sizes are integer bytes; on input a size may
 * also be written as a Flink memory size string ("512m") so that hand-written files stay readable.
 */

/** Integer bytes, or a Flink memory size string, read as integer bytes. */
export const Bytes = z.union([
  z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  z.string().transform((text, ctx) => {
    try {
      return MemorySize.parse(text).toNumber();
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `not a memory size: ${(error as Error).message}` });
      return z.NEVER;
    }
  }),
]);

/** Predicted demand of one pool on one TaskManager, plus the largest use ever seen there. */
export const PoolDemand = z.object({
  p50: Bytes,
  p95: Bytes,
  /** Never size a pool below this: it has already happened. */
  observedPeak: Bytes,
});
export type PoolDemand = z.infer<typeof PoolDemand>;

/** Per TaskManager demand of the pools that user code and state fill. */
export const TaskManagerDemand = z.object({
  taskHeap: PoolDemand,
  managed: PoolDemand,
  metaspace: PoolDemand,
  taskOffHeap: PoolDemand,
});
export type TaskManagerDemand = z.infer<typeof TaskManagerDemand>;

export const DEMAND_POOLS = ['taskHeap', 'managed', 'metaspace', 'taskOffHeap'] as const;
export type DemandPool = (typeof DEMAND_POOLS)[number];

/** The eight TaskManager pools in bytes (flink/'s TaskManagerPools, as plain numbers). */
export const PoolBytes = z.object({
  frameworkHeap: Bytes,
  taskHeap: Bytes,
  frameworkOffHeap: Bytes,
  taskOffHeap: Bytes,
  managed: Bytes,
  network: Bytes,
  metaspace: Bytes,
  overhead: Bytes,
});
export type PoolBytes = z.infer<typeof PoolBytes>;
export const POOL_NAMES = [
  'frameworkHeap',
  'taskHeap',
  'frameworkOffHeap',
  'taskOffHeap',
  'managed',
  'network',
  'metaspace',
  'overhead',
] as const satisfies ReadonlyArray<keyof PoolBytes>;

/** How a job's slots are spread over TaskManagers, and what one TaskManager then needs. */
export const Layout = z.object({
  slotsPerTaskManager: z.number().int().min(1),
  demand: TaskManagerDemand,
  /** Network memory one TaskManager needs for the job's topology (flink/network-need.ts). */
  networkNeed: Bytes,
});
export type Layout = z.infer<typeof Layout>;

export const OptimizerJob = z.object({
  id: z.string().min(1),
  cluster: z.string().min(1),
  namespace: z.string().min(1).optional(),
  flinkVersion: z
    .string()
    .optional()
    .superRefine((text, ctx) => {
      try {
        resolveFlinkVersion(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  /** Current TaskManager count. */
  taskManagers: z.number().int().min(1),
  /** Slots the job occupies: a new shape runs ceil(parallelism / slotsPerTaskManager) TaskManagers. */
  parallelism: z.number().int().min(1),
  /** The current layout. */
  slotsPerTaskManager: z.number().int().min(1),
  demand: TaskManagerDemand,
  networkNeed: Bytes,
  /** False when nothing uses managed memory (no RocksDB, no batch operators): managed is then 0. */
  usesManaged: z.boolean(),
  /** The current pools of one TaskManager. */
  current: PoolBytes,
  /** Other slots-per-TaskManager layouts the optimizer may choose, each with its own predicted demand. */
  alternativeLayouts: z.array(Layout).default([]),
});
export type OptimizerJob = z.infer<typeof OptimizerJob>;

export const OptimizerInput = z
  .object({
    jobs: z.array(OptimizerJob),
    budgets: z.array(FleetBudget).default([]),
  })
  .superRefine((input, ctx) => {
    const seen = new Set<string>();
    input.jobs.forEach((job, i) => {
      if (seen.has(job.id)) ctx.addIssue({ code: 'custom', path: ['jobs', i, 'id'], message: `job id '${job.id}' appears twice` });
      seen.add(job.id);
    });
    input.budgets.forEach((budget, i) => {
      try {
        MemorySize.parse(budget.total);
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['budgets', i, 'total'], message: (error as Error).message });
      }
    });
  });
export type OptimizerInput = z.infer<typeof OptimizerInput>;
export type OptimizerInputText = z.input<typeof OptimizerInput>;

export interface OptimizeOptions {
  /** Pools are whole multiples of this many bytes (default 16 MiB). */
  unitBytes: number;
  /** Cost, in bytes of memory, of each byte a pool lies below its p95 on each TaskManager (default 4). */
  riskWeight: number;
  /** Cost, in bytes of memory, of restarting a job onto a new shape (default 1 GiB). */
  changeCost: number;
  /** Extra pool levels spread between the observed peak and p95 (default 2). */
  levelSteps: number;
  /** JVM overhead policy: this fraction of the process size, clamped (Flink's defaults). */
  overhead: { fraction: number; min: number; max: number };
  /** HiGHS stopping rules. */
  mipRelGap: number;
  timeLimitSeconds: number;
}

const MiB = 1024 * 1024;
export const DEFAULT_OPTIONS: OptimizeOptions = {
  unitBytes: 16 * MiB,
  riskWeight: 4,
  changeCost: 1024 * MiB,
  levelSteps: 2,
  overhead: { fraction: 0.1, min: 192 * MiB, max: 1024 * MiB },
  mipRelGap: 1e-3,
  timeLimitSeconds: 10,
};

/** One pool left below its predicted p95, per TaskManager. */
export interface PoolShortfall {
  pool: DemandPool;
  p95: number;
  size: number;
  shortBy: number;
}

/** A candidate shape: what a job would run as, and what that costs. */
export interface Shape {
  pools: PoolBytes;
  processSize: number;
  slotsPerTaskManager: number;
  taskManagers: number;
  /** taskManagers x processSize. */
  memory: number;
  shortfalls: PoolShortfall[];
  /** riskWeight x taskManagers x total shortfall. */
  riskCost: number;
  /** False only for the job's current shape. */
  change: boolean;
  /** memory + riskCost + change cost: the objective coefficient. */
  cost: number;
}

export interface JobPlan {
  id: string;
  cluster: string;
  namespace?: string;
  /** True when the plan restarts the job onto a new shape. */
  change: boolean;
  current: { pools: PoolBytes; processSize: number; taskManagers: number; slotsPerTaskManager: number; memory: number };
  recommended: {
    pools: PoolBytes;
    processSize: number;
    taskManagers: number;
    slotsPerTaskManager: number;
    memory: number;
    /** Option keys that Flink derives back into exactly these pools. */
    flinkConfig: Record<string, string>;
  };
  /** Pools left below p95 (empty when every pool covers its p95). */
  belowP95: PoolShortfall[];
  /** How many shapes the optimizer weighed for this job (after dropping dominated ones). */
  candidates: number;
}

export interface BudgetReport {
  name: string;
  total: number;
  jobs: number;
  before: number;
  after: number;
  /** Smallest total that every member job fits in (each at its smallest safe shape). */
  minimalFeasible: number;
  feasible: boolean;
}

export interface SolverReport {
  /** 'highs', 'greedy' (HiGHS failed or gave no solution), or 'none' (nothing to choose). */
  solver: 'highs' | 'greedy' | 'none';
  status: string;
  /** Relative MIP gap HiGHS proved (0 for a proved optimum; undefined for greedy). */
  gap?: number;
  objective: number;
  seconds: number;
  variables: number;
  rows: number;
}

export interface FleetPlan {
  /** False when some budget is below its minimal feasible total: the plan then uses the minimal totals instead. */
  feasible: boolean;
  jobs: JobPlan[];
  budgets: BudgetReport[];
  totals: { before: number; after: number };
  /** Jobs whose plan leaves some pool below p95. */
  belowP95: string[];
  solver: SolverReport;
}
