import type { DeploymentKind } from '../collector/fleet-file.ts';
import type { OptimizerJob } from '../optimizer/types.ts';

/**
 * A session cluster's TaskManagers run several jobs, and the JVM metrics Flink reports (heap,
 * direct memory, metaspace) are the TaskManager's, not a job's: every member's observed and
 * predicted heap, off-heap and metaspace are the cluster's. Managed memory is too: Flink splits it
 * evenly over all of a TaskManager's slots whichever job holds them, and a member's managed demand
 * is already a whole TaskManager's (its busiest slot's need times the slots, or the current size),
 * so the shape must give every slot the largest member's share. The optimizer sizes a session
 * cluster from per-job demand, summing the heaviest mix of slots (and of job metaspaces) one
 * TaskManager can hold; so each member is given the cluster's demand (the largest any member saw)
 * spread over the slots the jobs fill, and that sum comes back to the cluster's demand, never below
 * what any member saw (RocksDB jobs filling fewer slots than a TaskManager has would otherwise be
 * given less than their own figure). Network (the job's topology) is the job's own and stays as it
 * is. Pure: returns new jobs.
 */
export function sessionMemberDemand(jobs: readonly OptimizerJob[], kinds: ReadonlyMap<string, DeploymentKind>): OptimizerJob[] {
  const members = new Map<string, OptimizerJob[]>();
  for (const job of jobs) if (kinds.get(job.cluster) === 'session') members.set(job.cluster, [...(members.get(job.cluster) ?? []), job]);
  const spread = new Map<string, OptimizerJob['demand']>();
  for (const [cluster, group] of members) {
    const slots = group[0]!.slotsPerTaskManager;
    const filled = Math.min(slots, group.reduce((n, job) => n + job.parallelism, 0));
    const jobsPerTm = Math.min(slots, group.length);
    const largest = (pick: (job: OptimizerJob) => number) => Math.max(...group.map(pick));
    const pool = (name: 'taskHeap' | 'taskOffHeap' | 'managed' | 'metaspace', scale: number) => {
      const q = (k: 'p50' | 'p95' | 'observedPeak') => Math.ceil(largest((job) => job.demand[name][k]) * scale);
      return { p50: q('p50'), p95: q('p95'), observedPeak: q('observedPeak') };
    };
    spread.set(cluster, {
      taskHeap: pool('taskHeap', slots / filled),
      taskOffHeap: pool('taskOffHeap', slots / filled),
      managed: pool('managed', slots / filled),
      metaspace: pool('metaspace', 1 / jobsPerTm),
    });
  }
  return jobs.map((job) => {
    const shared = spread.get(job.cluster);
    return shared ? { ...job, demand: shared } : job;
  });
}
