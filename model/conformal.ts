// A pure helper that lives with the advisor's risk estimate; imported, not copied.
import { inverseNormalCdf } from './normal-distribution.ts';

/**
 * Split-conformal threshold for scores that come in groups (a job's decisions are strongly
 * correlated; jobs are the exchangeable units): the smallest score q such that
 *
 * - the jobs' mean coverage at q (each job's share of its scores <= q, jobs weighted equally)
 *   reaches level x (J + 1) / J. Mixing the J calibration jobs and a new one with equal weights,
 *   the mixture's coverage at q is then at least `level` even if the new job is missed entirely,
 *   so q is at least the mixture's `level` quantile, a symmetric function of the J + 1 jobs; by
 *   their exchangeability the new job's expected coverage there is at least `level`;
 * - and, with `confidence` c, a one-sided c lower confidence bound on that expected coverage (the
 *   mean of the J job coverages minus z_c standard errors) reaches `level`: a tolerance limit, so
 *   that which jobs happened to be held out for calibration moves the answer little.
 *
 * (The usual ceil((n + 1) level) / n correction is for n single scores; counted in jobs it jumps to
 * the largest score, one outlier job, whenever J < 1 / (1 - level) - 1: 19 jobs at p95.)
 * Scores may be -Infinity (an example covered whatever q is). No q qualifies: the largest score.
 */
export function groupConformalThreshold(scores: readonly number[], groups: readonly string[], level: number, confidence = 0.5): number {
  if (scores.length === 0) return 0;
  const index = new Map<string, number>();
  for (const g of groups) if (!index.has(g)) index.set(g, index.size);
  const jobs = index.size;
  const size = new Float64Array(jobs);
  for (const g of groups) size[index.get(g)!]!++;
  const covered = new Float64Array(jobs);
  const z = confidence > 0.5 ? inverseNormalCdf(confidence) : 0;
  const target = (level * (jobs + 1)) / jobs;
  const order = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]! || a - b);
  // Running sums of the job coverages c_j and of c_j^2 as q passes the scores in order.
  let sum = 0;
  let squares = 0;
  for (let k = 0; k < order.length; k++) {
    const j = index.get(groups[order[k]!]!)!;
    const before = covered[j]! / size[j]!;
    covered[j]!++;
    const after = covered[j]! / size[j]!;
    sum += after - before;
    squares += after * after - before * before;
    // Ties: q covers every score equal to it, so only the last of a run of equal scores is a candidate.
    if (k + 1 < order.length && scores[order[k + 1]!] === scores[order[k]!]) continue;
    const mean = sum / jobs;
    const sd = jobs > 1 ? Math.sqrt(Math.max(0, (squares - jobs * mean * mean) / (jobs - 1))) : 0;
    // The tolerance absorbs rounding in the running sums.
    if (mean >= target - 1e-9 && mean - (z * sd) / Math.sqrt(jobs) >= level - 1e-9) return scores[order[k]!]!;
  }
  return scores[order[order.length - 1]!]!;
}
