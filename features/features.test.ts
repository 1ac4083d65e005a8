import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { featureNames } from './feature-schema.ts';
import { extractFeatures } from './job-features.ts';
import type { JobSeries } from './job-series.ts';
import { testDeployment } from './test-deployment.ts';
import { exactNetworkNeed } from '../flink/network-need.ts';
import { cyclicLiveSetPeak, ewma, liveSetPeak, quantile } from './series-stats.ts';

const MiB = 1024 * 1024;

function series(n: number, records: (i: number) => number): JobSeries {
  const f = (g: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => g(i));
  return {
    jobId: 'j',
    deployment: testDeployment('rocksdb', { heap: 2048 * MiB, managed: 1024 * MiB, metaspace: 256 * MiB, direct: 128 * MiB, network: 128 * MiB }),
    t: f((i) => i * 600_000),
    heapUsed: f((i) => (500 + (i % 10) * 50) * MiB),
    heapAfterGc: f(() => Number.NaN),
    managedUsed: f(() => 1024 * MiB),
    metaspaceUsed: f(() => 150 * MiB),
    directUsed: f(() => 40 * MiB),
    gcTimeRatio: f(() => 0.01),
    recordsInPerSecond: f(records),
    bytesInPerSecond: f((i) => records(i) * 100),
    subtaskSkew: f(() => 1.5),
    stateBytes: f((i) => 1e9 * (1 + i / 144 / 10)),
    blockCacheUsage: f(() => Number.NaN),
    blockCacheCapacity: f(() => Number.NaN),
    blockCacheHitRatio: f(() => Number.NaN),
  };
}

describe('series statistics', () => {
  it('interpolates quantiles linearly and ignores NaN', () => {
    expect(quantile([1, 2, 3, 4, Number.NaN], 0.5)).toBe(2.5);
    expect(quantile([10, 0], 0.95)).toBeCloseTo(9.5);
  });
  it('EWMA follows the configured factor', () => {
    expect(ewma([0, 10], 0.5)).toBe(5);
    expect(ewma([0, 10], 1)).toBe(10);
    expect(() => ewma([1], 0)).toThrow(/EWMA factor/);
  });
});

describe('job features', () => {
  it('computes pool percentiles, per-subtask load, state growth and the topology need', () => {
    const f = extractFeatures(series(144, () => 4000));
    expect(f.historyHours).toBeCloseTo(143 / 6);
    expect(f.values.heapMax).toBe(950 * MiB);
    expect(f.values.heapP05).toBeLessThan(f.values.heapP50);
    expect(f.values.hasHeapAfterGc).toBe(0);
    expect(f.values.recordsPerSubtask).toBe(1000);
    expect(f.values.rocksdb).toBe(1);
    expect(f.values.stateGrowthPerDay).toBeGreaterThan(0.05);
    // 2 subtasks per vertex on a TaskManager, each gate/partition 4 channels x 2 + 8 floating = 16 segments of 32 KiB
    expect(f.values.networkNeedBytes).toBe(exactNetworkNeed(series(1, () => 0).deployment.topology, { slotsPerTaskManager: 2 }).desirableBytes);
    expect(f.values.networkNeedBytes).toBe(2 * 2 * 16 * 32 * 1024);
  });

  it('raw load reacts to the last sample, the EWMA by its factor', () => {
    const s = series(50, (i) => (i === 49 ? 40_000 : 4000));
    const slow = extractFeatures(s, { ewmaAlpha: 0.05 }).values;
    const fast = extractFeatures(s, { ewmaAlpha: 0.9 }).values;
    expect(slow.recordsPerSubtask).toBe(10_000);
    expect(slow.recordsPerSubtaskEwma).toBeLessThan(fast.recordsPerSubtaskEwma);
  });

  it('documents every feature in features/README.md', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    for (const name of featureNames) expect(readme).toContain(`\`${name}\``);
  });
});

describe('evidence beside the vector', () => {
  // 8 h every 10 min: a live set that fills from 1 to 6 GiB over each hour (a window firing on the hour), garbage on top that differs hour to hour.
  function windowed(): JobSeries {
    const s = series(48, () => 4000);
    const live = (i: number) => (1024 + ((i % 6) / 5) * 5 * 1024) * MiB;
    s.heapUsed = Float64Array.from({ length: 48 }, (_, i) => live(i) + ((i * 7 + Math.floor(i / 6) * 3) % 5) * 200 * MiB);
    return s;
  }

  it('sees the peak of a live set cycling within the hour, which the hourly lows miss', () => {
    const s = windowed();
    const hourly = liveSetPeak(s.t, s.heapUsed, s.heapAfterGc);
    const cyclic = cyclicLiveSetPeak(s.t, s.heapUsed, s.heapAfterGc);
    expect(hourly).toBeLessThan(2 * 1024 * MiB);
    // The live set at its peak (6 GiB) plus the least garbage seen at those minutes over 4 hours.
    expect(cyclic).toBeGreaterThanOrEqual(6 * 1024 * MiB);
    expect(cyclic).toBeLessThan(6.5 * 1024 * MiB);
    expect(extractFeatures(s).evidence.cyclicLiveSetPeak).toBe(cyclic);
    // Fewer hours than a run: nothing to say.
    expect(cyclicLiveSetPeak(s.t.subarray(0, 18), s.heapUsed.subarray(0, 18), s.heapAfterGc.subarray(0, 18))).toBeNaN();
    // The after-GC heap is exact: no estimate needed.
    expect(cyclicLiveSetPeak(s.t, s.heapUsed, s.heapUsed)).toBeNaN();
  });

  it('reads a metaspace leak from the samples below the limit, and a metaspace at its limit', () => {
    const flat = extractFeatures(series(48, () => 4000)).evidence;
    expect(flat.metaspaceGrowthPerHour).toBe(0);
    expect(flat.metaspaceAtLimit).toBe(false);
    const s = series(48, () => 4000);
    // +18 MiB an hour from 150 MiB until it sits at the 256 MiB limit.
    s.metaspaceUsed = Float64Array.from({ length: 48 }, (_, i) => Math.min(256 * MiB, (150 + 3 * i) * MiB));
    const leak = extractFeatures(s).evidence;
    expect(leak.metaspaceGrowthPerHour).toBeCloseTo(18 * MiB, -3);
    expect(leak.metaspaceAtLimit).toBe(true);
  });
});
