import { configForJobManagerPools } from '../../flink/jobmanager-config-for.ts';
import { MemorySize } from '../../flink/memory-size.ts';
import { configForTaskManagerPools } from '../../flink/taskmanager-config-for.ts';
import { resolveFlinkVersion } from '../../flink/version.ts';
import { toFlinkPools } from '../flink-pools.ts';
import type { Recommendation } from '../recommendation.ts';

/**
 * Every sizing option of the recommendation pinned to its exact value, the way Flink's own
 * launcher passes resolved memory to a process. Needed where stale keys cannot be deleted (`-D`
 * only adds or overrides): with every component and both totals pinned, whatever else the config
 * file holds (fractions, deprecated aliases, legacy heap or buffer counts) no longer matters.
 */
export function pinnedConfigFor(rec: Recommendation): Record<string, string> {
  const version = resolveFlinkVersion(rec.flinkVersion);
  const jm = rec.jobManager?.recommended.pools;
  return {
    ...configForTaskManagerPools(toFlinkPools(rec.recommended.pools), version, { style: 'pinned' }),
    ...(jm
      ? configForJobManagerPools(
          {
            jvmHeap: MemorySize.ofBytes(jm.jvmHeap),
            offHeap: MemorySize.ofBytes(jm.offHeap),
            metaspace: MemorySize.ofBytes(jm.metaspace),
            overhead: MemorySize.ofBytes(jm.overhead),
          },
          version,
        )
      : {}),
  };
}
