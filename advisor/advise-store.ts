import { resolveBudgets } from '../optimizer/budgets.ts';
import { optimizeFleet } from '../optimizer/optimize-fleet.ts';
import type { FleetPlan, OptimizeOptions } from '../optimizer/types.ts';
import type { HistoryStore } from '../store/history-store.ts';
import { buildRecommendation, type RiskCoverage } from './build-recommendation.ts';
import { poolsBelowObservedPeak, type Recommendation } from './recommendation.ts';
import { optimizerInputFromStore, type StoreInput, type StoreInputRequest } from './store-input.ts';

export interface Advice {
  recommendations: Recommendation[];
  /** Per recommendation, the calibration its risk was read with (smoothing re-reads it). */
  coverage: RiskCoverage[];
  plan: FleetPlan;
  skipped: StoreInput['skipped'];
  /** Per budget of the plan, the indices of its jobs in `recommendations`. */
  budgetMembers: number[][];
}

/** A recommendation below what the job was seen to use: a bug upstream, never an output. */
export class BelowObservedDemandError extends Error {
  override readonly name = 'BelowObservedDemandError';
}

/** store -> ... -> optimizer -> one recommendation per job, each checked against its observed peaks. */
export async function adviseFromStore(store: HistoryStore, request: StoreInputRequest, optimizer: Partial<OptimizeOptions> = {}): Promise<Advice> {
  const { input, evidence, skipped } = await optimizerInputFromStore(store, request);
  const plan = await optimizeFleet(input, optimizer);
  // Budget members are indices into input.jobs; the plan lists a session cluster's jobs together.
  const planIndex = new Map(plan.jobs.map((job, j) => [job.id, j]));
  const budgetMembers = resolveBudgets(input.budgets, input.jobs).map((m) => m.members.map((i) => planIndex.get(input.jobs[i]!.id)!));
  const sessions = new Map(plan.sessionClusters.map((c) => [c.name, { name: c.name, jobs: c.jobs.map((id) => evidence.get(id)!.facts.jobId) }]));
  const recommendations = plan.jobs.map((job, j) => {
    const budgets = plan.budgets.filter((_, b) => budgetMembers[b]!.includes(j));
    const session = job.sessionCluster === undefined ? undefined : sessions.get(job.sessionCluster);
    return buildRecommendation(job, evidence.get(job.id)!, budgets, session);
  });
  assertNeverBelowObserved(recommendations);
  return { recommendations, coverage: plan.jobs.map((job) => evidence.get(job.id)!.coverage), plan, skipped, budgetMembers };
}

export function assertNeverBelowObserved(recommendations: readonly Recommendation[]): void {
  for (const rec of recommendations) {
    const below = poolsBelowObservedPeak(rec);
    if (below.length > 0) {
      throw new BelowObservedDemandError(
        `internal error: the recommendation for job ${rec.jobId} puts ${below.map((p) => `${p} (${rec.recommended.pools[p]} < observed ${rec.observedPeaks[p]})`).join(', ')} below observed demand; nothing was written`,
      );
    }
  }
}
