import { MemorySize } from '../flink/memory-size.ts';
import type { TaskManagerPools as FlinkTaskManagerPools } from '../flink/taskmanager-memory.ts';
import { POOL_NAMES, type PoolBytes } from '../optimizer/types.ts';

/** Plain byte pools (the advisor's JSON shape) to flink/'s exact MemorySize pools, and back. */
export function toFlinkPools(pools: PoolBytes): FlinkTaskManagerPools {
  return Object.fromEntries(POOL_NAMES.map((p) => [p, MemorySize.ofBytes(pools[p])])) as unknown as FlinkTaskManagerPools;
}

export function fromFlinkPools(pools: FlinkTaskManagerPools): PoolBytes {
  return Object.fromEntries(POOL_NAMES.map((p) => [p, pools[p].toNumber()])) as PoolBytes;
}
