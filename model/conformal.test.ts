import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupConformalThreshold } from './conformal.ts';

/** The jobs' mean coverage at q, each job weighted equally. */
function meanJobCoverage(scores: number[], groups: string[], q: number): number {
  const jobs = [...new Set(groups)];
  return jobs.reduce((sum, job) => {
    const own = scores.filter((_, i) => groups[i] === job);
    return sum + own.filter((s) => s <= q).length / own.length;
  }, 0) / jobs.length;
}

describe('groupConformalThreshold', () => {
  it('weighs jobs equally: a job with many decisions does not outvote the others', () => {
    // 20 jobs: 19 with one score each (1..19), one with 100 scores of 1000.
    const scores = [...Array.from({ length: 19 }, (_, i) => i + 1), ...Array.from({ length: 100 }, () => 1000)];
    const groups = [...Array.from({ length: 19 }, (_, i) => `job-${i}`), ...Array.from({ length: 100 }, () => 'big')];
    // Counted in examples, 100 of 119 scores are 1000: any level above 16% would return 1000.
    expect(groupConformalThreshold(scores, groups, 0.5)).toBe(11);
  });

  it('asks for level x (J + 1) / J of the jobs, and gives the largest score when that exceeds 1', () => {
    const scores = Array.from({ length: 100 }, (_, i) => i);
    const groups = scores.map((i) => `job-${i}`);
    // 100 jobs at p95: 95.95% of them, so the 96th smallest score.
    expect(groupConformalThreshold(scores, groups, 0.95)).toBe(95);
    const few = scores.slice(0, 10);
    expect(groupConformalThreshold(few, few.map((i) => `job-${i}`), 0.95)).toBe(9);
  });

  it('with confidence, moves up when the jobs disagree and stays put when they agree', () => {
    // 20 jobs of 10 scores: half of them entirely low, half entirely high.
    const scores: number[] = [];
    const groups: string[] = [];
    for (let j = 0; j < 20; j++) {
      for (let k = 0; k < 10; k++) {
        scores.push((j % 2 === 0 ? 0 : 10) + k / 10 + j / 1000);
        groups.push(`job-${j}`);
      }
    }
    const expected = groupConformalThreshold(scores, groups, 0.5);
    const confident = groupConformalThreshold(scores, groups, 0.5, 0.9);
    expect(confident).toBeGreaterThan(expected);
    expect(meanJobCoverage(scores, groups, confident)).toBeGreaterThan(meanJobCoverage(scores, groups, expected));
    // Every job alike (no spread between jobs): the confidence adds nothing.
    const alike = Array.from({ length: 400 }, (_, i) => i % 10);
    const alikeGroups = alike.map((_, i) => `job-${Math.floor(i / 10)}`);
    expect(groupConformalThreshold(alike, alikeGroups, 0.5, 0.99)).toBe(groupConformalThreshold(alike, alikeGroups, 0.5));
  });

  it('treats -Infinity as always covered', () => {
    const scores = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, 2, 5];
    const groups = ['a', 'b', 'c', 'd', 'e'];
    expect(groupConformalThreshold(scores, groups, 0.5)).toBe(Number.NEGATIVE_INFINITY);
    expect(groupConformalThreshold(scores, groups, 0.6)).toBe(2);
  });

  it('always returns one of the scores, covering on average at least level x (J + 1) / J of the jobs, or all of them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ score: fc.integer({ min: -50, max: 50 }), job: fc.integer({ min: 0, max: 12 }) }), { minLength: 1, maxLength: 80 }),
        fc.double({ min: 0.05, max: 0.99, noNaN: true }),
        fc.constantFrom(0.5, 0.9),
        (rows, level, confidence) => {
          const scores = rows.map((r) => r.score);
          const groups = rows.map((r) => `job-${r.job}`);
          const q = groupConformalThreshold(scores, groups, level, confidence);
          expect(scores).toContain(q);
          const jobs = new Set(groups).size;
          expect(meanJobCoverage(scores, groups, q)).toBeGreaterThanOrEqual(Math.min(1, (level * (jobs + 1)) / jobs) - 1e-9);
        },
      ),
    );
  });
});
