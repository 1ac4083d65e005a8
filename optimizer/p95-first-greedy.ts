import { budgetsOfJobs, budgetUse, type ChoiceProblem, type Picks } from './choice-problem.ts';
import type { Shape } from './types.ts';

/**
 * The allocator a person would write, the benchmark's baseline: size every job to its p95 on
 * its own (the least memory with no pool below p95, restarting whenever that differs from now),
 * then, while a budget is exceeded, step down the job in an exceeded budget whose next smaller
 * shape frees the most memory. It ignores risk and restart costs while choosing.
 */
export function p95Picks(shapes: readonly Shape[][]): Picks {
  return shapes.map((s) => {
    const covered = s.findIndex((x) => x.shortfalls.length === 0);
    return covered >= 0 ? covered : s.length - 1;
  });
}

export function solveP95First(problem: ChoiceProblem, start: Picks): Picks | undefined {
  const picks = [...start];
  const use = budgetUse(problem, picks);
  const budgetsOf = budgetsOfJobs(problem);
  for (;;) {
    const over = problem.budgets.map((b, i) => use[i]! > b.capacity);
    if (!over.includes(true)) return picks;
    let best = -1;
    let bestSaving = 0;
    problem.jobs.forEach((job, j) => {
      const k = picks[j]!;
      if (k === 0 || !budgetsOf[j]!.some((i) => over[i])) return;
      const saving = job.memory[k]! - job.memory[k - 1]!;
      if (saving > bestSaving) [best, bestSaving] = [j, saving];
    });
    if (best < 0) return undefined;
    picks[best]!--;
    for (const i of budgetsOf[best]!) use[i]! -= bestSaving;
  }
}
