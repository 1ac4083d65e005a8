import { budgetsOfJobs, budgetUse, cheapestPicks, type ChoiceProblem, type Picks } from './choice-problem.ts';

/**
 * The greedy allocator: every job starts at its cheapest option; while a budget is exceeded, the
 * job in an exceeded budget whose next smaller option costs least per byte saved steps down; then
 * jobs step back up, best saving per byte first, wherever every budget still has room. Returns
 * undefined when even the smallest options do not fit. Used as HiGHS's starting point, as the
 * fallback when HiGHS fails, and as the benchmark's reference.
 */
export function solveGreedy(problem: ChoiceProblem): Picks | undefined {
  const { jobs, budgets } = problem;
  const picks = cheapestPicks(problem);
  const use = budgetUse(problem, picks);
  const budgetsOf = budgetsOfJobs(problem);
  const move = (j: number, to: number) => {
    const delta = jobs[j]!.memory[to]! - jobs[j]!.memory[picks[j]!]!;
    for (const i of budgetsOf[j]!) use[i]! += delta;
    picks[j] = to;
  };

  // Step down: extra cost per byte saved of each job's next smaller option, kept current as jobs move.
  const downRatio = (j: number) => {
    const { memory, cost } = jobs[j]!;
    const k = picks[j]!;
    return k === 0 ? Infinity : (cost[k - 1]! - cost[k]!) / (memory[k]! - memory[k - 1]!);
  };
  const ratios = jobs.map((_, j) => downRatio(j));
  let overKey = '';
  let eligible: boolean[] = [];
  for (;;) {
    const over = budgets.map((b, i) => use[i]! > b.capacity);
    if (!over.includes(true)) break;
    if (over.join() !== overKey) {
      overKey = over.join();
      eligible = budgetsOf.map((of) => of.some((i) => over[i]));
    }
    let best = -1;
    for (let j = 0; j < jobs.length; j++) {
      if (eligible[j] && ratios[j]! !== Infinity && (best < 0 || ratios[j]! < ratios[best]!)) best = j;
    }
    if (best < 0) return undefined;
    move(best, picks[best]! - 1);
    ratios[best] = downRatio(best);
  }

  // Step up: the largest saving per extra byte that still fits. Budgets only fill up as jobs move,
  // so a cached best move can only become infeasible: re-check it when it comes up.
  const upMove = (j: number): { to: number; saving: number } | undefined => {
    const { memory, cost } = jobs[j]!;
    let found: { to: number; saving: number } | undefined;
    for (let to = picks[j]! + 1; to < cost.length; to++) {
      const extra = memory[to]! - memory[picks[j]!]!;
      if (budgetsOf[j]!.some((i) => use[i]! + extra > budgets[i]!.capacity)) break;
      const saving = (cost[picks[j]!]! - cost[to]!) / extra;
      if (!found || saving > found.saving) found = { to, saving };
    }
    return found;
  };
  const ups = jobs.map((_, j) => upMove(j));
  for (;;) {
    let best = -1;
    for (let j = 0; j < jobs.length; j++) if (ups[j] && (best < 0 || ups[j]!.saving > ups[best]!.saving)) best = j;
    if (best < 0) return picks;
    const { to } = ups[best]!;
    const extra = jobs[best]!.memory[to]! - jobs[best]!.memory[picks[best]!]!;
    if (budgetsOf[best]!.every((i) => use[i]! + extra <= budgets[i]!.capacity)) move(best, to);
    ups[best] = upMove(best);
  }
}
