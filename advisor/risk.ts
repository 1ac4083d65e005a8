import type { RiskLevel } from './recommendation.ts';

/** z of the 95th percentile of a standard normal. */
const Z95 = 1.6448536269514722;

/**
 * Probability that a pool's demand exceeds `size`, reading the p50/p95 interval as a log-normal
 * (demand is positive and right-skewed). A degenerate interval (p50 = p95, e.g. the fallback rule
 * or the exact network formula) is a point: 0 at or above it, 1 below.
 */
export function exceedProbability(size: number, p50: number, p95: number): number {
  if (p95 <= 0) return 0;
  if (p95 <= p50 || p50 <= 0) return size >= p95 ? 0 : 1;
  const sigma = Math.log(p95 / p50) / Z95;
  if (size <= 0) return 1;
  return 1 - normalCdf(Math.log(size / p50) / sigma);
}

/** Some pool runs short: 1 - prod(1 - p_i), pools taken as independent (an upper bound for positively correlated pools). */
export function anyExceeds(probabilities: readonly number[]): number {
  return 1 - probabilities.reduce((keep, p) => keep * (1 - p), 1);
}

export function riskLevelOf(probability: number): RiskLevel {
  return probability <= 0.1 ? 'low' : probability <= 0.25 ? 'medium' : 'high';
}

/** Abramowitz-Stegun 7.1.26 erf, |error| < 1.5e-7: plenty for a risk estimate. */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
