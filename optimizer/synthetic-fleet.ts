import { Random } from '../simulator/random.ts';
import type { OptimizerJob, PoolBytes, PoolDemand } from './types.ts';

const MiB = 1024 * 1024;

/**
 * A seeded fleet of optimizer inputs for the benchmark and the solver cross-checks: over-provisioned
 * current shapes, demand that grows (observed peak < p50 < p95, so every pool has several
 * sensible sizes), a mix of RocksDB jobs (managed used) and heap-state jobs, 1 to 16 TaskManagers.
 */
export function syntheticFleet(count: number, seed: number): OptimizerJob[] {
  const random = new Random(seed);
  const demand = (peakMiB: number): PoolDemand => {
    const peak = Math.round(peakMiB * MiB);
    const p50 = Math.round(peak * random.between(1.05, 1.2));
    return { observedPeak: peak, p50, p95: Math.round(p50 * random.between(1.1, 1.4)) };
  };
  return Array.from({ length: count }, (_, i) => {
    const usesManaged = random.chance(0.5);
    const slots = random.pick([1, 2, 4]);
    const taskManagers = random.int(1, 16);
    const heap = random.logBetween(200, 6000);
    const managed = usesManaged ? random.logBetween(200, 8000) : 0;
    const jobDemand = {
      taskHeap: demand(heap),
      managed: usesManaged ? demand(managed) : { observedPeak: 0, p50: 0, p95: 0 },
      metaspace: demand(random.between(80, 250)),
      taskOffHeap: demand(random.between(0, 64)),
    };
    const networkNeed = Math.round(random.between(16, 256) * MiB);
    const current: PoolBytes = {
      frameworkHeap: 128 * MiB,
      taskHeap: Math.round(heap * random.between(1.3, 2.5)) * MiB,
      frameworkOffHeap: 128 * MiB,
      taskOffHeap: 128 * MiB,
      managed: Math.round((usesManaged ? managed : 512) * random.between(1.3, 2.5)) * MiB,
      network: 256 * MiB,
      metaspace: 256 * MiB,
      overhead: 512 * MiB,
    };
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
      alternativeLayouts: [],
    };
  });
}
