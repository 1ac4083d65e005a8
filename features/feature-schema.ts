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
  { name: 'managedP50', transform: 'log' },
  { name: 'managedMax', transform: 'log' },
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
 * Heap: the live set after GC where known, else the 5th percentile of heap used (the sawtooth's
 * floor, which is the live set when collections run between samples). Managed: RocksDB reserves
 * its whole budget whatever it needs, so usage says little; the state a TaskManager holds does
 * (0 for the hashmap backend, which needs no managed memory).
 */
export function anchorBytes(values: FeatureValues, pool: 'heap' | 'managed' | 'metaspace' | 'direct'): number {
  switch (pool) {
    case 'heap':
      return values.hasHeapAfterGc ? values.heapAfterGcMax : values.heapP05;
    case 'managed':
      return values.rocksdb ? values.statePerTaskManagerBytes : 0;
    case 'metaspace':
      return values.metaspaceMax;
    case 'direct':
      return values.directMax;
  }
}
