import type { DeploymentKind } from '../collector/fleet-file.ts';
import type { OptimizerJob } from '../optimizer/types.ts';

/**
 * A session cluster's TaskManagers run several jobs, and the JVM metrics Flink reports (heap,
 * direct memory, metaspace) are the TaskManager's, not a job's: every member's observed and
 * predicted heap, off-heap and metaspace are the cluster's. The optimizer sizes a session cluster
 * from per-job demand, summing the heaviest mix of slots (and of job metaspaces) one TaskManager
 * can hold; so each member is given the cluster's demand (the largest any member saw) spread over
 * the slots the jobs fill, and that sum comes back to the cluster's demand, never below what any
 * member saw. Managed memory (RocksDB's own per-operator metrics) and network (the job's topology)
 * are the job's own and stay as they are. Pure: returns new jobs.
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
    const pool = (name: 'taskHeap' | 'taskOffHeap' | 'metaspace', scale: number) => {
      const q = (k: 'p50' | 'p95' | 'observedPeak') => Math.ceil(largest((job) => job.demand[name][k]) * scale);
      return { p50: q('p50'), p95: q('p95'), observedPeak: q('observedPeak') };
    };
    spread.set(cluster, {
      ...group[0]!.demand,
      taskHeap: pool('taskHeap', slots / filled),
      taskOffHeap: pool('taskOffHeap', slots / filled),
      metaspace: pool('metaspace', 1 / jobsPerTm),
    });
  }
  return jobs.map((job) => {
    const shared = spread.get(job.cluster);
    return shared ? { ...job, demand: { ...shared, managed: job.demand.managed } } : job;
  });
}
