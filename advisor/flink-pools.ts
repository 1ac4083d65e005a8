import { MemorySize } from '../flink/memory-size.ts';
import type { TaskManagerPools as FlinkTaskManagerPools } from '../flink/taskmanager-memory.ts';
import { TASK_MANAGER_POOLS, type TaskManagerPools } from './recommendation.ts';

/** Plain byte pools (the advisor's JSON shape) to flink/'s exact MemorySize pools, and back. */
export function toFlinkPools(pools: TaskManagerPools): FlinkTaskManagerPools {
  return Object.fromEntries(TASK_MANAGER_POOLS.map((p) => [p, MemorySize.ofBytes(pools[p])])) as unknown as FlinkTaskManagerPools;
}

export function fromFlinkPools(pools: FlinkTaskManagerPools): TaskManagerPools {
  return Object.fromEntries(TASK_MANAGER_POOLS.map((p) => [p, pools[p].toNumber()])) as TaskManagerPools;
}
