import { cheapestPicks, fitsBudgets, type ChoiceProblem, type Picks } from './choice-problem.ts';

/**
 * The objective is a plain sum over jobs and the budgets are their only coupling, so when every
 * job's cheapest option fits every budget at once, that choice is the exact optimum and no solver
 * is needed. Undefined when some budget binds.
 */
export function solveIndependent(problem: ChoiceProblem): Picks | undefined {
  const picks = cheapestPicks(problem);
  return fitsBudgets(problem, picks) ? picks : undefined;
}
