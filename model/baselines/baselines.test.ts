import { describe, expect, it } from 'vitest';
import type { JobSeries } from '../../features/job-series.ts';
import { operatorRecommendation } from './operator-rule.ts';
import { vpaRecommendation, weightedPercentile } from './vpa-rule.ts';

const MiB = 1024 * 1024;
const HOUR = 3_600_000;

function series(t: number[], heap: number[], managed: number[], metaspace = heap.map(() => 100 * MiB)): JobSeries {
  const f = (a: number[]) => Float64Array.from(a);
  return {
    jobId: 'j',
    deployment: {
      parallelism: 2,
      slotsPerTaskManager: 2,
      taskManagers: 1,
      stateBackend: 'rocksdb',
      topology: { vertices: [{ id: 'a', parallelism: 2 }], edges: [] },
      current: { heap: 4096 * MiB, managed: 3000 * MiB, metaspace: 256 * MiB, direct: 128 * MiB, network: 64 * MiB },
    },
    t: f(t),
    heapUsed: f(heap),
    heapAfterGc: f(t.map(() => Number.NaN)),
    managedUsed: f(managed),
    metaspaceUsed: f(metaspace),
    directUsed: f(t.map(() => 10 * MiB)),
    gcTimeRatio: f(t.map(() => 0)),
    recordsInPerSecond: f(t.map(() => 0)),
    bytesInPerSecond: f(t.map(() => 0)),
    subtaskSkew: f(t.map(() => 1)),
    stateBytes: f(t.map(() => 0)),
    blockCacheUsage: f(t.map(() => Number.NaN)),
    blockCacheCapacity: f(t.map(() => Number.NaN)),
    blockCacheHitRatio: f(t.map(() => Number.NaN)),
  };
}

describe('Flink operator memory tuning baseline', () => {
  it('takes the mean over the last 15 minutes of the per-sample max, x1.2, floored; keeps managed when in use and never tunes direct', () => {
    // Samples every minute for an hour; only the last 15 (t in (45, 60] min) count.
    const t = Array.from({ length: 61 }, (_, i) => i * 60_000);
    const heap = t.map((_, i) => (i > 45 ? 1000 : 5000) * MiB);
    const r = operatorRecommendation(series(t, heap, t.map(() => 1)));
    expect(r.heap).toBe(Math.floor(1000 * MiB * 1.2));
    expect(r.metaspace).toBe(Math.floor(100 * MiB * 1.2));
    expect(r.managed).toBe(3000 * MiB);
    expect(r.direct).toBe(128 * MiB);
  });

  it('sets managed to 0 when no managed memory is used (hashmap backend)', () => {
    const t = [0, 60_000];
    expect(operatorRecommendation(series(t, [MiB, MiB], [0, 0])).managed).toBe(0);
  });
});

describe('VPA-style baseline', () => {
  it('takes the decayed p90 of daily peaks over 8 days, +15%', () => {
    // Ten days of hourly samples; the daily peak is (day index + 1) GiB, the oldest two days fall out of the window.
    const t = Array.from({ length: 240 }, (_, i) => i * HOUR);
    const heap = t.map((_, i) => (Math.floor(i / 24) + 1) * 1024 * MiB);
    const r = vpaRecommendation(series(t, heap, t.map(() => 0)));
    // Recent days weigh most: the p90 is the latest day's peak (10 GiB).
    expect(r.heap).toBe(Math.ceil(10 * 1024 * MiB * 1.15));
    expect(r.managed).toBe(0);
  });

  it('weighted percentile picks the smallest value reaching the weight share', () => {
    expect(weightedPercentile([{ peak: 1, weight: 1 }, { peak: 2, weight: 1 }, { peak: 3, weight: 8 }], 0.9)).toBe(3);
    expect(weightedPercentile([{ peak: 1, weight: 9 }, { peak: 5, weight: 1 }], 0.9)).toBe(1);
  });
});
