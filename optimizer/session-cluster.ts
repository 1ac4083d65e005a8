import { DEMAND_POOLS, type OptimizerJob, type PoolDemand, type TaskManagerDemand } from './types.ts';

/**
 * A session cluster as one job the candidate builder can size: all its TaskManagers share one
 * config and any slot may host any job's subtasks, so one TaskManager must hold the heaviest mix
 * of `s` slots its jobs can put on it. Per pool (and per quantile) that is the sum of the `s`
 * largest per-slot demands, a job counted at most as often as it has slots; metaspace is loaded
 * once per job present, so it is the sum of the largest min(s, jobs) job metaspaces. Adding p95s
 * is conservative (the jobs rarely peak together); it never undercuts an observed peak.
 */

/** The sum of the `count` largest values, each value usable `times` times at most. */
function topSum(values: ReadonlyArray<{ value: number; times: number }>, count: number): number {
  let left = count;
  let sum = 0;
  for (const { value, times } of [...values].sort((a, b) => b.value - a.value)) {
    const n = Math.min(times, left);
    sum += n * value;
    left -= n;
    if (left === 0) break;
  }
  return sum;
}

const QUANTILES = ['observedPeak', 'p50', 'p95'] as const;

export function sessionClusterJob(cluster: string, jobs: readonly OptimizerJob[]): OptimizerJob {
  const head = jobs[0]!;
  const slots = head.slotsPerTaskManager;
  const perSlot = (bytes: number) => Math.ceil(bytes / slots);
  const combined = (pick: (job: OptimizerJob) => number, perJob: boolean) =>
    topSum(
      jobs.map((job) => ({ value: perJob ? pick(job) : perSlot(pick(job)), times: perJob ? 1 : job.parallelism })),
      slots,
    );
  const pool = (name: (typeof DEMAND_POOLS)[number]): PoolDemand =>
    Object.fromEntries(QUANTILES.map((q) => [q, combined((job) => job.demand[name][q], name === 'metaspace')])) as PoolDemand;
  const demand = Object.fromEntries(DEMAND_POOLS.map((name) => [name, pool(name)])) as TaskManagerDemand;
  const parallelism = jobs.reduce((sum, job) => sum + job.parallelism, 0);
  return {
    id: cluster,
    cluster,
    ...(head.namespace !== undefined && { namespace: head.namespace }),
    ...(head.flinkVersion !== undefined && { flinkVersion: head.flinkVersion }),
    taskManagers: Math.max(...jobs.map((job) => job.taskManagers)),
    parallelism,
    slotsPerTaskManager: slots,
    demand,
    networkNeed: combined((job) => job.networkNeed, false),
    usesManaged: jobs.some((job) => job.usesManaged),
    current: head.current,
    alternativeLayouts: [],
  };
}

/** Splits `total` over jobs in proportion to their slots, in whole bytes that add up exactly. */
export function shareBySlots(total: number, slots: readonly number[]): number[] {
  const all = slots.reduce((a, b) => a + b, 0);
  const shares = slots.map((s) => Math.floor(total / all) * s + Math.floor(((total % all) * s) / all)); // no 2^53 overflow
  let rest = total - shares.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % shares.length, rest--) shares[i]!++;
  return shares;
}
