import { z } from 'zod';
import { DeploymentKind, FleetBudget } from '../collector/fleet-file.ts';
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

/** Per-slot demand of the pools a fine-grained slot profile declares (network is per TaskManager in Flink). */
export const SlotDemand = z.object({
  taskHeap: PoolDemand,
  taskOffHeap: PoolDemand,
  managed: PoolDemand,
});
export type SlotDemand = z.infer<typeof SlotDemand>;
export const SLOT_POOLS = ['taskHeap', 'taskOffHeap', 'managed'] as const;

/** A slot profile as the DataStream API's SlotSharingGroup builder declares it, in bytes. */
export const SlotProfile = z.object({ taskHeap: Bytes, taskOffHeap: Bytes, managed: Bytes });
export type SlotProfile = z.infer<typeof SlotProfile>;

/** Cores as Flink's CPUResource takes them; kept to thousandths so that sums stay exact. */
const CpuCores = z
  .number()
  .positive()
  .refine((cores) => Math.abs(cores * 1000 - Math.round(cores * 1000)) < 1e-9, 'cpu cores must be a multiple of 0.001');

/**
 * One slot-sharing group of a job run with fine-grained resource management: Flink cuts a slot of
 * exactly its profile out of a TaskManager's resources for each of its `slots`.
 */
export const SlotSharingGroupDemand = z.object({
  name: z.string().min(1),
  /** Slots the group needs: the largest parallelism among its vertices. */
  slots: z.number().int().min(1),
  /** The group's declared CPU (the builder requires a positive value); carried through unchanged. */
  cpuCores: CpuCores,
  /** Predicted demand of one slot of this group. */
  demand: SlotDemand,
  /** Network bytes one slot of this group needs (its share of the TaskManager's buffers). */
  networkNeedPerSlot: Bytes.default(0),
  /** The profile declared now, when known: keeping it (and the current pools) costs no restart. */
  current: SlotProfile.optional(),
});
export type SlotSharingGroupDemand = z.infer<typeof SlotSharingGroupDemand>;

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
  /**
   * Set when the job runs with fine-grained resource management: its slot-sharing groups with
   * declared profiles. The optimizer then picks one profile per group and a TaskManager that
   * Flink carves those slots from (`demand.metaspace` still applies per TaskManager; the other
   * `demand` pools and `alternativeLayouts` are not used).
   */
  slotSharingGroups: z.array(SlotSharingGroupDemand).min(1).max(6).optional(),
});
export type OptimizerJob = z.infer<typeof OptimizerJob>;

export const OptimizerInput = z
  .object({
    jobs: z.array(OptimizerJob),
    budgets: z.array(FleetBudget).default([]),
    /**
     * Cluster kinds, as in the fleet file. The jobs of a 'session' cluster share its TaskManagers,
     * so they get one shape together; a cluster not listed is one job's own (application mode).
     */
    clusters: z.array(z.object({ name: z.string().min(1), kind: DeploymentKind })).optional(),
  })
  .superRefine((input, ctx) => {
    sessionClusterIssues(input).forEach((issue) => ctx.addIssue({ code: 'custom', ...issue }));
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

/** The names of the clusters marked 'session'. */
export function sessionClusterNames(input: Pick<OptimizerInput, 'clusters'>): Set<string> {
  return new Set((input.clusters ?? []).filter((c) => c.kind === 'session').map((c) => c.name));
}

/**
 * All TaskManagers of a session cluster share one config, so its jobs must agree on what that
 * config is now; fine-grained jobs are planned on their own TaskManagers, not in a session.
 */
function sessionClusterIssues(input: Pick<OptimizerInput, 'jobs' | 'clusters'>): Array<{ path: (string | number)[]; message: string }> {
  const sessions = sessionClusterNames(input);
  const first = new Map<string, OptimizerJob>();
  const issues: Array<{ path: (string | number)[]; message: string }> = [];
  input.jobs.forEach((job, i) => {
    if (!sessions.has(job.cluster)) return;
    const at = (field: string) => ({ path: ['jobs', i, field] });
    if (job.slotSharingGroups) issues.push({ ...at('slotSharingGroups'), message: `session cluster '${job.cluster}': fine-grained jobs are not planned inside a session cluster` });
    const head = first.get(job.cluster);
    if (!head) return void first.set(job.cluster, job);
    const differs = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);
    if (job.slotsPerTaskManager !== head.slotsPerTaskManager) issues.push({ ...at('slotsPerTaskManager'), message: `session cluster '${job.cluster}': jobs disagree on slots per TaskManager` });
    if (differs(job.current, head.current)) issues.push({ ...at('current'), message: `session cluster '${job.cluster}': jobs disagree on the current TaskManager pools` });
    if (job.flinkVersion !== head.flinkVersion) issues.push({ ...at('flinkVersion'), message: `session cluster '${job.cluster}': jobs disagree on the Flink version` });
    if (job.namespace !== head.namespace) issues.push({ ...at('namespace'), message: `session cluster '${job.cluster}': jobs disagree on the namespace` });
  });
  return issues;
}
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
  /** Most slots a fine-grained TaskManager is planned to carve (default 8). */
  maxSlotsPerTaskManager: number;
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
  maxSlotsPerTaskManager: 8,
  overhead: { fraction: 0.1, min: 192 * MiB, max: 1024 * MiB },
  mipRelGap: 1e-3,
  timeLimitSeconds: 10,
};

/** One pool left below its predicted p95, per TaskManager. */
export interface PoolShortfall {
  pool: DemandPool;
  /** Set for a fine-grained job: the group whose slot profile is short (sizes are then per slot). */
  slotSharingGroup?: string;
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
  /** Fine-grained jobs only: the profile per slot-sharing group and how many slots a TaskManager holds. */
  slotSharingGroups?: SlotSharingGroupPlan[];
}

/**
 * A slot-sharing group's recommended profile. This is NOT a config key: Flink takes it only from
 * the job's code (DataStream API `SlotSharingGroup.newBuilder(name)...build()`, registered with
 * `env.registerSlotSharingGroup` or passed to `slotSharingGroup(...)`), so it is given as the
 * builder call to paste. Table/SQL jobs cannot declare group profiles.
 */
export interface SlotSharingGroupPlan {
  name: string;
  /** Slots the group needs in all. */
  slots: number;
  /** Slots of this group the planned TaskManager total is made of (absent for the kept current shape). */
  perTaskManager?: number;
  cpuCores: number;
  profile: SlotProfile;
  /** The Java builder call that declares this profile. */
  code: string;
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
    /** Fine-grained jobs: the slot profiles to set in code (see SlotSharingGroupPlan). */
    slotSharingGroups?: SlotSharingGroupPlan[];
  };
  /**
   * Set for a job of a session cluster: pools, config and TaskManager count are the cluster's, and
   * `memory` (current and recommended) is the job's share of it, by the slots it occupies.
   */
  sessionCluster?: string;
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
  /**
   * 'highs', 'greedy' (HiGHS failed or gave no solution), 'independent' (every job's cheapest
   * shape fits every budget: the exact optimum without a solver), or 'none' (nothing to choose).
   */
  solver: 'highs' | 'greedy' | 'independent' | 'none';
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
  /** One entry per session cluster: the shape all its TaskManagers share. */
  sessionClusters: SessionClusterPlan[];
}

export interface SessionClusterPlan {
  name: string;
  jobs: string[];
  change: boolean;
  current: { taskManagers: number; processSize: number; memory: number };
  recommended: { taskManagers: number; processSize: number; memory: number };
}
