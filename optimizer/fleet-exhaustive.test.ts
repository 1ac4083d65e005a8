import { describe, expect, it } from 'vitest';
import { candidateShapes } from './candidates.ts';
import type { ChoiceProblem } from './choice-problem.ts';
import { fineGrainedJobText } from './fine-grained-fixture.ts';
import { fineGrainedShapes } from './fine-grained.ts';
import { fleetProblem } from './fleet-problem.ts';
import { jobText } from './job-fixture.ts';
import { optimizeFleet } from './optimize-fleet.ts';
import { exhaustiveSearch, solveWithLpSolver } from './reference-solvers.ts';
import { sessionClusterJob } from './session-cluster.ts';
import { DEFAULT_OPTIONS, OptimizerInput, type Shape } from './types.ts';

const growing = (peak: string, p95: string) => ({ observedPeak: peak, p50: peak, p95 });
const zero = { observedPeak: 0, p50: 0, p95: 0 };

/** A fine-grained job, a two-job session cluster and a plain job; demand grows in each. */
function fleet(shopTotal: number, allTotal: number) {
  return OptimizerInput.parse({
    jobs: [
      fineGrainedJobText(
        { demand: { taskHeap: growing('352m', '400m'), taskOffHeap: zero, managed: growing('250m', '300m') } },
        { namespace: 'shop' },
      ),
      jobText({ id: 'a', cluster: 'shared', namespace: 'shop', parallelism: 3, usesManaged: false, demand: { taskHeap: growing('700m', '800m'), managed: zero, metaspace: growing('90m', '100m'), taskOffHeap: zero } }),
      jobText({ id: 'b', cluster: 'shared', namespace: 'shop', parallelism: 1, demand: { taskHeap: growing('500m', '600m'), managed: growing('300m', '400m'), metaspace: growing('80m', '80m'), taskOffHeap: zero } }),
      jobText({ id: 'orders', cluster: 'orders', namespace: 'web' }),
    ],
    clusters: [{ name: 'shared', kind: 'session' }],
    budgets: [
      { name: 'shop', namespace: 'shop', total: `${shopTotal}b` },
      { name: 'all', total: `${allTotal}b` },
    ],
  });
}

/** Every shape of every decision, built without the Pareto reduction, with budgets matched by hand. */
function unreducedProblem(input: OptimizerInput): ChoiceProblem {
  const [fine, a, b, orders] = input.jobs;
  const units: Shape[][] = [
    fineGrainedShapes(fine!, DEFAULT_OPTIONS),
    candidateShapes(sessionClusterJob('shared', [a!, b!]), DEFAULT_OPTIONS),
    candidateShapes(orders!, DEFAULT_OPTIONS),
  ];
  const [shop, all] = input.budgets.map((x) => Number(x.total.slice(0, -1)));
  return {
    jobs: units.map((s) => ({ memory: s.map((x) => x.memory), cost: s.map((x) => x.cost) })),
    budgets: [
      { capacity: shop!, members: [0, 1] },
      { capacity: all!, members: [0, 1, 2] },
    ],
  };
}

describe('the whole pipeline against exhaustive search (fine-grained job, session cluster, plain job)', () => {
  const loose = unreducedProblem(fleet(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
  const least = (u: number) => Math.min(...loose.jobs[u]!.memory);
  const most = (u: number) => Math.max(...loose.jobs[u]!.memory);
  const between = (members: number[], t: number) => Math.round(members.reduce((s, u) => s + least(u) + t * (most(u) - least(u)), 0));

  const unconstrained = exhaustiveSearch(loose)!.objective;

  for (const t of [0.05, 0.2, 0.5]) {
    it(`finds the exact optimum with budgets ${t * 100}% of the way from the least to the most memory`, async () => {
      const input = fleet(between([0, 1], t), between([0, 1, 2], t / 2));
      const truth = exhaustiveSearch(unreducedProblem(input))!;
      expect(truth.objective).toBeGreaterThan(unconstrained); // the budgets bind
      expect(loose.jobs[0]!.cost.length).toBe(32); // 4 window profiles x 8 mixes that fit: the fine-grained shapes before the Pareto reduction
      const plan = await optimizeFleet(input, { mipRelGap: 0 });
      expect(plan.feasible).toBe(true);
      expect(plan.solver.objective).toBe(truth.objective);
      const { problem } = fleetProblem(input, DEFAULT_OPTIONS);
      const lp = solveWithLpSolver(problem);
      expect(lp.isIntegral).toBe(true);
      expect(problem.jobs.reduce((s, job, u) => s + job.cost[lp.picks![u]!]!, 0)).toBe(truth.objective);
    });
  }
});
