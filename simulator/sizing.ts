import { deriveTaskManagerMemory, type TaskManagerMemory } from '../flink/taskmanager-memory.ts';
import type { FlinkVersionProfile } from '../flink/version.ts';
import type { TaskManagerPools } from './types.ts';

const MiB = 1 << 20;

/** The pools Flink derives from a cluster's config, as plain byte numbers. */
export function poolsOf(config: Record<string, string>, version: FlinkVersionProfile): TaskManagerPools {
  const m: TaskManagerMemory = deriveTaskManagerMemory(config, version);
  return {
    frameworkHeap: m.frameworkHeap.toNumber(),
    taskHeap: m.taskHeap.toNumber(),
    frameworkOffHeap: m.frameworkOffHeap.toNumber(),
    taskOffHeap: m.taskOffHeap.toNumber(),
    managed: m.managed.toNumber(),
    network: m.network.toNumber(),
    metaspace: m.metaspace.toNumber(),
    overhead: m.overhead.toNumber(),
    totalFlink: m.totalFlink.toNumber(),
    totalProcess: m.totalProcess.toNumber(),
    jvmHeap: m.jvmHeap.toNumber(),
    jvmDirect: m.jvmDirect.toNumber(),
    jvmArgs: m.jvmArgs,
  };
}

export interface SizingTarget {
  heap: number;
  managed: number;
  network: number;
}

/**
 * The smallest `taskmanager.memory.process.size` (whole 64 MiB steps, as people write them) whose
 * derived pools cover the targets, under the rest of `base`. Flink does the deriving.
 */
export function processSizeFor(base: Record<string, string>, target: SizingTarget, version: FlinkVersionProfile): Record<string, string> {
  const covers = (mib: number) => {
    const config = { ...base, 'taskmanager.memory.process.size': `${mib}m` };
    try {
      const pools = poolsOf(config, version);
      return pools.jvmHeap >= target.heap && pools.managed >= target.managed && pools.network >= target.network;
    } catch {
      return false; // below Flink's minimum for these options
    }
  };
  let low = 1024 / 64;
  let high = (256 * 1024) / 64;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (covers(mid * 64)) high = mid;
    else low = mid + 1;
  }
  return { ...base, 'taskmanager.memory.process.size': `${low * 64}m` };
}

/** Fine-grained sizing as some teams write it: task heap and managed pinned, the rest from defaults. */
export function fineGrainedFor(base: Record<string, string>, target: SizingTarget): Record<string, string> {
  const taskHeapMiB = Math.max(64, Math.ceil((target.heap - 128 * MiB) / MiB / 32) * 32);
  const managedMiB = Math.ceil(target.managed / MiB / 32) * 32;
  return { ...base, 'taskmanager.memory.task.heap.size': `${taskHeapMiB}m`, 'taskmanager.memory.managed.size': `${managedMiB}m` };
}
