import type { FlinkConfig } from './config.ts';
import type { JobManagerMemory } from './jobmanager-memory.ts';
import { JobManagerOptions as O } from './options.ts';
import { resolveFlinkVersion, type FlinkVersionProfile } from './version.ts';

export type JobManagerPools = Pick<JobManagerMemory, 'jvmHeap' | 'offHeap' | 'metaspace' | 'overhead'>;

/**
 * The inverse of `deriveJobManagerMemory`, pinned: every pool and both totals explicit, so that
 * no other memory key in the user's file can move a byte. Flink 1.11.0/1.11.1 reject heap +
 * off-heap + flink size together (FLINK-18993), so there the flink size is left out.
 */
export function configForJobManagerPools(pools: JobManagerPools, version: FlinkVersionProfile = resolveFlinkVersion()): FlinkConfig {
  const totalFlink = pools.jvmHeap.add(pools.offHeap);
  return {
    [O.heap.key]: pools.jvmHeap.toConfigString(),
    [O.offHeap.key]: pools.offHeap.toConfigString(),
    [O.metaspace.key]: pools.metaspace.toConfigString(),
    [O.overheadMin.key]: pools.overhead.toConfigString(),
    [O.overheadMax.key]: pools.overhead.toConfigString(),
    ...(version.jobManagerTotalFlinkCheckBug ? {} : { [O.totalFlink.key]: totalFlink.toConfigString() }),
    [O.totalProcess.key]: totalFlink.add(pools.metaspace).add(pools.overhead).toConfigString(),
  };
}
