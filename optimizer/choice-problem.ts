/**
 * The fleet decision stripped to numbers: every job picks exactly one of its options; each budget
 * caps the summed memory of its member jobs; minimize the summed cost. (A multiple-choice knapsack
 * with several knapsacks.) Options are sorted by memory ascending, cost descending (a Pareto front).
 */
export interface ChoiceProblem {
  jobs: ReadonlyArray<{ memory: readonly number[]; cost: readonly number[] }>;
  budgets: ReadonlyArray<{ capacity: number; members: readonly number[] }>;
}

/** One option index per job. */
export type Picks = number[];

/** Each job's cheapest option: its last, options being sorted by cost descending. */
export function cheapestPicks(problem: ChoiceProblem): Picks {
  return problem.jobs.map((job) => job.cost.length - 1);
}

export function objectiveOf(problem: ChoiceProblem, picks: Picks): number {
  return problem.jobs.reduce((sum, job, j) => sum + job.cost[picks[j]!]!, 0);
}

export function budgetUse(problem: ChoiceProblem, picks: Picks): number[] {
  return problem.budgets.map((b) => b.members.reduce((sum, j) => sum + problem.jobs[j]!.memory[picks[j]!]!, 0));
}

export function fitsBudgets(problem: ChoiceProblem, picks: Picks): boolean {
  const use = budgetUse(problem, picks);
  return problem.budgets.every((b, i) => use[i]! <= b.capacity);
}

/** For each job, the indices of the budgets it counts against. */
export function budgetsOfJobs(problem: ChoiceProblem): number[][] {
  const of: number[][] = problem.jobs.map(() => []);
  problem.budgets.forEach((b, i) => b.members.forEach((j) => of[j]!.push(i)));
  return of;
}

/** Each budget's smallest possible use: every member at its smallest option. */
export function minimalBudgets(problem: ChoiceProblem): number[] {
  return budgetUse(problem, problem.jobs.map(() => 0));
}
