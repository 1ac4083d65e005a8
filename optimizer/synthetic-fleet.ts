import { Random } from '../simulator/random.ts';
import { roundUp } from './candidates.ts';
import type { Layout, OptimizerJob, PoolBytes, PoolDemand, TaskManagerDemand } from './types.ts';

const MiB = 1024 * 1024;

/**
 * A seeded fleet of optimizer inputs for the benchmark and the solver cross-checks: demand that
 * grows (observed peak < p50 < p95, so every pool has several sensible sizes), a mix of RocksDB
 * jobs (managed used) and heap-state jobs, 1 to 16 TaskManagers. Most current shapes are
 * over-provisioned; about a third are already close to their p95 (a restart would save little).
 * Half the jobs may also run with twice the slots per TaskManager (half as many TaskManagers,
 * sharing framework, metaspace and overhead), with per-TaskManager demand that grows a little
 * less than twice.
 */
export function syntheticFleet(count: number, seed: number): OptimizerJob[] {
  const random = new Random(seed);
  const demand = (peakMiB: number): PoolDemand => {
    const peak = Math.round(peakMiB * MiB);
    const p50 = Math.round(peak * random.between(1.05, 1.2));
    return { observedPeak: peak, p50, p95: Math.round(p50 * random.between(1.1, 1.4)) };
  };
  const scaled = (d: PoolDemand, by: number): PoolDemand => ({
    observedPeak: Math.round(d.observedPeak * by),
    p50: Math.round(d.p50 * by),
    p95: Math.round(d.p95 * by),
  });
  return Array.from({ length: count }, (_, i) => {
    const usesManaged = random.chance(0.5);
    const slots = random.pick([1, 2, 4]);
    const taskManagers = random.int(1, 16);
    const heap = random.logBetween(200, 6000);
    const managed = usesManaged ? random.logBetween(200, 8000) : 0;
    const jobDemand: TaskManagerDemand = {
      taskHeap: demand(heap),
      managed: usesManaged ? demand(managed) : { observedPeak: 0, p50: 0, p95: 0 },
      metaspace: demand(random.between(80, 250)),
      taskOffHeap: demand(random.between(0, 64)),
    };
    const networkNeed = Math.round(random.between(16, 256) * MiB);
    const closeToP95 = random.chance(0.35);
    const over = (p95: number, fallbackMiB: number) =>
      closeToP95 ? roundUp(p95, 16 * MiB) + random.int(0, 3) * 16 * MiB : Math.round(fallbackMiB * random.between(1.3, 2.5)) * MiB;
    const current: PoolBytes = {
      frameworkHeap: 128 * MiB,
      taskHeap: over(jobDemand.taskHeap.p95, heap),
      frameworkOffHeap: 128 * MiB,
      taskOffHeap: closeToP95 ? roundUp(jobDemand.taskOffHeap.p95, 16 * MiB) : 128 * MiB,
      managed: usesManaged ? over(jobDemand.managed.p95, managed) : closeToP95 ? 0 : Math.round(512 * random.between(1.3, 2.5)) * MiB,
      network: closeToP95 ? roundUp(networkNeed, 16 * MiB) : 256 * MiB,
      metaspace: closeToP95 ? roundUp(jobDemand.metaspace.p95, 16 * MiB) : 256 * MiB,
      overhead: closeToP95 ? 256 * MiB : 512 * MiB,
    };
    const wider: Layout[] =
      taskManagers > 1 && random.chance(0.5)
        ? [
            {
              slotsPerTaskManager: 2 * slots,
              demand: {
                taskHeap: scaled(jobDemand.taskHeap, 1.9),
                managed: scaled(jobDemand.managed, 2),
                metaspace: jobDemand.metaspace,
                taskOffHeap: scaled(jobDemand.taskOffHeap, 2),
              },
              networkNeed: Math.round(networkNeed * 1.7),
            },
          ]
        : [];
    return {
      id: `job-${String(i).padStart(4, '0')}`,
      cluster: `cluster-${i}`,
      namespace: `team-${i % 8}`,
      taskManagers,
      parallelism: taskManagers * slots,
      slotsPerTaskManager: slots,
      demand: jobDemand,
      networkNeed,
      usesManaged,
      current,
      alternativeLayouts: wider,
    };
  });
}
