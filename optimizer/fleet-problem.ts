import { resolveBudgets, type ResolvedBudget } from './budgets.ts';
import { minimalBudgets, type ChoiceProblem } from './choice-problem.ts';
import { planUnits, type PlanUnit } from './plan-units.ts';
import type { OptimizeOptions, OptimizerInput, Shape } from './types.ts';

export interface FleetProblem {
  /** The decisions: one per job, or one per session cluster. */
  units: PlanUnit[];
  /** Each unit's candidate shapes (a Pareto front). */
  shapes: Shape[][];
  /** Budgets with their members as unit indices (a unit counts in full when any of its jobs does). */
  budgets: ResolvedBudget[];
  /** Each budget's smallest feasible total. */
  minimal: number[];
  /** The choice to solve, with every budget raised to at least its minimal total. */
  problem: ChoiceProblem;
}

/** Turns the fleet into a ChoiceProblem: candidate shapes per unit, budget rows over their members. */
export function fleetProblem(input: OptimizerInput, options: OptimizeOptions): FleetProblem {
  const units = planUnits(input, options);
  const shapes = units.map((u) => u.shapes);
  const unitOf: number[] = [];
  units.forEach((u, i) => u.jobs.forEach((j) => (unitOf[j] = i)));
  const budgets = resolveBudgets(input.budgets, input.jobs).map((b) => ({
    ...b,
    members: [...new Set(b.members.map((j) => unitOf[j]!))].sort((x, y) => x - y),
  }));
  const jobs = shapes.map((s) => ({ memory: s.map((x) => x.memory), cost: s.map((x) => x.cost) }));
  const minimal = minimalBudgets({ jobs, budgets: budgets.map((b) => ({ capacity: b.total, members: b.members })) });
  const problem: ChoiceProblem = {
    jobs,
    budgets: budgets.map((b, i) => ({ capacity: Math.max(b.total, minimal[i]!), members: b.members })),
  };
  return { units, shapes, budgets, minimal, problem };
}
