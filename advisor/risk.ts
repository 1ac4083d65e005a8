import type { ModelMeta } from '../model/model-meta.ts';
import { inverseNormalCdf, normalCdf } from '../model/normal-distribution.ts';
import type { RiskLevel } from './recommendation.ts';

/**
 * How often real demand stayed at or below a pool's p50 and p95 on held-out history. Nominally
 * 0.5 and 0.95; a model whose p50 over-estimates (held-out demand below it 80% of the time) says
 * so in its calibration, and the risk should believe that rather than the nominal level.
 */
export interface QuantileCoverage {
  p50: number;
  p95: number;
}

export const NOMINAL_COVERAGE: QuantileCoverage = { p50: 0.5, p95: 0.95 };

/**
 * Probability that a pool's demand exceeds `size`, reading the p50/p95 interval as a log-normal
 * (demand is positive and right-skewed) that puts `coverage.p50` of the demand at or below p50 and
 * `coverage.p95` at or below p95 (a p50 of 0: see below). A degenerate interval (p50 = p95, e.g. the fallback rule or the
 * exact network formula) is a point: 0 at or above it, 1 below.
 */
export function exceedProbability(size: number, p50: number, p95: number, coverage: QuantileCoverage = NOMINAL_COVERAGE): number {
  if (p95 <= 0) return 0;
  if (p95 <= p50) return size >= p95 ? 0 : 1;
  // A calibration whose p95 covers no more than its p50 says nothing usable: read the levels as nominal.
  const usable = coverage.p95 > coverage.p50 ? coverage : NOMINAL_COVERAGE;
  if (p50 <= 0) {
    // No log-normal through a p50 of 0 (what is left of a small heap after the framework's share):
    // the exceedance falls linearly from 1 - c50 at 0 to 1 - c95 at p95, then as p95 / size.
    const [at0, atP95] = [1 - usable.p50, 1 - usable.p95];
    return size >= p95 ? (atP95 * p95) / size : at0 - ((at0 - atP95) * Math.max(0, size)) / p95;
  }
  if (size <= 0) return 1;
  const z50 = inverseNormalCdf(usable.p50);
  const sigma = Math.log(p95 / p50) / (inverseNormalCdf(usable.p95) - z50);
  return 1 - normalCdf(Math.log(size / p50) / sigma + z50);
}

/** Some pool runs short: 1 - prod(1 - p_i), pools taken as independent (an upper bound for positively correlated pools). */
export function anyExceeds(probabilities: readonly number[]): number {
  return 1 - probabilities.reduce((keep, p) => keep * (1 - p), 1);
}

/**
 * A pool growing without bound (a leak, model/demand-answer.ts): its size holds the linear
 * extrapolation of the growth over the horizon, a central guess for a leak (restarts, load and
 * the next class loaded move it either way), so it runs short about as often as not.
 */
export const unboundedGrowthExceedProbability = 0.5;

export function riskLevelOf(probability: number): RiskLevel {
  return probability <= 0.1 ? 'low' : probability <= 0.25 ? 'medium' : 'high';
}

/**
 * A model pool's held-out coverage at p50 and p95 (meta.json's calibration), kept inside
 * [1/(n+1), n/(n+1)] for its n examples: a coverage of 1 on finite data is not certainty.
 */
export function calibratedCoverage(meta: Pick<ModelMeta, 'metrics'>, pool: keyof ModelMeta['metrics']['pools']): QuantileCoverage {
  const m = meta.metrics.pools[pool];
  const n = Math.max(1, m.examples);
  const at = (level: number) => {
    const observed = m.calibration.find((c) => Math.abs(c.level - level) < 1e-9)?.observed ?? level;
    return Math.min(n / (n + 1), Math.max(1 / (n + 1), observed));
  };
  return { p50: at(0.5), p95: at(0.95) };
}
