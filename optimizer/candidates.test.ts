import { describe, expect, it } from 'vitest';
import { candidateShapes, overheadFor, paretoFront, poolLevels } from './candidates.ts';
import { jobFixture } from './job-fixture.ts';
import { DEFAULT_OPTIONS, POOL_NAMES } from './types.ts';

const MiB = 1024 * 1024;
const unit = 16 * MiB;

describe('poolLevels', () => {
  it('offers the peak, p50, p95 and the steps between, rounded up to whole units', () => {
    const levels = poolLevels({ observedPeak: 700 * MiB, p50: 750 * MiB, p95: 900 * MiB }, unit, 2);
    // 700 -> 704; 750 -> 752; 900 -> 912; steps 766.7 -> 768, 833.3 -> 848
    expect(levels.map((b) => b / MiB)).toEqual([704, 752, 768, 848, 912]);
  });

  it('never goes below the observed peak even when the prediction does', () => {
    const levels = poolLevels({ observedPeak: 500 * MiB, p50: 300 * MiB, p95: 400 * MiB }, unit, 2);
    expect(levels).toEqual([512 * MiB]);
  });
});

describe('overheadFor', () => {
  it("follows Flink's default rule: 10% of the process, at least 192m, at most 1g, rounded up to a unit", () => {
    expect(overheadFor(1000 * MiB, DEFAULT_OPTIONS)).toBe(192 * MiB);
    // (4000m) x 0.1 / 0.9 = 444.4m -> 448m
    expect(overheadFor(4000 * MiB, DEFAULT_OPTIONS)).toBe(448 * MiB);
    expect(overheadFor(40000 * MiB, DEFAULT_OPTIONS)).toBe(1024 * MiB);
  });
});

describe('candidateShapes', () => {
  const job = jobFixture();
  const shapes = candidateShapes(job, DEFAULT_OPTIONS);

  it('keeps only the Pareto front: memory rises while cost falls', () => {
    for (let i = 1; i < shapes.length; i++) {
      expect(shapes[i]!.memory).toBeGreaterThan(shapes[i - 1]!.memory);
      expect(shapes[i]!.cost).toBeLessThan(shapes[i - 1]!.cost);
    }
    expect(shapes.length).toBeGreaterThan(3);
  });

  it('makes every pool a whole number of units, network cover the need, no pool below its peak', () => {
    for (const s of shapes.filter((x) => x.change)) {
      for (const name of POOL_NAMES) expect(s.pools[name] % unit).toBe(0);
      expect(s.pools.network).toBeGreaterThanOrEqual(job.networkNeed);
      expect(s.pools.taskHeap).toBeGreaterThanOrEqual(job.demand.taskHeap.observedPeak);
      expect(s.pools.managed).toBeGreaterThanOrEqual(job.demand.managed.observedPeak);
      expect(s.taskManagers).toBe(2);
    }
  });

  it('prices a pool below p95 at riskWeight per byte per TaskManager', () => {
    const smallest = shapes[0]!;
    expect(smallest.pools.taskHeap).toBe(704 * MiB);
    const short = smallest.shortfalls.reduce((s, x) => s + x.shortBy, 0);
    expect(smallest.riskCost).toBe(DEFAULT_OPTIONS.riskWeight * 2 * short);
    expect(smallest.cost).toBe(smallest.memory + smallest.riskCost + DEFAULT_OPTIONS.changeCost);
  });

  it('drops the current shape when it is dominated, keeps it (without a restart) when it is not', () => {
    expect(shapes.some((s) => !s.change)).toBe(false); // 2g heap is far more than needed
    const tight = jobFixture({ current: shapes[shapes.length - 1]!.pools });
    const front = candidateShapes(tight, DEFAULT_OPTIONS);
    expect(front[front.length - 1]).toMatchObject({ change: false, pools: tight.current });
    expect(front.filter((s) => !s.change)).toHaveLength(1);
  });

  it('excludes the current shape when it is below an observed peak', () => {
    const starving = jobFixture({ current: { ...job.current, taskHeap: 600 * MiB } });
    expect(candidateShapes(starving, DEFAULT_OPTIONS).every((s) => s.change)).toBe(true);
  });

  it('gives managed 0 where nothing uses it', () => {
    const heapState = jobFixture({ usesManaged: false });
    expect(candidateShapes(heapState, DEFAULT_OPTIONS).every((s) => s.pools.managed === 0)).toBe(true);
  });

  it('sizes other slot layouts with their own demand and TaskManager count', () => {
    const wide = jobFixture({
      alternativeLayouts: [{ slotsPerTaskManager: 4, demand: job.demand, networkNeed: 60 * MiB }],
    });
    const counts = new Set(candidateShapes(wide, DEFAULT_OPTIONS).map((s) => s.taskManagers));
    expect(counts).toEqual(new Set([1])); // same per-TM demand on half the TaskManagers dominates
  });
});

describe('paretoFront', () => {
  it('breaks ties in memory by cost', () => {
    const base = candidateShapes(jobFixture(), DEFAULT_OPTIONS)[0]!;
    const front = paretoFront([{ ...base, cost: 5 }, { ...base, cost: 3 }]);
    expect(front.map((s) => s.cost)).toEqual([3]);
  });
});
