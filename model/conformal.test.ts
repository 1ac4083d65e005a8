import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from '../simulator/random.ts';
import { inverseNormalCdf } from './normal-distribution.ts';
import { groupConformalThreshold, jobsToVouch } from './conformal.ts';

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

  it('asks for level x (J + 1) / J of the jobs; with fewer jobs than that takes, goes beyond the largest score', () => {
    const scores = Array.from({ length: 100 }, (_, i) => i);
    const groups = scores.map((i) => `job-${i}`);
    // 100 jobs at p95: 95.95% of them, so the 96th smallest score.
    expect(groupConformalThreshold(scores, groups, 0.95)).toBe(95);
    // 10 jobs cannot vouch for p95 (that takes 19): the largest score, 9, and then a tolerance limit
    // on the 10 scores (mean 4.5, sd 3.03, k = z_0.95 without confidence).
    const few = scores.slice(0, 10);
    expect(groupConformalThreshold(few, few.map((i) => `job-${i}`), 0.95)).toBeCloseTo(4.5 + inverseNormalCdf(0.95) * Math.sqrt(55 / 6), 6);
  });

  it('needs 45 jobs to vouch for p95 with 90% confidence, and with 15 widens past every job by their spread', () => {
    expect([0.5, 0.9, 0.95, 0.99].map((level) => Math.ceil(jobsToVouch(level, 0.9)))).toEqual([4, 22, 45, 230]);
    // The shipped model's managed calibration before the fix: 15 RocksDB jobs whose network p95 is
    // over their need by 3% to 20% (scores -0.03 .. -0.2, ln(truth / p95)); the largest score
    // (-0.03) left a new job whose p95 was 1% over short.
    const spread = [-0.029, -0.059, -0.061, -0.067, -0.068, -0.072, -0.073, -0.077, -0.082, -0.099, -0.1, -0.104, -0.141, -0.193, -0.196];
    const groups = spread.flatMap((_, j) => Array.from({ length: 21 }, () => `job-${j}`));
    const q = groupConformalThreshold(spread.flatMap((s) => Array.from({ length: 21 }, () => s)), groups, 0.95, 0.9);
    expect(q).toBeGreaterThan(0);
    expect(q).toBeLessThan(0.05);
    // 45 jobs: the scores vouch on their own.
    const many = Array.from({ length: 45 }, (_, j) => -0.2 + j / 300);
    expect(groupConformalThreshold(many, many.map((_, j) => `job-${j}`), 0.95, 0.9)).toBe(many[44]);
  });

  it('with 15 calibration jobs, covers a new job at p95 in at least 90% of calibrations (confidence 0.9)', () => {
    // Each job's score is its own bias (a job's decisions are alike), normal across jobs. The largest
    // of 15 jobs would cover a new one with probability 15/16 on average and fail the 90% check:
    // 1 - 0.95^15 = 54% of calibrations put it above the 95th percentile of jobs.
    const rnd = new Random(7);
    const normal = () => inverseNormalCdf(rnd.between(1e-9, 1 - 1e-9));
    const trials = 400;
    let vouched = 0;
    let largestVouched = 0;
    for (let t = 0; t < trials; t++) {
      const scores = Array.from({ length: 15 }, normal);
      const q = groupConformalThreshold(scores, scores.map((_, j) => `job-${j}`), 0.95, 0.9);
      // The share of new jobs covered at q is Phi(q); it should reach 95%.
      if (q >= inverseNormalCdf(0.95)) vouched++;
      if (Math.max(...scores) >= inverseNormalCdf(0.95)) largestVouched++;
    }
    expect(vouched / trials).toBeGreaterThanOrEqual(0.87);
    expect(largestVouched / trials).toBeLessThan(0.65);
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

  it('returns one of the scores when the jobs can vouch for the level; covering on average at least level x (J + 1) / J of the jobs, or all of them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ score: fc.integer({ min: -50, max: 50 }), job: fc.integer({ min: 0, max: 12 }) }), { minLength: 1, maxLength: 80 }),
        fc.double({ min: 0.05, max: 0.99, noNaN: true }),
        fc.constantFrom(0.5, 0.9),
        (rows, level, confidence) => {
          const scores = rows.map((r) => r.score);
          const groups = rows.map((r) => `job-${r.job}`);
          const q = groupConformalThreshold(scores, groups, level, confidence);
          const jobs = new Set(groups).size;
          if (jobs >= jobsToVouch(level, confidence)) expect(scores).toContain(q);
          else expect(q).not.toBeNaN();
          expect(meanJobCoverage(scores, groups, q)).toBeGreaterThanOrEqual(Math.min(1, (level * (jobs + 1)) / jobs) - 1e-9);
        },
      ),
    );
  });
});
