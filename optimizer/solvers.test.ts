import { describe, expect, it } from 'vitest';
import { Random } from '../simulator/random.ts';
import { budgetUse, cheapestPicks, fitsBudgets, minimalBudgets, objectiveOf, type ChoiceProblem, type Picks } from './choice-problem.ts';
import { fleetProblem } from './fleet-problem.ts';
import { exhaustiveSearch as exhaustive, solveWithLpSolver } from './reference-solvers.ts';
import { solveGreedy } from './greedy.ts';
import { solveIndependent } from './independent.ts';
import { solveMilp } from './milp.ts';
import { syntheticFleet } from './synthetic-fleet.ts';
import { DEFAULT_OPTIONS } from './types.ts';

const MiB = 1024 * 1024;

/** A random front per job (memory up, cost down) and budgets over random subsets. */
function randomProblem(random: Random): ChoiceProblem {
  const jobs = Array.from({ length: random.int(2, 6) }, () => {
    const options = random.int(1, 4);
    const memory: number[] = [];
    const cost: number[] = [];
    let m = random.int(1, 40) * 16 * MiB;
    let c = m * 3;
    for (let k = 0; k < options; k++) {
      memory.push(m);
      cost.push(c);
      const step = random.int(1, 30) * 16 * MiB;
      m += step;
      c = c + step - random.int(1, 4) * step; // cost falls as memory grows
    }
    return { memory, cost };
  });
  const budgets = Array.from({ length: random.int(1, 3) }, () => {
    const members = jobs.flatMap((_, j) => (random.chance(0.7) ? [j] : []));
    const smallest = members.reduce((s, j) => s + jobs[j]!.memory[0]!, 0);
    const largest = members.reduce((s, j) => s + jobs[j]!.memory[jobs[j]!.memory.length - 1]!, 0);
    return { members, capacity: Math.round(smallest + (largest - smallest) * random.between(-0.1, 1.1)) };
  });
  return { jobs, budgets };
}

describe('HiGHS against exhaustive search', () => {
  it('finds the exact optimum of 60 random small instances, and says when none fits', async () => {
    const random = new Random(7);
    let infeasible = 0;
    for (let i = 0; i < 60; i++) {
      const problem = randomProblem(random);
      const truth = exhaustive(problem);
      const milp = await solveMilp(problem, { mipRelGap: 0, timeLimitSeconds: 10 });
      if (!truth) {
        infeasible++;
        expect(milp.picks).toBeUndefined();
        expect(milp.status).toBe('infeasible');
        expect(problem.budgets.some((b, k) => b.capacity < minimalBudgets(problem)[k]!)).toBe(true);
        continue;
      }
      expect(milp.picks).toBeDefined();
      expect(fitsBudgets(problem, milp.picks!)).toBe(true);
      expect(objectiveOf(problem, milp.picks!)).toBe(truth.objective);
    }
    expect(infeasible).toBeGreaterThan(0);
  });

  it('keeps the greedy answer feasible and never better than the optimum', async () => {
    const random = new Random(11);
    for (let i = 0; i < 60; i++) {
      const problem = randomProblem(random);
      const truth = exhaustive(problem);
      const greedy = solveGreedy(problem);
      if (!truth) {
        expect(greedy).toBeUndefined();
        continue;
      }
      expect(fitsBudgets(problem, greedy!)).toBe(true);
      expect(objectiveOf(problem, greedy!)).toBeGreaterThanOrEqual(truth.objective);
    }
  });
});

describe('the shortcut when budgets do not bind', () => {
  /** The same instance with every budget raised to hold each job's cheapest option. */
  const unbound = (problem: ChoiceProblem): ChoiceProblem => {
    const use = budgetUse(problem, cheapestPicks(problem));
    return { ...problem, budgets: problem.budgets.map((b, i) => ({ ...b, capacity: Math.max(b.capacity, use[i]!) })) };
  };

  it('equals HiGHS and exhaustive search on 60 random instances whose budgets do not bind', async () => {
    const random = new Random(31);
    for (let i = 0; i < 60; i++) {
      const problem = unbound(randomProblem(random));
      const picks = solveIndependent(problem);
      expect(picks).toBeDefined();
      const milp = await solveMilp(problem, { mipRelGap: 0, timeLimitSeconds: 10 });
      expect(objectiveOf(problem, picks!)).toBe(objectiveOf(problem, milp.picks!));
      expect(objectiveOf(problem, picks!)).toBe(exhaustive(problem)!.objective);
    }
  });

  it('picks what HiGHS picks on a synthetic fleet without a binding budget', async () => {
    const jobs = syntheticFleet(40, 3);
    const { problem } = fleetProblem({ jobs, budgets: [{ name: 'roomy', total: `${jobs.length * 512}g` }] }, DEFAULT_OPTIONS);
    const milp = await solveMilp(problem, { mipRelGap: 0, timeLimitSeconds: 10 });
    expect(solveIndependent(problem)).toEqual(milp.picks);
  });

  it('declines whenever some budget binds, leaving the instance to HiGHS', () => {
    const random = new Random(37);
    let binding = 0;
    for (let i = 0; i < 60; i++) {
      const problem = randomProblem(random);
      const fits = fitsBudgets(problem, cheapestPicks(problem));
      if (!fits) binding++;
      expect(solveIndependent(problem) !== undefined).toBe(fits);
    }
    expect(binding).toBeGreaterThan(10);
  });
});

describe('javascript-lp-solver as an independent check', () => {
  it('agrees with exhaustive search and HiGHS on 40 random small instances', async () => {
    const random = new Random(23);
    let solved = 0;
    for (let i = 0; i < 40; i++) {
      const problem = randomProblem(random);
      const truth = exhaustive(problem);
      const lp = solveWithLpSolver(problem);
      if (!truth) {
        expect(lp.picks).toBeUndefined();
        continue;
      }
      solved++;
      expect(lp.isIntegral).toBe(true);
      expect(fitsBudgets(problem, lp.picks!)).toBe(true);
      expect(objectiveOf(problem, lp.picks!)).toBe(truth.objective);
      const milp = await solveMilp(problem, { mipRelGap: 0, timeLimitSeconds: 10 });
      expect(objectiveOf(problem, milp.picks!)).toBe(objectiveOf(problem, lp.picks!));
    }
    expect(solved).toBeGreaterThan(20);
  });
});

describe('a hand-checked instance', () => {
  // Two jobs, one budget of 10. A: (4, cost 10) or (6, cost 7). B: (3, cost 9) or (5, cost 5).
  // Combinations that fit: A4+B3 = 19, A4+B5 = 15, A6+B3 = 16; A6+B5 = 11 is 11 wide and does not fit.
  const problem: ChoiceProblem = {
    jobs: [
      { memory: [4 * MiB, 6 * MiB], cost: [10 * MiB, 7 * MiB] },
      { memory: [3 * MiB, 5 * MiB], cost: [9 * MiB, 5 * MiB] },
    ],
    budgets: [{ capacity: 10 * MiB, members: [0, 1] }],
  };

  it('is solved by HiGHS as A small, B large', async () => {
    const milp = await solveMilp(problem, { mipRelGap: 0, timeLimitSeconds: 10 });
    expect(milp.picks).toEqual([0, 1]);
    expect(milp.status).toBe('optimal');
    expect(milp.gap).toBe(0);
  });

  it('is solved by the greedy allocator the same way (B saves more per byte)', () => {
    expect(solveGreedy(problem)).toEqual([0, 1]);
  });

  it('starts HiGHS from a given feasible choice', async () => {
    const milp = await solveMilp(problem, { mipRelGap: 0, timeLimitSeconds: 10, start: [1, 0] });
    expect(milp.picks).toEqual([0, 1]);
  });
});
