import { resolveBudgets } from '../optimizer/budgets.ts';
import { optimizeFleet } from '../optimizer/optimize-fleet.ts';
import type { FleetPlan, OptimizeOptions } from '../optimizer/types.ts';
import type { HistoryStore } from '../store/history-store.ts';
import { buildRecommendation } from './build-recommendation.ts';
import { poolsBelowObservedPeak, type Recommendation } from './recommendation.ts';
import { optimizerInputFromStore, type StoreInput, type StoreInputRequest } from './store-input.ts';

export interface Advice {
  recommendations: Recommendation[];
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
  const memberships = resolveBudgets(input.budgets, input.jobs);
  const recommendations = plan.jobs.map((job, j) => {
    const budgets = plan.budgets.filter((_, b) => memberships[b]!.members.includes(j));
    return buildRecommendation(job, evidence.get(job.id)!, budgets);
  });
  assertNeverBelowObserved(recommendations);
  return { recommendations, plan, skipped, budgetMembers: memberships.map((m) => m.members) };
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
