import * as highsNamespace from 'highs';
import type { Highs } from 'highs';
import type { ChoiceProblem, Picks } from './choice-problem.ts';

// highs ships one CommonJS-flavoured .d.ts, so under NodeNext its default export does not type-check
// (see docs/dependencies-measured.md section 4): take the loader from the namespace instead.
const highsLoader = ((highsNamespace as { default?: unknown }).default ?? highsNamespace) as () => Promise<Highs>;

let runtime: Promise<Highs> | undefined;
/** The HiGHS wasm runtime, loaded once per process (about 50-100 ms). */
export function loadHighs(): Promise<Highs> {
  runtime ??= highsLoader();
  return runtime;
}

export interface MilpOptions {
  mipRelGap: number;
  timeLimitSeconds: number;
  /** A feasible choice to start from (the greedy answer), so HiGHS always holds an incumbent. */
  start?: Picks;
}

export interface MilpResult {
  /** Undefined when HiGHS ended without a feasible solution. */
  picks?: Picks;
  status: string;
  gap?: number;
  seconds: number;
  variables: number;
  rows: number;
}

const MiB = 1024 * 1024;

/**
 * Solves a ChoiceProblem exactly (to the given gap) with HiGHS: one binary per (job, option),
 * "pick exactly one" per job, one row per budget, costs precomputed into the objective (the "pre"
 * form, far tighter than slack variables). Jobs with a single option are folded into the budgets.
 * Memory and cost enter in MiB so that coefficients stay small.
 */
export async function solveMilp(problem: ChoiceProblem, options: MilpOptions): Promise<MilpResult> {
  const highs = await loadHighs();
  const started = performance.now();
  const columnOf: number[] = []; // first column of each job, -1 when fixed
  let numCols = 0;
  for (const job of problem.jobs) {
    columnOf.push(job.cost.length > 1 ? numCols : -1);
    if (job.cost.length > 1) numCols += job.cost.length;
  }
  const free = problem.jobs.flatMap((_, j) => (columnOf[j]! >= 0 ? [j] : []));
  const budgets = problem.budgets.map((b) => {
    const fixed = b.members.filter((j) => columnOf[j]! < 0).reduce((sum, j) => sum + problem.jobs[j]!.memory[0]!, 0);
    return { capacity: b.capacity - fixed, members: b.members.filter((j) => columnOf[j]! >= 0) };
  });
  const rows = budgets.filter((b) => b.members.length > 0);
  if (numCols === 0) return { picks: problem.jobs.map(() => 0), status: 'optimal', gap: 0, seconds: 0, variables: 0, rows: 0 };

  const colCost = new Float64Array(numCols);
  free.forEach((j) => problem.jobs[j]!.cost.forEach((c, k) => (colCost[columnOf[j]! + k] = c / MiB)));
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  for (const j of free) {
    problem.jobs[j]!.cost.forEach((_, k) => {
      indices.push(columnOf[j]! + k);
      values.push(1);
    });
    starts.push(indices.length);
    rowLower.push(1);
    rowUpper.push(1);
  }
  for (const b of rows) {
    for (const j of [...b.members].sort((x, y) => x - y)) {
      problem.jobs[j]!.memory.forEach((m, k) => {
        indices.push(columnOf[j]! + k);
        values.push(m / MiB);
      });
    }
    starts.push(indices.length);
    rowLower.push(-highs.infinity);
    rowUpper.push(b.capacity / MiB);
  }
  const numRows = rowLower.length;

  const model = highs.createModel({
    numCols,
    numRows,
    colCost,
    colLower: new Float64Array(numCols),
    colUpper: new Float64Array(numCols).fill(1),
    rowLower,
    rowUpper,
    matrix: { format: 'csr', numRows, numCols, starts, indices, values },
    integrality: new Int32Array(numCols).fill(highs.constants.variableType.integer),
  });
  try {
    model.options.set({
      output_flag: false,
      mip_rel_gap: options.mipRelGap,
      time_limit: options.timeLimitSeconds,
    });
    if (options.start) {
      const colValue = new Float64Array(numCols);
      for (const j of free) colValue[columnOf[j]! + options.start[j]!] = 1;
      model.setSolution({ colValue });
    }
    const run = model.run();
    const status = statusName(highs, run.modelStatus);
    const base = { status, seconds: (performance.now() - started) / 1000, variables: numCols, rows: numRows };
    if (model.info.get('primal_solution_status') !== highs.constants.solutionStatus.feasible) return base;
    const x = model.getSolution().colValue;
    const picks = problem.jobs.map((job, j) => {
      if (columnOf[j]! < 0) return 0;
      let best = 0;
      for (let k = 1; k < job.cost.length; k++) if (x[columnOf[j]! + k]! > x[columnOf[j]! + best]!) best = k;
      return best;
    });
    return { ...base, picks, gap: Number(model.info.get('mip_gap')) };
  } finally {
    model.dispose();
  }
}

function statusName(highs: Highs, code: number): string {
  const entry = Object.entries(highs.constants.modelStatus).find(([, value]) => value === code);
  return entry ? entry[0] : `status ${code}`;
}
