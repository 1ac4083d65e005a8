import { describe, expect, it } from 'vitest';
import { emptyColumns, type JobSeries } from '../features/job-series.ts';
import { testDeployment } from '../features/test-deployment.ts';
import { exactNetworkNeed } from '../flink/network-need.ts';
import { OptimizerJob } from '../optimizer/types.ts';
import { flinkDefaultReservations, optimizerDemand } from './optimizer-demand.ts';
import type { DemandPrediction } from './types.ts';

const MiB = 1024 * 1024;
const HOUR = 3_600_000;

/** Six hours sampled every 5 minutes: a GC sawtooth from a 700 MiB live set up to 1900 MiB. */
function series(backend: 'hashmap' | 'rocksdb', cache?: { usage: number; capacity: number; hit: number }): JobSeries {
  const n = 72;
  const c = emptyColumns(n);
  for (let i = 0; i < n; i++) {
    c.t[i] = i * 5 * 60_000;
    c.heapUsed[i] = (700 + ((i * 7) % 13) * 100) * MiB;
    c.metaspaceUsed[i] = 150 * MiB;
    c.directUsed[i] = (i === 30 ? 200 : 90) * MiB;
    if (cache) {
      c.blockCacheUsage[i] = cache.usage;
      c.blockCacheCapacity[i] = cache.capacity;
      c.blockCacheHitRatio[i] = cache.hit;
    }
  }
  return {
    jobId: 'j',
    deployment: testDeployment(backend, { heap: 4096 * MiB, managed: 2048 * MiB, metaspace: 256 * MiB, direct: 256 * MiB, network: 128 * MiB }),
    ...c,
  };
}

const network = exactNetworkNeed(series('hashmap').deployment.topology, { slotsPerTaskManager: 2 }).desirableBytes;
const prediction: DemandPrediction = {
  jobId: 'j',
  taskManagers: 2,
  parallelism: 4,
  pools: {
    heap: { p50: 1000 * MiB, p95: 1200 * MiB },
    managed: { p50: 300 * MiB, p95: 400 * MiB },
    metaspace: { p50: 150 * MiB, p95: 160 * MiB },
    direct: { p50: 100 * MiB, p95: 150.5 * MiB },
    network: { p50: network, p95: network },
  },
  source: 'model',
  reasons: [],
  unboundedGrowth: [],
};

describe('optimizer demand from a prediction', () => {
  it('takes framework heap and framework off-heap out of the JVM heap and direct memory the model predicts', () => {
    const { demand, networkNeed, usesManaged } = optimizerDemand(series('hashmap'), prediction);
    expect(demand.taskHeap).toMatchObject({ p50: 872 * MiB, p95: 1072 * MiB });
    expect(demand.taskOffHeap).toMatchObject({ p50: 0, p95: Math.ceil(22.5 * MiB) });
    expect(demand.metaspace).toEqual({ p50: 150 * MiB, p95: 160 * MiB, observedPeak: 150 * MiB });
    // hashmap: nothing uses managed memory
    expect(usesManaged).toBe(false);
    expect(demand.managed).toEqual({ p50: 0, p95: 0, observedPeak: 0 });
    expect(networkNeed).toBe(network);
    expect(OptimizerJob.shape.demand.safeParse(demand).success).toBe(true);
  });

  it("observes the heap's live set (the sawtooth's hourly lows), never its garbage-filled top", () => {
    const { demand, evidence } = optimizerDemand(series('hashmap'), prediction);
    expect(evidence.heapUsedPeak).toBe(1900 * MiB);
    expect(evidence.liveSetPeak).toBe(700 * MiB);
    expect(demand.taskHeap.observedPeak).toBe(700 * MiB - flinkDefaultReservations.frameworkHeap);
    // direct: the 200 MiB spike is real demand (buffers are not garbage): 72 MiB above framework off-heap
    expect(demand.taskOffHeap.observedPeak).toBe(72 * MiB);
  });

  it('observes RocksDB demand from the block cache while it is not full, and otherwise never goes below its current size', () => {
    // The busiest slot's cache holds 175 MiB of its 1024 MiB share: the TaskManager's 2 slots need 350 MiB.
    const unsaturated = optimizerDemand(series('rocksdb', { usage: 175 * MiB, capacity: 1024 * MiB, hit: 0.99 }), prediction);
    expect(unsaturated.usesManaged).toBe(true);
    expect(unsaturated.demand.managed).toEqual({ p50: 300 * MiB, p95: 400 * MiB, observedPeak: 350 * MiB });
    // A full cache shows its budget, not its need: whether it hits well or misses, the size it has
    // run on is the only demand known, so it is the floor.
    const fullHealthy = optimizerDemand(series('rocksdb', { usage: 1024 * MiB, capacity: 1024 * MiB, hit: 0.97 }), prediction);
    expect(fullHealthy.demand.managed.observedPeak).toBe(2048 * MiB);
    expect(fullHealthy.evidence.blockCacheSaturated).toBe(true);
    const fullShort = optimizerDemand(series('rocksdb', { usage: 1024 * MiB, capacity: 1024 * MiB, hit: 0.6 }), prediction);
    expect(fullShort.demand.managed.observedPeak).toBe(2048 * MiB);
    // No native metrics: managed used is RocksDB's reservation, the need unseen: keep what it has.
    expect(optimizerDemand(series('rocksdb'), prediction).demand.managed.observedPeak).toBe(2048 * MiB);
  });
});
