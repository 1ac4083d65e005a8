import { MemorySize } from './memory-size.ts';
import type { FlinkVersionProfile } from './version.ts';

/**
 * The memory-related option keys Flink reads, with their deprecated fallback keys and defaults
 * per version. "Configured" in Flink means the key or one of its fallback keys is present.
 */
export interface FlinkOption<T> {
  readonly key: string;
  /** Read in this order when the key itself is absent (Flink's fallback keys, all deprecated here). */
  readonly deprecatedKeys: readonly string[];
  readonly defaultValue: (version: FlinkVersionProfile) => T | undefined;
  /** The default as Java prints it inside `ConfigOption.toString()` ("null" when none). */
  readonly defaultText: string;
}

const mb = (n: number) => MemorySize.ofMebiBytes(n);

function memoryOption(key: string, defaultValue?: MemorySize, deprecatedKeys: string[] = []): FlinkOption<MemorySize> {
  return { key, deprecatedKeys, defaultValue: () => defaultValue, defaultText: defaultValue ? defaultValue.toString() : 'null' };
}

function floatOption(key: string, defaultValue: number, defaultText: string, deprecatedKeys: string[] = []): FlinkOption<number> {
  return { key, deprecatedKeys, defaultValue: () => Math.fround(defaultValue), defaultText };
}

export const TaskManagerOptions = {
  totalProcess: memoryOption('taskmanager.memory.process.size'),
  totalFlink: memoryOption('taskmanager.memory.flink.size'),
  frameworkHeap: memoryOption('taskmanager.memory.framework.heap.size', mb(128)),
  frameworkOffHeap: memoryOption('taskmanager.memory.framework.off-heap.size', mb(128)),
  taskHeap: memoryOption('taskmanager.memory.task.heap.size'),
  taskOffHeap: memoryOption('taskmanager.memory.task.off-heap.size', MemorySize.ZERO),
  managedSize: memoryOption('taskmanager.memory.managed.size', undefined, ['taskmanager.memory.size']),
  managedFraction: floatOption('taskmanager.memory.managed.fraction', 0.4, '0.4'),
  networkMin: memoryOption('taskmanager.memory.network.min', mb(64), ['taskmanager.network.memory.min']),
  networkMax: {
    key: 'taskmanager.memory.network.max',
    deprecatedKeys: ['taskmanager.network.memory.max'],
    defaultValue: (v) => v.defaults.networkMax,
    defaultText: '1 gb',
  } satisfies FlinkOption<MemorySize>,
  networkFraction: floatOption('taskmanager.memory.network.fraction', 0.1, '0.1', ['taskmanager.network.memory.fraction']),
  metaspace: {
    key: 'taskmanager.memory.jvm-metaspace.size',
    deprecatedKeys: [],
    defaultValue: (v) => v.defaults.taskManagerMetaspace,
    defaultText: '256 mb',
  } satisfies FlinkOption<MemorySize>,
  overheadMin: memoryOption('taskmanager.memory.jvm-overhead.min', mb(192)),
  overheadMax: memoryOption('taskmanager.memory.jvm-overhead.max', mb(1024)),
  overheadFraction: floatOption('taskmanager.memory.jvm-overhead.fraction', 0.1, '0.1'),
  segmentSize: memoryOption('taskmanager.memory.segment-size', MemorySize.ofBytes(32 * 1024)),
  numberOfTaskSlots: { key: 'taskmanager.numberOfTaskSlots', deprecatedKeys: [], defaultValue: () => 1, defaultText: '1' } satisfies FlinkOption<number>,
  cpuCores: { key: 'taskmanager.cpu.cores', deprecatedKeys: [], defaultValue: () => undefined, defaultText: 'null' } satisfies FlinkOption<number>,
  /** Legacy (1.10-1.20): the whole network pool as a number of buffers. */
  networkNumberOfBuffers: { key: 'taskmanager.network.numberOfBuffers', deprecatedKeys: [], defaultValue: () => 2048, defaultText: '2048' } satisfies FlinkOption<number>,
  legacyHeap: memoryOption('taskmanager.heap.size'),
  legacyHeapMb: { key: 'taskmanager.heap.mb', deprecatedKeys: [], defaultValue: () => undefined, defaultText: 'null' } satisfies FlinkOption<number>,
} as const;

export const JobManagerOptions = {
  totalProcess: memoryOption('jobmanager.memory.process.size'),
  totalFlink: memoryOption('jobmanager.memory.flink.size'),
  heap: memoryOption('jobmanager.memory.heap.size'),
  offHeap: memoryOption('jobmanager.memory.off-heap.size', mb(128)),
  directMemoryLimitEnabled: {
    key: 'jobmanager.memory.enable-jvm-direct-memory-limit',
    deprecatedKeys: [],
    defaultValue: () => false,
    defaultText: 'false',
  } satisfies FlinkOption<boolean>,
  metaspace: memoryOption('jobmanager.memory.jvm-metaspace.size', mb(256)),
  overheadMin: memoryOption('jobmanager.memory.jvm-overhead.min', mb(192)),
  overheadMax: memoryOption('jobmanager.memory.jvm-overhead.max', mb(1024)),
  overheadFraction: floatOption('jobmanager.memory.jvm-overhead.fraction', 0.1, '0.1'),
  legacyHeap: memoryOption('jobmanager.heap.size'),
  legacyHeapMb: { key: 'jobmanager.heap.mb', deprecatedKeys: [], defaultValue: () => undefined, defaultText: 'null' } satisfies FlinkOption<number>,
} as const;

/** Java's `ConfigOption.toString()`, which Flink quotes in some error messages. */
export function describeOption(option: FlinkOption<unknown>): string {
  const fallbacks = option.deprecatedKeys.map((k) => `{key=${k}, isDeprecated=true}`).join(', ');
  return `Key: '${option.key}' , default: ${option.defaultText} (fallback keys: [${fallbacks}])`;
}
