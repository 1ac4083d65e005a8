import { describe, expect, it } from 'vitest';
import { conservativeDemand, ruleHeadroom } from './conservative-rule.ts';
import { syntheticFeatures } from './synthetic-examples.ts';

const MiB = 1024 * 1024;
const managedOf = (values: Parameters<typeof syntheticFeatures>[1]['values']) =>
  conservativeDemand(syntheticFeatures('j', { parallelism: 4, slots: 2, historyHours: 0.5, values })).managed;

describe('conservativeDemand', () => {
  // Current managed memory of the synthetic job: 1024 MiB, all of it reserved by RocksDB.
  it("keeps RocksDB's managed memory when nothing shows its need, instead of growing its reservation by the headroom", () => {
    expect(managedOf({ rocksdb: 1, managedMax: 1024 * MiB })).toEqual({ p50: 1024 * MiB, p95: 1024 * MiB });
  });

  it("puts the headroom on RocksDB's block-cache need (busiest slot x slots), never below the current size", () => {
    expect(managedOf({ rocksdb: 1, managedMax: 1024 * MiB, hasBlockCacheMetrics: 1, blockCacheUsagePeak: 300 * MiB })).toEqual({ p50: 600 * MiB, p95: 1024 * MiB });
    expect(managedOf({ rocksdb: 1, managedMax: 1024 * MiB, hasBlockCacheMetrics: 1, blockCacheUsagePeak: 500 * MiB })).toEqual({ p50: 1000 * MiB, p95: 1000 * MiB * ruleHeadroom });
  });

  it('reads other pools from their observed peak: kept, or grown to 1.2x the peak', () => {
    const d = conservativeDemand(syntheticFeatures('j', { parallelism: 4, slots: 2, historyHours: 0.5, values: { heapMax: 3900 * MiB, metaspaceMax: 100 * MiB } }));
    expect(d.heap).toEqual({ p50: 3900 * MiB, p95: 3900 * MiB * ruleHeadroom });
    expect(d.metaspace).toEqual({ p50: 100 * MiB, p95: 256 * MiB });
  });
});
