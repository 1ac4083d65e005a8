import type { FlinkConfig } from '../flink/config.ts';
import { MemorySize } from '../flink/memory-size.ts';
import { configForTaskManagerPools } from '../flink/taskmanager-config-for.ts';
import { deriveTaskManagerMemory, type TaskManagerPools } from '../flink/taskmanager-memory.ts';
import { resolveFlinkVersion } from '../flink/version.ts';
import { taskManagerCpuCores } from './fine-grained.ts';
import { POOL_NAMES, type PoolBytes, type Shape } from './types.ts';

/** Flink's derivation disagreed with the pools we meant to export: a bug, never a user error. */
export class ExportMismatchError extends Error {
  override readonly name = 'ExportMismatchError';
}

/**
 * The option keys that give a TaskManager exactly these pools, checked the only way that counts:
 * Flink's own derivation (flink/) of the exported keys must give back every pool, byte for byte.
 * Every pool and both totals are pinned, so that no other memory key left in the user's file (a
 * fraction, a min/max, an old process size) can move a byte once the keys are merged into it.
 */
export function exportPools(pools: PoolBytes, flinkVersion?: string): Record<string, string> {
  const version = resolveFlinkVersion(flinkVersion);
  const size = (name: keyof PoolBytes) => MemorySize.ofBytes(pools[name]);
  const wanted: TaskManagerPools = {
    frameworkHeap: size('frameworkHeap'),
    taskHeap: size('taskHeap'),
    frameworkOffHeap: size('frameworkOffHeap'),
    taskOffHeap: size('taskOffHeap'),
    managed: size('managed'),
    network: size('network'),
    metaspace: size('metaspace'),
    overhead: size('overhead'),
  };
  const config: FlinkConfig = configForTaskManagerPools(wanted, version, { style: 'pinned' });
  const derived = deriveTaskManagerMemory(config, version);
  const wrong = POOL_NAMES.filter((name) => derived[name].bytes !== BigInt(pools[name]));
  if (wrong.length > 0) {
    const detail = wrong.map((name) => `${name} ${derived[name].bytes} != ${pools[name]}`).join(', ');
    throw new ExportMismatchError(`exported config does not re-derive the chosen pools: ${detail}`);
  }
  return { ...config };
}

/**
 * A shape's option keys: its pools (exportPools), and for a fine-grained mix the TaskManager CPU
 * its slots declare (`taskmanager.cpu.cores`; Flink otherwise assumes one core per configured
 * slot, and a slot that does not fit the TaskManager's CPU fails the job). The slot profiles
 * themselves are not config: see SlotSharingGroupPlan.
 */
export function exportShape(shape: Shape, flinkVersion?: string): Record<string, string> {
  const cpu = taskManagerCpuCores(shape);
  return { ...exportPools(shape.pools, flinkVersion), ...(cpu !== undefined && { 'taskmanager.cpu.cores': String(cpu) }) };
}
