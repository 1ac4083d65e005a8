import { JobManagerOptions, TaskManagerOptions, type FlinkOption } from '../../flink/options.ts';
import type { Recommendation } from '../recommendation.ts';

/**
 * The change every exporter writes: memory options to set, and the options to take out because
 * a stale value would steer Flink's derivation elsewhere (a leftover `flink.size` makes it a
 * consistency constraint, a `managed.fraction` re-sizes managed memory when `managed.size` is
 * not pinned, a deprecated alias still counts as "configured", ...).
 */
export interface MemoryPatch {
  readonly set: Readonly<Record<string, string>>;
  readonly remove: readonly string[];
}

/** Options flink/ knows that do not change any pool's size (segment size only splits network into buffers). */
const NOT_SIZING: readonly FlinkOption<unknown>[] = [
  TaskManagerOptions.segmentSize,
  TaskManagerOptions.numberOfTaskSlots,
  TaskManagerOptions.cpuCores,
  JobManagerOptions.directMemoryLimitEnabled,
];

/** Every option that feeds the TaskManager pool derivation, deprecated and legacy keys included. */
export const TASK_MANAGER_MEMORY_KEYS: readonly string[] = sizingKeys(Object.values(TaskManagerOptions));

/** Every option that feeds the JobManager derivation. */
export const JOB_MANAGER_MEMORY_KEYS: readonly string[] = sizingKeys(Object.values(JobManagerOptions));

function sizingKeys(options: readonly FlinkOption<unknown>[]): string[] {
  return options.filter((o) => !NOT_SIZING.includes(o)).flatMap((o) => [o.key, ...o.deprecatedKeys]);
}

export const TASK_MANAGER_PROCESS_SIZE_KEY = TaskManagerOptions.totalProcess.key;
export const JOB_MANAGER_PROCESS_SIZE_KEY = JobManagerOptions.totalProcess.key;

/** The patch for a recommendation: its TaskManager (and, when advised, JobManager) options. */
export function memoryPatchFor(rec: Recommendation): MemoryPatch {
  const set: Record<string, string> = { ...rec.recommended.flinkConfig };
  let owned = TASK_MANAGER_MEMORY_KEYS;
  if (rec.jobManager) {
    Object.assign(set, rec.jobManager.recommended.flinkConfig);
    owned = [...owned, ...JOB_MANAGER_MEMORY_KEYS];
  }
  return { set, remove: owned.filter((key) => !(key in set)) };
}
