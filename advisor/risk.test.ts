import { describe, expect, it } from 'vitest';
import type { ModelMeta } from '../model/model-meta.ts';
import { inverseNormalCdf } from '../model/normal-distribution.ts';
import { anyExceeds, calibratedCoverage, exceedProbability, riskLevelOf } from './risk.ts';

const MiB = 1024 * 1024;

describe('exceedProbability', () => {
  it('reads nominal quantiles: half the demand above p50, 5% above p95', () => {
    expect(exceedProbability(1000 * MiB, 1000 * MiB, 1500 * MiB)).toBeCloseTo(0.5, 6);
    expect(exceedProbability(1500 * MiB, 1000 * MiB, 1500 * MiB)).toBeCloseTo(0.05, 6);
  });

  it('believes the calibration: a p50 that held-out demand stayed under 80% of the time is exceeded 20% of the time', () => {
    const coverage = { p50: 0.8, p95: 0.99 };
    expect(exceedProbability(1000 * MiB, 1000 * MiB, 1500 * MiB, coverage)).toBeCloseTo(0.2, 6);
    expect(exceedProbability(1500 * MiB, 1000 * MiB, 1500 * MiB, coverage)).toBeCloseTo(0.01, 6);
  });

  it('does not read a pool at its observed peak, below a p50 the model over-estimates, as near-certain failure', () => {
    // The shipped model's managed pool: held-out demand stayed under p50 79% and under p95 97% of the time.
    const managed = { p50: 0.79, p95: 0.97 };
    const nominal = exceedProbability(2400 * MiB, 2629 * MiB, 3155 * MiB);
    const calibrated = exceedProbability(2400 * MiB, 2629 * MiB, 3155 * MiB, managed);
    expect(nominal).toBeGreaterThan(0.75);
    expect(calibrated).toBeLessThan(0.45);
  });

  it('treats a degenerate interval (exact need, kept size) as a point', () => {
    expect(exceedProbability(100, 100, 100)).toBe(0);
    expect(exceedProbability(99, 100, 100)).toBe(1);
    expect(exceedProbability(0, 0, 0)).toBe(0);
  });

  it('reads a p50 of 0 (a small heap, after the framework share) as little demand, not as a point at p95', () => {
    expect(exceedProbability(0, 0, 200)).toBeCloseTo(0.5, 9);
    expect(exceedProbability(160, 0, 200)).toBeCloseTo(0.14, 9);
    expect(exceedProbability(200, 0, 200)).toBeCloseTo(0.05, 9);
    expect(exceedProbability(400, 0, 200)).toBeCloseTo(0.025, 9);
  });

    it('falls back to the nominal levels when the calibration is unusable', () => {
    expect(exceedProbability(1000, 1000, 1500, { p50: 0.9, p95: 0.9 })).toBeCloseTo(0.5, 6);
  });
});

describe('calibratedCoverage', () => {
  const meta = (observed: number[], examples: number) =>
    ({ metrics: { pools: { heap: { examples, calibration: [0.5, 0.95].map((level, i) => ({ level, observed: observed[i]! })) } } } }) as unknown as ModelMeta;

  it('takes the held-out coverage at p50 and p95', () => {
    expect(calibratedCoverage(meta([0.6, 0.97], 100), 'heap')).toEqual({ p50: 0.6, p95: 0.97 });
  });

  it('keeps a coverage of 1 on finite data below certainty', () => {
    const c = calibratedCoverage(meta([0.5, 1], 99), 'heap');
    expect(c.p95).toBeCloseTo(0.99, 9);
    expect(exceedProbability(2, 1, 2, c)).toBeCloseTo(0.01, 6);
  });
});

describe('risk helpers', () => {
  it('inverts the normal CDF', () => {
    expect(inverseNormalCdf(0.5)).toBeCloseTo(0, 9);
    expect(inverseNormalCdf(0.95)).toBeCloseTo(1.6448536269514722, 7);
    expect(inverseNormalCdf(0.001)).toBeCloseTo(-3.090232306, 6);
  });

  it('combines pools and names levels', () => {
    expect(anyExceeds([0.05, 0.05])).toBeCloseTo(0.0975, 9);
    expect([0.1, 0.2, 0.3].map(riskLevelOf)).toEqual(['low', 'medium', 'high']);
  });
});
