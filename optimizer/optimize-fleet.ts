import { processSizeOf } from './candidates.ts';
import { fitsBudgets, objectiveOf, type ChoiceProblem, type Picks } from './choice-problem.ts';
import { fleetProblem } from './fleet-problem.ts';
import { exportPools } from './flink-export.ts';
import { solveGreedy } from './greedy.ts';
import { solveMilp } from './milp.ts';
import {
  DEFAULT_OPTIONS,
  type FleetPlan,
  type JobPlan,
  type OptimizeOptions,
  type OptimizerInput,
  type SolverReport,
} from './types.ts';

/**
 * Picks one TaskManager shape per job so that every budget holds and memory + risk + restarts
 * cost least. When a budget cannot hold even the smallest safe shapes, it is raised to that
 * minimum for the solve and the plan says so (feasible: false). Every recommended shape is
 * exported through flink/ and re-derived there before it is returned.
 */
export async function optimizeFleet(input: OptimizerInput, overrides: Partial<OptimizeOptions> = {}): Promise<FleetPlan> {
  const options: OptimizeOptions = { ...DEFAULT_OPTIONS, ...overrides };
  const { shapes, budgets, minimal, problem } = fleetProblem(input, options);
  const { picks, solver } = await choose(problem, options);

  const chosen = shapes.map((s, j) => s[picks[j]!]!);
  const jobs = input.jobs.map((job, j): JobPlan => {
    const shape = chosen[j]!;
    const currentProcess = processSizeOf(job.current);
    return {
      id: job.id,
      cluster: job.cluster,
      ...(job.namespace !== undefined && { namespace: job.namespace }),
      change: shape.change,
      current: {
        pools: job.current,
        processSize: currentProcess,
        taskManagers: job.taskManagers,
        slotsPerTaskManager: job.slotsPerTaskManager,
        memory: job.taskManagers * currentProcess,
      },
      recommended: {
        pools: shape.pools,
        processSize: shape.processSize,
        taskManagers: shape.taskManagers,
        slotsPerTaskManager: shape.slotsPerTaskManager,
        memory: shape.memory,
        flinkConfig: exportPools(shape.pools, job.flinkVersion),
      },
      belowP95: shape.shortfalls,
      candidates: shapes[j]!.length,
    };
  });
  const sum = (members: readonly number[], of: (plan: JobPlan) => number) => members.reduce((s, j) => s + of(jobs[j]!), 0);
  const all = jobs.map((_, j) => j);
  const budgetReports = budgets.map((b, i) => ({
    name: b.name,
    total: b.total,
    jobs: b.members.length,
    before: sum(b.members, (p) => p.current.memory),
    after: sum(b.members, (p) => p.recommended.memory),
    minimalFeasible: minimal[i]!,
    feasible: b.total >= minimal[i]!,
  }));
  return {
    feasible: budgetReports.every((b) => b.feasible),
    jobs,
    budgets: budgetReports,
    totals: { before: sum(all, (p) => p.current.memory), after: sum(all, (p) => p.recommended.memory) },
    belowP95: jobs.filter((p) => p.belowP95.length > 0).map((p) => p.id),
    solver,
  };
}

/** HiGHS started from the greedy answer; the greedy answer alone if HiGHS fails or does worse. */
async function choose(problem: ChoiceProblem, options: OptimizeOptions): Promise<{ picks: Picks; solver: SolverReport }> {
  const started = performance.now();
  const greedy = solveGreedy(problem);
  if (!greedy) throw new Error('internal: the smallest shapes do not fit the relaxed budgets');
  const milp = await solveMilp(problem, { mipRelGap: options.mipRelGap, timeLimitSeconds: options.timeLimitSeconds, start: greedy });
  const seconds = (performance.now() - started) / 1000;
  const size = { variables: milp.variables, rows: milp.rows };
  if (milp.picks && fitsBudgets(problem, milp.picks) && objectiveOf(problem, milp.picks) <= objectiveOf(problem, greedy)) {
    const solverName = milp.variables === 0 ? 'none' : 'highs';
    return { picks: milp.picks, solver: { solver: solverName, status: milp.status, gap: milp.gap, objective: objectiveOf(problem, milp.picks), seconds, ...size } };
  }
  return { picks: greedy, solver: { solver: 'greedy', status: `highs: ${milp.status}`, objective: objectiveOf(problem, greedy), seconds, ...size } };
}
