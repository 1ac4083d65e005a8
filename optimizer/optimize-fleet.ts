import { processSizeOf } from './candidates.ts';
import { fitsBudgets, objectiveOf, type ChoiceProblem, type Picks } from './choice-problem.ts';
import { fleetProblem } from './fleet-problem.ts';
import { exportShape } from './flink-export.ts';
import { solveGreedy } from './greedy.ts';
import { solveIndependent } from './independent.ts';
import type { PlanUnit } from './plan-units.ts';
import { shareBySlots } from './session-cluster.ts';
import {
  DEFAULT_OPTIONS,
  type FleetPlan,
  type JobPlan,
  type OptimizeOptions,
  type OptimizerInput,
  type SessionClusterPlan,
  type Shape,
  type SolverReport,
} from './types.ts';

/**
 * Picks one TaskManager shape per job (per session cluster where jobs share TaskManagers; with
 * slot profiles per slot-sharing group for fine-grained jobs) so that every budget holds and
 * memory + risk + restarts cost least. When a budget cannot hold even the smallest safe shapes,
 * it is raised to that minimum for the solve and the plan says so (feasible: false). Every
 * recommended shape is exported through flink/ and re-derived there before it is returned.
 */
export async function optimizeFleet(input: OptimizerInput, overrides: Partial<OptimizeOptions> = {}): Promise<FleetPlan> {
  const options: OptimizeOptions = { ...DEFAULT_OPTIONS, ...overrides };
  const { units, shapes, budgets, minimal, problem } = fleetProblem(input, options);
  const { picks, solver } = await choose(problem, options);

  const chosen = shapes.map((s, u) => s[picks[u]!]!);
  const currentMemory = units.map((unit) => unit.job.taskManagers * processSizeOf(unit.job.current));
  const jobs: JobPlan[] = [];
  units.forEach((unit, u) => jobs.push(...unitJobPlans(input, unit, chosen[u]!, currentMemory[u]!)));
  const inputOrder = new Map(input.jobs.map((job, j) => [job.id, j]));
  jobs.sort((a, b) => inputOrder.get(a.id)! - inputOrder.get(b.id)!);

  const sum = (members: readonly number[], of: (u: number) => number) => members.reduce((s, u) => s + of(u), 0);
  const before = (u: number) => currentMemory[u]!;
  const after = (u: number) => chosen[u]!.memory;
  const all = units.map((_, u) => u);
  const budgetReports = budgets.map((b, i) => ({
    name: b.name,
    total: b.total,
    jobs: sum(b.members, (u) => units[u]!.jobs.length),
    before: sum(b.members, before),
    after: sum(b.members, after),
    minimalFeasible: minimal[i]!,
    feasible: b.total >= minimal[i]!,
  }));
  return {
    feasible: budgetReports.every((b) => b.feasible),
    jobs,
    budgets: budgetReports,
    totals: { before: sum(all, before), after: sum(all, after) },
    belowP95: jobs.filter((p) => p.belowP95.length > 0).map((p) => p.id),
    solver,
    sessionClusters: units.flatMap((unit, u) => (unit.sessionCluster === undefined ? [] : [sessionPlan(input, unit, chosen[u]!, currentMemory[u]!)])),
  };
}

/** The plan of each job a unit covers; a session cluster's jobs share its shape and split its memory by slots. */
function unitJobPlans(input: OptimizerInput, unit: PlanUnit, shape: Shape, currentMemory: number): JobPlan[] {
  const members = unit.jobs.map((j) => input.jobs[j]!);
  const slots = members.map((job) => job.parallelism);
  const currentShare = shareBySlots(currentMemory, slots);
  const recommendedShare = shareBySlots(shape.memory, slots);
  const flinkConfig = exportShape(shape, unit.job.flinkVersion);
  return members.map((job, i) => ({
    id: job.id,
    cluster: job.cluster,
    ...(job.namespace !== undefined && { namespace: job.namespace }),
    change: shape.change,
    current: {
      pools: job.current,
      processSize: processSizeOf(job.current),
      taskManagers: unit.job.taskManagers,
      slotsPerTaskManager: job.slotsPerTaskManager,
      memory: currentShare[i]!,
    },
    recommended: {
      pools: shape.pools,
      processSize: shape.processSize,
      taskManagers: shape.taskManagers,
      slotsPerTaskManager: shape.slotsPerTaskManager,
      memory: recommendedShare[i]!,
      flinkConfig,
      ...(shape.slotSharingGroups && { slotSharingGroups: shape.slotSharingGroups }),
    },
    belowP95: shape.shortfalls,
    candidates: unit.shapes.length,
    ...(unit.sessionCluster !== undefined && { sessionCluster: unit.sessionCluster }),
  }));
}

function sessionPlan(input: OptimizerInput, unit: PlanUnit, shape: Shape, currentMemory: number): SessionClusterPlan {
  const processSize = processSizeOf(unit.job.current);
  return {
    name: unit.sessionCluster!,
    jobs: unit.jobs.map((j) => input.jobs[j]!.id),
    change: shape.change,
    current: { taskManagers: unit.job.taskManagers, processSize, memory: currentMemory },
    recommended: { taskManagers: shape.taskManagers, processSize: shape.processSize, memory: shape.memory },
  };
}

/**
 * Every job's cheapest shape when the budgets do not bind (exact, and HiGHS's wasm runtime is not
 * even loaded); else HiGHS started from the greedy answer, or the greedy answer alone if HiGHS
 * fails or does worse.
 */
async function choose(problem: ChoiceProblem, options: OptimizeOptions): Promise<{ picks: Picks; solver: SolverReport }> {
  const started = performance.now();
  const independent = solveIndependent(problem);
  if (independent) {
    const nothingToChoose = problem.jobs.every((job) => job.cost.length === 1);
    const named = nothingToChoose ? ({ solver: 'none', status: 'optimal' } as const) : ({ solver: 'independent', status: 'optimal (budgets not binding)' } as const);
    const seconds = (performance.now() - started) / 1000;
    return { picks: independent, solver: { ...named, gap: 0, objective: objectiveOf(problem, independent), seconds, variables: 0, rows: 0 } };
  }
  const greedy = solveGreedy(problem);
  if (!greedy) throw new Error('internal: the smallest shapes do not fit the relaxed budgets');
  const { solveMilp } = await import('./milp.ts');
  const milp = await solveMilp(problem, { mipRelGap: options.mipRelGap, timeLimitSeconds: options.timeLimitSeconds, start: greedy });
  const seconds = (performance.now() - started) / 1000;
  const size = { variables: milp.variables, rows: milp.rows };
  if (milp.picks && fitsBudgets(problem, milp.picks) && objectiveOf(problem, milp.picks) <= objectiveOf(problem, greedy)) {
    return { picks: milp.picks, solver: { solver: 'highs', status: milp.status, gap: milp.gap, objective: objectiveOf(problem, milp.picks), seconds, ...size } };
  }
  return { picks: greedy, solver: { solver: 'greedy', status: `highs: ${milp.status}`, objective: objectiveOf(problem, greedy), seconds, ...size } };
}
