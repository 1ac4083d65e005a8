import {
  DEMAND_POOLS,
  POOL_NAMES,
  type DemandPool,
  type Layout,
  type OptimizeOptions,
  type OptimizerJob,
  type PoolBytes,
  type PoolDemand,
  type PoolShortfall,
  type Shape,
} from './types.ts';

/**
 * Candidate TaskManager shapes for one job: every pool a whole number of units, no demand pool
 * below its observed peak, network at least the topology's need, managed 0 where nothing uses it.
 * Overhead follows Flink's default rule (a fraction of the process, clamped) rounded up to a unit;
 * the exported config pins it, so any value re-derives exactly.
 */

export function roundUp(bytes: number, unit: number): number {
  return Math.ceil(bytes / unit) * unit;
}

/** Sizes to try for one pool: the observed peak, p50 and p95, and evenly spaced steps in between. */
export function poolLevels(demand: PoolDemand, unit: number, steps: number): number[] {
  const floor = demand.observedPeak;
  const targets = [floor, demand.p50, demand.p95];
  for (let i = 1; i <= steps; i++) targets.push(floor + ((demand.p95 - floor) * i) / (steps + 1));
  const levels = new Set(targets.filter((t) => t >= floor).map((t) => roundUp(t, unit)));
  return [...levels].sort((a, b) => a - b);
}

export function overheadFor(flinkAndMetaspace: number, options: OptimizeOptions): number {
  const { fraction, min, max } = options.overhead;
  const byFraction = Math.ceil((flinkAndMetaspace * fraction) / (1 - fraction));
  return roundUp(Math.min(max, Math.max(min, byFraction)), options.unitBytes);
}

export function processSizeOf(pools: PoolBytes): number {
  return POOL_NAMES.reduce((sum, name) => sum + pools[name], 0);
}

/** Demand pools below their p95 (managed counts only where something uses it). */
export function shortfalls(pools: PoolBytes, layout: Layout, usesManaged: boolean): PoolShortfall[] {
  return belowP95(DEMAND_POOLS.filter((pool) => pool !== 'managed' || usesManaged), pools, layout.demand);
}

/** Bytes below p95 in all, summed over the shortfalls. */
export function totalShortBy(short: readonly PoolShortfall[]): number {
  return short.reduce((sum, s) => sum + s.shortBy, 0);
}

/** Which of `counted` are sized below their p95, and by how much (per slot when a group is named). */
export function belowP95<P extends DemandPool>(
  counted: readonly P[],
  sizes: Record<P, number>,
  demand: Record<P, { p95: number }>,
  slotSharingGroup?: string,
): PoolShortfall[] {
  return counted
    .filter((pool) => sizes[pool] < demand[pool].p95)
    .map((pool) => ({ pool, ...(slotSharingGroup === undefined ? {} : { slotSharingGroup }), p95: demand[pool].p95, size: sizes[pool], shortBy: demand[pool].p95 - sizes[pool] }));
}

/** True when the pools hold everything already observed and the topology's network need. */
export function isSafe(pools: PoolBytes, layout: Layout, usesManaged: boolean): boolean {
  return (
    pools.network >= layout.networkNeed &&
    DEMAND_POOLS.every((pool) => (pool === 'managed' && !usesManaged) || pools[pool] >= layout.demand[pool].observedPeak)
  );
}

function shape(
  job: OptimizerJob,
  pools: PoolBytes,
  layout: Layout,
  taskManagers: number,
  change: boolean,
  options: OptimizeOptions,
): Shape {
  const processSize = processSizeOf(pools);
  const memory = taskManagers * processSize;
  const short = shortfalls(pools, layout, job.usesManaged);
  const riskCost = options.riskWeight * taskManagers * totalShortBy(short);
  return {
    pools,
    processSize,
    slotsPerTaskManager: layout.slotsPerTaskManager,
    taskManagers,
    memory,
    shortfalls: short,
    riskCost,
    change,
    cost: memory + riskCost + (change ? options.changeCost : 0),
  };
}

function layoutShapes(job: OptimizerJob, layout: Layout, options: OptimizeOptions): Shape[] {
  const unit = options.unitBytes;
  const levels = (pool: keyof Layout['demand']) => poolLevels(layout.demand[pool], unit, options.levelSteps);
  const taskManagers = Math.ceil(job.parallelism / layout.slotsPerTaskManager);
  const fixed = {
    frameworkHeap: roundUp(job.current.frameworkHeap, unit),
    frameworkOffHeap: roundUp(job.current.frameworkOffHeap, unit),
    network: roundUp(Math.max(layout.networkNeed, 1), unit),
  };
  const shapes: Shape[] = [];
  for (const taskHeap of levels('taskHeap'))
    for (const managed of job.usesManaged ? levels('managed') : [0])
      for (const metaspace of levels('metaspace'))
        for (const taskOffHeap of levels('taskOffHeap')) {
          const flink = fixed.frameworkHeap + fixed.frameworkOffHeap + fixed.network + taskHeap + managed + taskOffHeap;
          const pools: PoolBytes = {
            frameworkHeap: fixed.frameworkHeap,
            taskHeap,
            frameworkOffHeap: fixed.frameworkOffHeap,
            taskOffHeap,
            managed,
            network: fixed.network,
            metaspace,
            overhead: overheadFor(flink + metaspace, options),
          };
          shapes.push(shape(job, pools, layout, taskManagers, true, options));
        }
  return shapes;
}

/** The job's current layout as a Layout value. */
function currentLayout(job: OptimizerJob): Layout {
  return { slotsPerTaskManager: job.slotsPerTaskManager, demand: job.demand, networkNeed: job.networkNeed };
}

/**
 * Drops every shape another shape beats on both memory and cost (ties keep the first), so the
 * result is sorted by memory ascending with cost strictly descending. Exact for any set of
 * budgets, because a job adds the same memory to every budget it counts against.
 */
export function paretoFront(shapes: Shape[]): Shape[] {
  const sorted = [...shapes].sort((a, b) => a.memory - b.memory || a.cost - b.cost);
  const front: Shape[] = [];
  for (const s of sorted) if (front.length === 0 || s.cost < front[front.length - 1]!.cost) front.push(s);
  return front;
}

/**
 * Every shape worth considering for a job: new shapes over all its layouts, and its current
 * shape when that is still safe (keeping it costs no restart). Empty only if no layout can be
 * made safe, which cannot happen since levels start at the observed peak.
 */
export function candidateShapes(job: OptimizerJob, options: OptimizeOptions): Shape[] {
  const current = currentLayout(job);
  const shapes = [current, ...job.alternativeLayouts].flatMap((layout) => layoutShapes(job, layout, options));
  if (isSafe(job.current, current, job.usesManaged)) {
    shapes.push(shape(job, job.current, current, job.taskManagers, false, options));
  }
  return paretoFront(shapes);
}
