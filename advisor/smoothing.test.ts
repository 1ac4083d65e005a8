import { describe, expect, it } from 'vitest';
import { deriveTaskManagerMemory } from '../flink/taskmanager-memory.ts';
import { resolveFlinkVersion } from '../flink/version.ts';
import { fromFlinkPools } from './flink-pools.ts';
import { poolsBelowObservedPeak, type Recommendation } from './recommendation.ts';
import { sampleRecommendation } from './sample-recommendation.ts';
import { smoothAgainst } from './smoothing.ts';

const MiB = 1024 * 1024;
const options = { smoothing: 0.5, minChange: 0.05, unitBytes: 16 * MiB };
const rec = (taskHeap: string): Recommendation => sampleRecommendation({ recommendedPools: { taskHeap } });

describe('smoothAgainst', () => {
  it('holds back a proposal that differs from the last recommendation by less than --min-change', () => {
    const last = rec('900m');
    const { recommendation, heldBack } = smoothAgainst(rec('940m'), last, options);
    expect(heldBack).toBe(true);
    expect(recommendation.recommended).toEqual(last.recommended);
    expect(recommendation.reasons.at(-1)).toMatch(/^Held back: .* below --min-change 5\.0%/);
  });

  it('applies an increase at once and moves a decrease half way, re-derivable and never below observed peaks', () => {
    const up = smoothAgainst(rec('1600m'), rec('900m'), options);
    expect(up.recommendation.recommended.pools.taskHeap).toBe(1600 * MiB);
    const down = smoothAgainst(rec('900m'), rec('1700m'), options);
    expect(down.heldBack).toBe(false);
    expect(down.recommendation.recommended.pools.taskHeap).toBe(1312 * MiB); // (1700 + 900) / 2 rounded up to the 16 MiB unit
    expect(poolsBelowObservedPeak(down.recommendation)).toEqual([]);
    const derived = fromFlinkPools(deriveTaskManagerMemory(down.recommendation.recommended.flinkConfig, resolveFlinkVersion('1.20')));
    expect(derived).toEqual(down.recommendation.recommended.pools);
    expect(down.recommendation.saving.perTaskManager).toBe(down.recommendation.current.processSize - down.recommendation.recommended.processSize);
  });

  it('passes the first recommendation of a job through', () => {
    const first = rec('900m');
    expect(smoothAgainst(first, undefined, options)).toEqual({ recommendation: first, heldBack: false });
  });
});
