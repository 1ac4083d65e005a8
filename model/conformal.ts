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
 *
 * Too few jobs to vouch for the level (J < jobsToVouch: 45 at p95 with c = 0.9) and no score does
 * either of the above honestly: the largest of J jobs covers a new one with probability J / (J + 1)
 * on average and, with confidence c, only (1 - c)^(1 / J) (0.86 for 15 jobs), while the standard
 * error of job coverages that are all 1 is 0 and vouches for nothing. Then the threshold is also
 * no lower than a normal tolerance limit on the jobs' own scores (normalToleranceLimit; jobs whose
 * score is -Infinity left out): a bound beyond the largest score, as wide as the spread between
 * the jobs says.
 *
 * Scores may be -Infinity (an example covered whatever q is). No score qualifies: the largest.
 */
export function groupConformalThreshold(scores: readonly number[], groups: readonly string[], level: number, confidence = 0.5): number {
  if (scores.length === 0) return 0;
  const free = distributionFreeThreshold(scores, groups, level, confidence);
  const perJob = jobScores(scores, groups, level);
  if (perJob.length >= jobsToVouch(level, confidence)) return free;
  // Jobs covered whatever q is (score -Infinity) have no place on a normal curve; leaving them out
  // asks `level` of the others alone: wider, never narrower.
  return Math.max(free, normalToleranceLimit(perJob.filter(Number.isFinite), level, confidence));
}

/**
 * The fewest jobs whose scores can vouch, without assuming their distribution, that a new job is
 * covered at `level`: level x (J + 1) / J must not exceed 1 (J >= level / (1 - level)), and with
 * every job covered the one-sided Clopper-Pearson lower bound (1 - c)^(1 / J) on the covered
 * share must reach `level` (J >= ln(1 - c) / ln(level)). At c = 0.9: 4 jobs at p50, 22 at p90,
 * 45 at p95, 230 at p99.
 */
export function jobsToVouch(level: number, confidence = 0.5): number {
  return Math.max(level / (1 - level), Math.log(1 - Math.max(0.5, confidence)) / Math.log(level));
}

/**
 * One-sided normal tolerance limit on the jobs' scores: mean + k sd, with k such that, if the
 * scores are normal, with `confidence` at least `level` of new jobs score below it (k from
 * Natrella's approximation, NIST/SEMATECH e-Handbook of Statistical Methods 7.2.6.3: 2.29 for 15
 * jobs at p95 with c = 0.9). -Infinity without a spread to read (under 2 jobs, -Infinity scores)
 * or when the approximation fails (J - 1 <= z_c^2 / 2: a single job at c = 0.9).
 */
function normalToleranceLimit(jobScores: readonly number[], level: number, confidence = 0.5): number {
  const J = jobScores.length;
  if (J < 2 || !jobScores.every(Number.isFinite)) return Number.NEGATIVE_INFINITY;
  const zp = inverseNormalCdf(level);
  const zc = confidence > 0.5 ? inverseNormalCdf(confidence) : 0;
  const a = 1 - (zc * zc) / (2 * (J - 1));
  if (a <= 0) return Number.NEGATIVE_INFINITY;
  const b = zp * zp - (zc * zc) / J;
  const k = (zp + Math.sqrt(zp * zp - a * b)) / a;
  const mean = jobScores.reduce((s, x) => s + x, 0) / J;
  const sd = Math.sqrt(jobScores.reduce((s, x) => s + (x - mean) ** 2, 0) / (J - 1));
  return mean + k * sd;
}

/** Each job's own `level` score: the smallest of its scores that covers `level` of them. */
function jobScores(scores: readonly number[], groups: readonly string[], level: number): number[] {
  const byJob = new Map<string, number[]>();
  scores.forEach((s, i) => {
    const own = byJob.get(groups[i]!);
    if (own) own.push(s);
    else byJob.set(groups[i]!, [s]);
  });
  return [...byJob.values()].map((own) => own.sort((x, y) => x - y)[Math.max(0, Math.ceil(level * own.length) - 1)]!);
}

/** The first two conditions of groupConformalThreshold, on the scores alone. */
function distributionFreeThreshold(scores: readonly number[], groups: readonly string[], level: number, confidence: number): number {
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
