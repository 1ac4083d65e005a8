import type { FleetBudget } from '../collector/fleet-file.ts';
import { MemorySize } from '../flink/memory-size.ts';
import type { OptimizerJob } from './types.ts';

export interface ResolvedBudget {
  name: string;
  total: number;
  /** Indices into the job list. */
  members: number[];
}

/**
 * Which jobs count against each budget: those in the named namespace or clusters; a budget that
 * names neither covers the whole fleet.
 */
export function resolveBudgets(budgets: readonly FleetBudget[], jobs: readonly OptimizerJob[]): ResolvedBudget[] {
  return budgets.map((budget) => {
    const everything = budget.namespace === undefined && budget.clusters === undefined;
    const members = jobs.flatMap((job, j) =>
      everything || (budget.namespace !== undefined && job.namespace === budget.namespace) || budget.clusters?.includes(job.cluster)
        ? [j]
        : [],
    );
    return { name: budget.name, total: MemorySize.parse(budget.total).toNumber(), members };
  });
}

/** The `--budget SIZE` flag: one budget over the whole fleet, replacing any of the same name. */
const CLI_BUDGET_NAME = 'fleet';
export function withFleetBudget(budgets: readonly FleetBudget[], total: string): FleetBudget[] {
  return [...budgets.filter((b) => b.name !== CLI_BUDGET_NAME), { name: CLI_BUDGET_NAME, total }];
}
