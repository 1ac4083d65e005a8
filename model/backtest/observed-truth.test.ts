import { describe, expect, it } from 'vitest';
import { emptyColumns, type JobSeries } from '../../features/job-series.ts';
import { liveSetPeak } from '../../features/series-stats.ts';
import { defaultTrainOptions, trainDemandModel } from '../demand-model.ts';
import { trainingExamples } from '../job-history.ts';
import { selectBackend } from '../tf-backend.ts';
import { observedTruth } from './observed-truth.ts';

const MiB = 1024 * 1024;
const HOUR = 3_600_000;

/** 12 hours every 10 minutes; heap: a fast sawtooth over a live set growing 10 MiB an hour, except hour 5 where no collection ran. */
function history(jobId: string, backend: 'hashmap' | 'rocksdb'): JobSeries {
  const n = 72;
  const c = emptyColumns(n);
  for (let i = 0; i < n; i++) {
    const hour = Math.floor(i / 6);
    c.t[i] = i * 600_000;
    const live = (300 + 10 * hour) * MiB;
    c.heapUsed[i] = hour === 5 ? (900 + i) * MiB : live + ((i * 5) % 6) * 100 * MiB;
    c.managedUsed[i] = backend === 'rocksdb' ? 512 * MiB : 0;
    c.metaspaceUsed[i] = 100 * MiB;
    c.directUsed[i] = (20 + (i % 3)) * MiB;
    if (backend === 'rocksdb' && i >= 36) {
      c.blockCacheUsage[i] = 60 * MiB;
      c.blockCacheCapacity[i] = 128 * MiB;
    }
  }
  return {
    jobId,
    deployment: {
      parallelism: 4,
      slotsPerTaskManager: 2,
      taskManagers: 2,
      stateBackend: backend,
      topology: { vertices: [{ id: 'a', parallelism: 4 }], edges: [] },
      current: { heap: 2048 * MiB, managed: 512 * MiB, metaspace: 256 * MiB, direct: 256 * MiB, network: 64 * MiB },
    },
    ...c,
  };
}

describe('observed demand, for history without ground truth', () => {
  it('sees the live set in the hours a collection ran, never the garbage on top', () => {
    const s = history('j', 'hashmap');
    const truth = observedTruth(s);
    expect(truth.heapLive[0]).toBe(300 * MiB);
    expect(truth.heapLive[4 * 6]).toBe(340 * MiB);
    // Hour 5 only piled up garbage: the live set carries over from hour 4.
    expect(truth.heapLive[5 * 6 + 2]).toBe(340 * MiB);
    expect(truth.need.heap[0]).toBe((300 * MiB) / 0.8);
    expect(liveSetPeak(s.t, s.heapUsed, s.heapAfterGc)).toBe(410 * MiB);
    expect(Math.max(...truth.need.managed)).toBe(0);
    expect(Math.max(...truth.need.direct)).toBe(22 * MiB);
  });

  it("takes RocksDB's need from the busiest slot's block cache times the slots, else its reservation", () => {
    const truth = observedTruth(history('j', 'rocksdb'));
    expect(truth.need.managed[0]).toBe(512 * MiB);
    expect(truth.need.managed[40]).toBe(120 * MiB);
  });

  it('trains on observed history of too few jobs to split by job, splitting each job in time', async () => {
    const backend = await selectBackend();
    const examples = trainingExamples([{ series: history('a', 'hashmap') }, { series: history('b', 'rocksdb') }], { lookbackHours: 3, horizonHours: 3, stepHours: 0.5 }, { ewmaAlpha: 0.1 });
    // 11 h 50 min of samples: decisions at 3, 3.5, ... 8.5 h per job
    expect(examples).toHaveLength(24);
    const model = await trainDemandModel(examples, {
      ...defaultTrainOptions,
      hidden: [4],
      epochs: 3,
      source: 'recording',
      description: 'two jobs',
      backend: backend.name,
      horizonHours: 3,
      lookbackHours: 3,
      ewmaAlpha: 0.1,
    });
    expect(model.meta.metrics.split).toBe('calibration (by time)');
    expect(model.meta.metrics.pools.heap.examples).toBeGreaterThan(0);
  });
});
