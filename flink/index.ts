/** The Flink domain core: memory model, versions, config files, network need. No I/O. */
export { MemorySize, MemorySizeError, javaFloat } from './memory-size.ts';
export type { FlinkConfig } from './config.ts';
export { IllegalConfigurationError, FlinkArgumentError } from './errors.ts';
export { resolveFlinkVersion, type FlinkVersionProfile, type FlinkVersionFamily } from './version.ts';
export { TaskManagerOptions, JobManagerOptions, type FlinkOption } from './options.ts';
export type { Deployment } from './legacy-heap.ts';
export {
  deriveTaskManagerMemory,
  type TaskManagerMemory,
  type TaskManagerPools,
  type DeriveOptions,
} from './taskmanager-memory.ts';
export { deriveJobManagerMemory, type JobManagerMemory } from './jobmanager-memory.ts';
export { configForTaskManagerPools, type ConfigForOptions, type PoolName } from './taskmanager-config-for.ts';
export { configForJobManagerPools, type JobManagerPools } from './jobmanager-config-for.ts';
export {
  exactNetworkNeed,
  placedNetworkNeed,
  operatorNetworkNeed,
  type JobTopology,
  type OnTaskManager,
  type PlacedNetworkNeed,
  type NetworkSettings,
  type NetworkNeed,
  type ExactNetworkNeed,
} from './network-need.ts';
export {
  parseConfigFile,
  parseFlinkConfYaml,
  parseConfigYaml,
  parseDynamicProperties,
  confDirectoryFile,
  formatOfFileName,
  editConfigFile,
  type ConfigFileFormat,
  type ParsedConfigFile,
} from './config-file.ts';
export { taskManagerBreakdown, jobManagerBreakdown } from './memory-breakdown.ts';
