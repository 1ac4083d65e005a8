import type { FlinkConfig } from './config.ts';
import { FlinkArgumentError, IllegalConfigurationError } from './errors.ts';
import { MemorySize } from './memory-size.ts';
import { TaskManagerOptions as O, type FlinkOption } from './options.ts';
import { deriveTaskManagerMemory, type TaskManagerMemory, type TaskManagerPools } from './taskmanager-memory.ts';
import { resolveFlinkVersion, type FlinkVersionProfile } from './version.ts';

export type PoolName = keyof TaskManagerPools;
const POOLS: readonly PoolName[] = ['frameworkHeap', 'taskHeap', 'frameworkOffHeap', 'taskOffHeap', 'managed', 'network', 'metaspace', 'overhead'];

export interface ConfigForOptions {
  /**
   * `minimal` (default): the fewest keys from which Flink derives exactly these pools on top of
   * an otherwise empty configuration. `pinned`: every pool and both totals explicit (doc 1.9),
   * so that no other memory key in the user's file (a fraction, a min/max) can move a byte.
   */
  readonly style?: 'minimal' | 'pinned';
}

/**
 * The inverse of `deriveTaskManagerMemory`: option keys from which Flink derives exactly
 * `pools`. Task heap and managed size select Flink's fine-grained branch; everything else is
 * left to Flink's defaults where they already give the wanted byte count, else pinned with the
 * fewest keys (a total makes network or overhead the leftover; a min or max widens its range).
 */
export function configForTaskManagerPools(
  pools: TaskManagerPools,
  version: FlinkVersionProfile = resolveFlinkVersion(),
  options: ConfigForOptions = {},
): FlinkConfig {
  const candidates = options.style === 'pinned' ? [pinned(pools)] : [minimal(pools, version), pinned(pools)];
  for (const config of candidates) {
    if (reproduces(config, pools, version)) return config;
  }
  throw new Error(
    `No Flink ${version.name} configuration yields these TaskManager pools (${POOLS.map((p) => `${p}=${pools[p].bytes}`).join(', ')}): their total exceeds what Flink can represent`,
  );
}

const value = (size: MemorySize) => size.toConfigString();

function pinned(p: TaskManagerPools): FlinkConfig {
  const totalFlink = p.frameworkHeap.add(p.taskHeap).add(p.frameworkOffHeap).add(p.taskOffHeap).add(p.managed).add(p.network);
  return {
    [O.frameworkHeap.key]: value(p.frameworkHeap),
    [O.taskHeap.key]: value(p.taskHeap),
    [O.frameworkOffHeap.key]: value(p.frameworkOffHeap),
    [O.taskOffHeap.key]: value(p.taskOffHeap),
    [O.managedSize.key]: value(p.managed),
    [O.networkMin.key]: value(p.network),
    [O.networkMax.key]: value(p.network),
    [O.metaspace.key]: value(p.metaspace),
    [O.overheadMin.key]: value(p.overhead),
    [O.overheadMax.key]: value(p.overhead),
    [O.totalFlink.key]: value(totalFlink),
    [O.totalProcess.key]: value(totalFlink.add(p.metaspace).add(p.overhead)),
  };
}

function minimal(p: TaskManagerPools, version: FlinkVersionProfile): FlinkConfig {
  const config: Record<string, string> = { [O.taskHeap.key]: value(p.taskHeap), [O.managedSize.key]: value(p.managed) };
  const unlessDefault = (option: FlinkOption<MemorySize>, size: MemorySize) => {
    if (!option.defaultValue(version)?.equals(size)) config[option.key] = value(size);
  };
  unlessDefault(O.frameworkHeap, p.frameworkHeap);
  unlessDefault(O.frameworkOffHeap, p.frameworkOffHeap);
  unlessDefault(O.taskOffHeap, p.taskOffHeap);
  unlessDefault(O.metaspace, p.metaspace);

  // Network: the default inverse fraction may already give it; else Total Flink makes it the leftover.
  let derived = tryDerive(config, version);
  if (!derived?.network.equals(p.network)) {
    config[O.totalFlink.key] = value(p.frameworkHeap.add(p.taskHeap).add(p.frameworkOffHeap).add(p.taskOffHeap).add(p.managed).add(p.network));
    widenRange(config, O.networkMin, O.networkMax, p.network, version);
    derived = tryDerive(config, version);
  }
  // Overhead: likewise, with Total Process Memory making it the leftover.
  if (derived && !derived.overhead.equals(p.overhead)) {
    config[O.totalProcess.key] = value(derived.totalFlink.add(p.metaspace).add(p.overhead));
    widenRange(config, O.overheadMin, O.overheadMax, p.overhead, version);
  }
  return config;
}

/** A leftover must lie in [min, max]: move whichever bound it falls outside of onto it. */
function widenRange(
  config: Record<string, string>,
  minOption: FlinkOption<MemorySize>,
  maxOption: FlinkOption<MemorySize>,
  size: MemorySize,
  version: FlinkVersionProfile,
): void {
  if (size.compareTo(minOption.defaultValue(version)!) < 0) config[minOption.key] = value(size);
  if (size.compareTo(maxOption.defaultValue(version)!) > 0) config[maxOption.key] = value(size);
}

function tryDerive(config: FlinkConfig, version: FlinkVersionProfile): TaskManagerMemory | undefined {
  try {
    return deriveTaskManagerMemory(config, version);
  } catch (error) {
    if (error instanceof IllegalConfigurationError || error instanceof FlinkArgumentError) return undefined;
    throw error;
  }
}

function reproduces(config: FlinkConfig, pools: TaskManagerPools, version: FlinkVersionProfile): boolean {
  const derived = tryDerive(config, version);
  return derived !== undefined && POOLS.every((p) => derived[p].equals(pools[p]));
}
