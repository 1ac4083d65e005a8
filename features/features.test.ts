import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { featureNames } from './feature-schema.ts';
import { extractFeatures } from './job-features.ts';
import type { JobSeries } from './job-series.ts';
import { networkNeedBytes, withParallelism } from './network-need.ts';
import { ewma, quantile } from './series-stats.ts';

const MiB = 1024 * 1024;

function series(n: number, records: (i: number) => number): JobSeries {
  const f = (g: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => g(i));
  return {
    jobId: 'j',
    deployment: {
      parallelism: 4,
      slotsPerTaskManager: 2,
      taskManagers: 2,
      stateBackend: 'rocksdb',
      topology: { vertices: [{ id: 'a', parallelism: 4 }, { id: 'b', parallelism: 4 }], edges: [{ source: 'a', target: 'b', ship: 'HASH' }] },
      current: { heap: 2048 * MiB, managed: 1024 * MiB, metaspace: 256 * MiB, direct: 128 * MiB, network: 128 * MiB },
    },
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
  };
}

describe('network need', () => {
  it("matches the operator's worked example: v1 -REBALANCE-> v2 at 25/10, 5 slots = 14,090,240 bytes", () => {
    const topology = { vertices: [{ id: 'v1', parallelism: 25 }, { id: 'v2', parallelism: 10 }], edges: [{ source: 'v1', target: 'v2', ship: 'REBALANCE' as const }] };
    expect(networkNeedBytes(topology, 5)).toBe(14_090_240);
  });

  it('counts one channel for a FORWARD edge at equal parallelism and grows for all-to-all edges with parallelism', () => {
    const forward = { vertices: [{ id: 'a', parallelism: 4 }, { id: 'b', parallelism: 4 }], edges: [{ source: 'a', target: 'b', ship: 'FORWARD' as const }] };
    // each of the 2 subtasks per vertex on the TaskManager: (1*2+8) segments, for a and for b
    expect(networkNeedBytes(forward, 2)).toBe(2 * 2 * 10 * 32 * 1024);
    const hash = { ...forward, edges: [{ source: 'a', target: 'b', ship: 'HASH' as const }] };
    expect(networkNeedBytes(withParallelism(hash, 8), 2)).toBeGreaterThan(networkNeedBytes(hash, 2));
  });
});

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
    expect(f.values.networkNeedBytes).toBe(networkNeedBytes(series(1, () => 0).deployment.topology, 2));
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
