/**
 * The model's input vector, in order. `log` features are sizes or rates and enter the network as
 * ln(1 + x); `raw` ones are counts, ratios and flags. features/README.md documents each one.
 */
export const featureSchema = [
  { name: 'parallelism', transform: 'log' },
  { name: 'slotsPerTaskManager', transform: 'log' },
  { name: 'taskManagers', transform: 'log' },
  { name: 'subtasksPerTaskManager', transform: 'log' },
  { name: 'rocksdb', transform: 'raw' },
  { name: 'networkNeedBytes', transform: 'log' },
  { name: 'currentHeapBytes', transform: 'log' },
  { name: 'currentManagedBytes', transform: 'log' },
  { name: 'heapP05', transform: 'log' },
  { name: 'heapP50', transform: 'log' },
  { name: 'heapP95', transform: 'log' },
  { name: 'heapMax', transform: 'log' },
  { name: 'heapAfterGcP95', transform: 'log' },
  { name: 'heapAfterGcMax', transform: 'log' },
  { name: 'hasHeapAfterGc', transform: 'raw' },
  { name: 'liveSetPeak', transform: 'log' },
  { name: 'heapFullShare', transform: 'raw' },
  { name: 'managedP50', transform: 'log' },
  { name: 'managedMax', transform: 'log' },
  { name: 'hasBlockCacheMetrics', transform: 'raw' },
  { name: 'blockCacheUsagePeak', transform: 'log' },
  { name: 'blockCacheFullShare', transform: 'raw' },
  { name: 'blockCacheHitRatioMin', transform: 'raw' },
  { name: 'metaspaceP50', transform: 'log' },
  { name: 'metaspaceMax', transform: 'log' },
  { name: 'directP50', transform: 'log' },
  { name: 'directMax', transform: 'log' },
  { name: 'gcRatioMean', transform: 'raw' },
  { name: 'gcRatioP95', transform: 'raw' },
  { name: 'recordsPerSubtask', transform: 'log' },
  { name: 'recordsPerSubtaskEwma', transform: 'log' },
  { name: 'recordsPerSubtaskP95', transform: 'log' },
  { name: 'bytesPerSubtask', transform: 'log' },
  { name: 'bytesPerSubtaskEwma', transform: 'log' },
  { name: 'skewEwma', transform: 'raw' },
  { name: 'skewMax', transform: 'raw' },
  { name: 'statePerTaskManagerBytes', transform: 'log' },
  { name: 'stateGrowthPerDay', transform: 'raw' },
] as const satisfies ReadonlyArray<{ name: string; transform: 'log' | 'raw' }>;

export type FeatureName = (typeof featureSchema)[number]['name'];
export type FeatureValues = Record<FeatureName, number>;
export const featureNames: readonly FeatureName[] = featureSchema.map((f) => f.name);

/** Writes one job's features into `out` at `offset`, in schema order, transformed. */
export function writeFeatureVector(values: FeatureValues, out: Float32Array, offset: number): void {
  featureSchema.forEach((f, i) => {
    const v = values[f.name];
    out[offset + i] = f.transform === 'log' ? Math.log1p(Math.max(0, v)) : v;
  });
}

/**
 * The observed statistic each pool's demand is learned relative to: the network predicts
 * ln(1 + demand) - ln(1 + anchor), a residual that is alike across jobs of very different sizes.
 * Heap: the live set's peak (after-GC heap, else the hourly lows of the GC sawtooth). Managed:
 * RocksDB reserves its whole budget whatever it needs, so managed used says nothing; the block
 * cache's usage does where RocksDB's native metrics are on (below capacity it is the working set
 * plus memtables, per slot), else the state a TaskManager holds; 0 for the hashmap backend, which needs none.
 */
export function anchorBytes(values: FeatureValues, pool: 'heap' | 'managed' | 'metaspace' | 'direct'): number {
  switch (pool) {
    case 'heap':
      return values.liveSetPeak;
    case 'managed':
      if (!values.rocksdb) return 0;
      // Flink gives every slot an equal share: the TaskManager needs its busiest slot's need times its slots.
      return values.hasBlockCacheMetrics ? values.blockCacheUsagePeak * values.slotsPerTaskManager : values.statePerTaskManagerBytes;
    case 'metaspace':
      return values.metaspaceMax;
    case 'direct':
      return values.directMax;
  }
}
