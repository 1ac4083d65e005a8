import * as lpSolverNamespace from 'javascript-lp-solver';
import type { SolverAPI } from 'javascript-lp-solver';
import { fitsBudgets, objectiveOf, type ChoiceProblem, type Picks } from './choice-problem.ts';

/** Independent answers to a ChoiceProblem, for checking HiGHS in tests. */

const MiB = 1024 * 1024;

// One .d.ts serves both module formats, so under NodeNext the default export does not type-check (as with highs in milp.ts).
const solver = ((lpSolverNamespace as { default?: unknown }).default ?? lpSolverNamespace) as SolverAPI;

/**
 * The optimum by trying every combination: the reference the solvers are checked against in tests,
 * for instances small enough to enumerate. Undefined when no combination fits the budgets.
 */
export function exhaustiveSearch(problem: ChoiceProblem): { picks: Picks; objective: number } | undefined {
  let best: { picks: Picks; objective: number } | undefined;
  const picks: Picks = problem.jobs.map(() => 0);
  const visit = (j: number): void => {
    if (j === problem.jobs.length) {
      if (!fitsBudgets(problem, picks)) return;
      const objective = objectiveOf(problem, picks);
      if (!best || objective < best.objective) best = { picks: [...picks], objective };
      return;
    }
    for (let k = 0; k < problem.jobs[j]!.cost.length; k++) {
      picks[j] = k;
      visit(j + 1);
    }
  };
  visit(0);
  return best;
}

/** The same MILP in javascript-lp-solver (its own simplex and branch-and-cut): an independent solver. */
export function solveWithLpSolver(problem: ChoiceProblem): { picks?: Picks; isIntegral?: boolean } {
  const variables: Record<string, Record<string, number>> = {};
  const binaries: Record<string, 1> = {};
  const constraints: Record<string, { equal: number } | { max: number }> = {};
  problem.jobs.forEach((job, j) => {
    constraints[`pick${j}`] = { equal: 1 };
    job.cost.forEach((c, k) => {
      const name = `x${j}_${k}`;
      variables[name] = { cost: c / MiB, [`pick${j}`]: 1 };
      binaries[name] = 1;
    });
  });
  problem.budgets.forEach((b, i) => {
    constraints[`budget${i}`] = { max: b.capacity / MiB };
    for (const j of b.members) problem.jobs[j]!.memory.forEach((m, k) => (variables[`x${j}_${k}`]![`budget${i}`] = m / MiB));
  });
  const result = solver.Solve({ optimize: 'cost', opType: 'min', constraints, variables, binaries }) as Record<string, number | boolean | undefined>;
  if (!result.feasible) return {};
  const picks = problem.jobs.map((job, j) => job.cost.findIndex((_, k) => Number(result[`x${j}_${k}`] ?? 0) > 0.5));
  return { picks, isIntegral: result.isIntegral === true };
}
