import { MemorySize } from '../../flink/memory-size.ts';
import { JobManagerOptions as JM } from '../../flink/options.ts';
import { configForTaskManagerPools } from '../../flink/taskmanager-config-for.ts';
import { resolveFlinkVersion } from '../../flink/version.ts';
import { toFlinkPools } from '../flink-pools.ts';
import type { JobManagerPools, Recommendation } from '../recommendation.ts';

/**
 * The JobManager's sizing options pinned to exact values (flink/ has the TaskManager's). Flink
 * 1.11.0/1.11.1 reject heap + off-heap + flink size together (FLINK-18993), so there the flink
 * size is left out.
 */
export function pinnedJobManagerConfig(pools: JobManagerPools, flinkVersion?: string): Record<string, string> {
  const flink = pools.jvmHeap + pools.offHeap;
  const config: Record<string, string> = {
    [JM.heap.key]: size(pools.jvmHeap),
    [JM.offHeap.key]: size(pools.offHeap),
    [JM.metaspace.key]: size(pools.metaspace),
    [JM.overheadMin.key]: size(pools.overhead),
    [JM.overheadMax.key]: size(pools.overhead),
    [JM.totalFlink.key]: size(flink),
    [JM.totalProcess.key]: size(flink + pools.metaspace + pools.overhead),
  };
  if (resolveFlinkVersion(flinkVersion).jobManagerTotalFlinkCheckBug) delete config[JM.totalFlink.key];
  return config;
}

/**
 * Every sizing option of the recommendation pinned to its exact value, the way Flink's own
 * launcher passes resolved memory to a process. Needed where stale keys cannot be deleted (`-D`
 * only adds or overrides): with every component and both totals pinned, whatever else the config
 * file holds (fractions, deprecated aliases, legacy heap or buffer counts) no longer matters.
 */
export function pinnedConfigFor(rec: Recommendation): Record<string, string> {
  const version = resolveFlinkVersion(rec.flinkVersion);
  return {
    ...configForTaskManagerPools(toFlinkPools(rec.recommended.pools), version, { style: 'pinned' }),
    ...(rec.jobManager ? pinnedJobManagerConfig(rec.jobManager.recommended.pools, rec.flinkVersion) : {}),
  };
}

function size(bytes: number): string {
  return MemorySize.ofBytes(bytes).toConfigString();
}
