import { resolveBudgets, type ResolvedBudget } from './budgets.ts';
import { candidateShapes } from './candidates.ts';
import { minimalBudgets, type ChoiceProblem } from './choice-problem.ts';
import type { OptimizeOptions, OptimizerInput, Shape } from './types.ts';

export interface FleetProblem {
  /** Each job's candidate shapes (a Pareto front). */
  shapes: Shape[][];
  budgets: ResolvedBudget[];
  /** Each budget's smallest feasible total. */
  minimal: number[];
  /** The choice to solve, with every budget raised to at least its minimal total. */
  problem: ChoiceProblem;
}

/** Turns the fleet into a ChoiceProblem: candidate shapes per job, budget rows over their members. */
export function fleetProblem(input: OptimizerInput, options: OptimizeOptions): FleetProblem {
  const shapes = input.jobs.map((job) => candidateShapes(job, options));
  const budgets = resolveBudgets(input.budgets, input.jobs);
  const jobs = shapes.map((s) => ({ memory: s.map((x) => x.memory), cost: s.map((x) => x.cost) }));
  const minimal = minimalBudgets({ jobs, budgets: budgets.map((b) => ({ capacity: b.total, members: b.members })) });
  const problem: ChoiceProblem = {
    jobs,
    budgets: budgets.map((b, i) => ({ capacity: Math.max(b.total, minimal[i]!), members: b.members })),
  };
  return { shapes, budgets, minimal, problem };
}
