/**
 * The metric ids the live collector asks for (shared/docs/flink-memory-model.md §5.2). Unknown ids
 * are silently left out by Flink, so asking for every GC name any JVM may use is free.
 */
const gcNames = ['G1_Young_Generation', 'G1_Old_Generation', 'G1_Concurrent_GC', 'PS_Scavenge', 'PS_MarkSweep', 'Copy', 'MarkSweepCompact', 'ZGC_Cycles', 'ZGC_Pauses', 'ZGC_Major_Cycles', 'ZGC_Minor_Cycles', 'Shenandoah_Cycles', 'Shenandoah_Pauses', 'All'];

const jvm = [
  ...['Heap', 'NonHeap', 'Metaspace'].flatMap((pool) => ['Used', 'Committed', 'Max'].map((f) => `Status.JVM.Memory.${pool}.${f}`)),
  ...['Direct', 'Mapped'].flatMap((pool) => ['Count', 'MemoryUsed', 'TotalCapacity'].map((f) => `Status.JVM.Memory.${pool}.${f}`)),
  ...gcNames.flatMap((gc) => ['Count', 'Time'].map((f) => `Status.JVM.GarbageCollector.${gc}.${f}`)),
  'Status.JVM.CPU.Load',
  'Status.JVM.CPU.Time',
  'Status.JVM.Threads.Count',
  'Status.JVM.ClassLoader.ClassesLoaded',
];

export const taskManagerMetricIds = [
  ...jvm,
  'Status.Flink.Memory.Managed.Used',
  'Status.Flink.Memory.Managed.Total',
  ...['Total', 'Available', 'Used'].flatMap((f) => [`Status.Shuffle.Netty.${f}MemorySegments`, `Status.Shuffle.Netty.${f}Memory`]),
  'Status.Shuffle.Netty.RequestedMemoryUsage',
];

export const jobManagerMetricIds = [...jvm, 'numRegisteredTaskManagers', 'numRunningJobs', 'taskSlotsAvailable', 'taskSlotsTotal'];

export const jobMetricIds = ['numRestarts', 'uptime', 'downtime', 'fullRestarts', 'lastCheckpointSize', 'lastCheckpointFullSize', 'lastCheckpointDuration', 'numberOfCompletedCheckpoints', 'numberOfFailedCheckpoints'];

/** Per subtask (asked as `<subtask>.<id>`): load, back pressure and network buffer use. */
export const subtaskMetricIds = [
  'numRecordsInPerSecond',
  'numRecordsOutPerSecond',
  'numBytesInPerSecond',
  'numBytesOutPerSecond',
  'busyTimeMsPerSecond',
  'backPressuredTimeMsPerSecond',
  'idleTimeMsPerSecond',
  'Shuffle.Netty.Input.Buffers.inPoolUsage',
  'Shuffle.Netty.Output.Buffers.outPoolUsage',
  'Shuffle.Netty.Input.Buffers.inputQueueLength',
  'Shuffle.Netty.Output.Buffers.outputQueueLength',
];

/** RocksDB native metric ids end like this (per state: `.rocksdb.<property>`; per DB: `.rocksdb.<ticker>`). */
export const isRocksDbMetric = (id: string): boolean => id.includes('.rocksdb.');

/** Whether a configuration turns any RocksDB native metric on (they are all off by default). */
export function rocksDbMetricsEnabled(config: Record<string, string>): boolean {
  return Object.entries(config).some(([k, v]) => k.startsWith('state.backend.rocksdb.metrics.') && k !== 'state.backend.rocksdb.metrics.column-family-as-variable' && v.trim().toLowerCase() === 'true');
}

/** Splits ids into `get=` lists that keep each URL well under common 8 KiB limits. */
export function chunkIds(ids: string[], maxChars = 4000): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const id of ids) {
    const cost = encodeURIComponent(id).length + 1;
    if (current.length > 0 && length + cost > maxChars) {
      chunks.push(current);
      current = [];
      length = 0;
    }
    current.push(id);
    length += cost;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
