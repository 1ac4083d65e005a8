import { belowP95, overheadFor, poolLevels, processSizeOf, roundUp, totalShortBy } from './candidates.ts';
import { packWorstCase, type SlotRequirement, type SlotResources } from './slot-allocation.ts';
import {
  SLOT_POOLS,
  type OptimizeOptions,
  type OptimizerJob,
  type PoolBytes,
  type PoolDemand,
  type Shape,
  type SlotProfile,
  type SlotSharingGroupDemand,
  type SlotSharingGroupPlan,
} from './types.ts';

/**
 * Candidate shapes for a job run with fine-grained resource management: one slot profile per
 * slot-sharing group, and a TaskManager whose task heap, task off-heap, managed memory and CPU are
 * the sum of a chosen mix of those slots (`perTaskManager` of each group). Flink starts identical
 * TaskManagers and carves slots out of them first-fit, so the TaskManager count is what that
 * packing needs in its worst requirement order (slot-allocation.ts), and network covers the most
 * buffers any packed TaskManager needs. Profiles move all three pools of a group together from
 * the observed peak towards p95 (one quantile level per group), which keeps the count of
 * combinations small enough to enumerate.
 */

const MiB = 1024 * 1024;

/** A group's profiles, from the observed peak (never less) to p95, each pool a whole number of units. */
export function slotProfiles(group: SlotSharingGroupDemand, usesManaged: boolean, options: OptimizeOptions): SlotProfile[] {
  const unit = options.unitBytes;
  const targets = (d: PoolDemand) => {
    const steps = Array.from({ length: options.levelSteps }, (_, i) => d.observedPeak + ((d.p95 - d.observedPeak) * (i + 1)) / (options.levelSteps + 1));
    return [d.observedPeak, d.p50, ...steps, d.p95].map((t) => roundUp(Math.max(t, d.observedPeak), unit));
  };
  const heap = targets(group.demand.taskHeap).map((b) => Math.max(b, unit)); // the builder rejects 0
  const offHeap = targets(group.demand.taskOffHeap);
  const managed = targets(group.demand.managed).map((b) => (usesManaged ? b : 0));
  const profiles = new Map<string, SlotProfile>();
  heap.forEach((taskHeap, i) => {
    const p = { taskHeap, taskOffHeap: offHeap[i]!, managed: managed[i]! };
    profiles.set(`${p.taskHeap},${p.taskOffHeap},${p.managed}`, p);
  });
  return [...profiles.values()];
}

const cpuMillis = (cores: number) => Math.round(cores * 1000);

/** Every mix of slots per TaskManager: each group 0..its slots, 1..max slots in all. */
export function slotMixes(groups: readonly SlotSharingGroupDemand[], maxSlots: number): number[][] {
  const mixes: number[][] = [];
  const visit = (g: number, mix: number[], used: number) => {
    if (g === groups.length) {
      if (used > 0) mixes.push([...mix]);
      return;
    }
    for (let n = 0; n <= Math.min(groups[g]!.slots, maxSlots - used); n++) visit(g + 1, [...mix, n], used + n);
  };
  visit(0, [], 0);
  return mixes;
}

/** The Java builder call that declares a profile (sizes in whole MiB where they are whole). */
function slotSharingGroupCode(name: string, cpuCores: number, profile: SlotProfile): string {
  const size = (setter: string, bytes: number) =>
    bytes % MiB === 0 ? `.set${setter}MB(${bytes / MiB})` : `.set${setter}(MemorySize.parse("${bytes}b"))`;
  const cores = Number.isInteger(cpuCores) ? cpuCores.toFixed(1) : String(cpuCores);
  return (
    `SlotSharingGroup.newBuilder(${JSON.stringify(name)}).setCpuCores(${cores})` +
    `${size('TaskHeapMemory', profile.taskHeap)}${size('TaskOffHeapMemory', profile.taskOffHeap)}${size('ManagedMemory', profile.managed)}.build()`
  );
}

function groupPlans(groups: readonly SlotSharingGroupDemand[], profiles: readonly SlotProfile[], mix?: readonly number[]): SlotSharingGroupPlan[] {
  return groups.map((g, i) => ({
    name: g.name,
    slots: g.slots,
    ...(mix && { perTaskManager: mix[i]! }),
    cpuCores: g.cpuCores,
    profile: profiles[i]!,
    code: slotSharingGroupCode(g.name, g.cpuCores, profiles[i]!),
  }));
}

function fineGrainedShape(
  job: OptimizerJob,
  pools: PoolBytes,
  taskManagers: number,
  groups: readonly SlotSharingGroupDemand[],
  profiles: readonly SlotProfile[],
  mix: readonly number[] | undefined,
  options: OptimizeOptions,
): Shape {
  const processSize = processSizeOf(pools);
  const memory = taskManagers * processSize;
  const slotShort = groups.map((g, i) => belowP95(SLOT_POOLS, profiles[i]!, g.demand, g.name));
  const metaspaceShort = belowP95(['metaspace'], pools, job.demand);
  const slotRisk = slotShort.reduce((sum, short, i) => sum + groups[i]!.slots * totalShortBy(short), 0);
  const riskCost = options.riskWeight * (slotRisk + taskManagers * totalShortBy(metaspaceShort));
  const change = mix !== undefined;
  return {
    pools,
    processSize,
    slotsPerTaskManager: mix ? mix.reduce((a, b) => a + b, 0) : job.slotsPerTaskManager,
    taskManagers,
    memory,
    shortfalls: [...slotShort.flat(), ...metaspaceShort],
    riskCost,
    change,
    cost: memory + riskCost + (change ? options.changeCost : 0),
    slotSharingGroups: groupPlans(groups, profiles, mix),
  };
}

/** The job's declared profiles and pools as they run now, when all are known and hold every observed peak. */
function currentShape(job: OptimizerJob, groups: readonly SlotSharingGroupDemand[], options: OptimizeOptions): Shape | undefined {
  const profiles = groups.map((g) => g.current);
  if (!profiles.every((p): p is SlotProfile => p !== undefined)) return undefined;
  const peaksHeld = groups.every((g, i) => SLOT_POOLS.every((pool) => profiles[i]![pool] >= g.demand[pool].observedPeak));
  const restHeld = job.current.metaspace >= job.demand.metaspace.observedPeak && job.current.network >= job.networkNeed;
  if (!peaksHeld || !restHeld) return undefined;
  return fineGrainedShape(job, job.current, job.taskManagers, groups, profiles, undefined, options);
}

/** Every candidate shape of a fine-grained job (not yet reduced to its Pareto front). */
export function fineGrainedShapes(job: OptimizerJob, options: OptimizeOptions): Shape[] {
  const groups = job.slotSharingGroups ?? [];
  const unit = options.unitBytes;
  const choices = groups.map((g) => slotProfiles(g, job.usesManaged, options));
  const mixes = slotMixes(groups, options.maxSlotsPerTaskManager);
  const metaspaceLevels = poolLevels(job.demand.metaspace, unit, options.levelSteps);
  const framework = { frameworkHeap: roundUp(job.current.frameworkHeap, unit), frameworkOffHeap: roundUp(job.current.frameworkOffHeap, unit) };
  const shapes: Shape[] = [];

  const visit = (g: number, profiles: SlotProfile[]) => {
    if (g < groups.length) {
      for (const p of choices[g]!) visit(g + 1, [...profiles, p]);
      return;
    }
    const requirements: SlotRequirement[] = groups.map((group, i) => ({
      slots: group.slots,
      profile: { cpuMillis: cpuMillis(group.cpuCores), ...profiles[i]! },
    }));
    for (const mix of mixes) {
      const total: SlotResources = { cpuMillis: 0, taskHeap: 0, taskOffHeap: 0, managed: 0 };
      requirements.forEach((r, i) => {
        total.cpuMillis += mix[i]! * r.profile.cpuMillis;
        total.taskHeap += mix[i]! * r.profile.taskHeap;
        total.taskOffHeap += mix[i]! * r.profile.taskOffHeap;
        total.managed += mix[i]! * r.profile.managed;
      });
      const packing = packWorstCase(requirements, total);
      if (!packing) continue;
      const packedNetwork = Math.max(...packing.loads.map((load) => load.reduce((s, n, i) => s + n * groups[i]!.networkNeedPerSlot, 0)));
      const network = roundUp(Math.max(job.networkNeed, packedNetwork, 1), unit);
      for (const metaspace of metaspaceLevels) {
        const flink = framework.frameworkHeap + framework.frameworkOffHeap + total.taskHeap + total.taskOffHeap + total.managed + network;
        const pools: PoolBytes = {
          ...framework,
          taskHeap: total.taskHeap,
          taskOffHeap: total.taskOffHeap,
          managed: total.managed,
          network,
          metaspace,
          overhead: overheadFor(flink + metaspace, options),
        };
        shapes.push(fineGrainedShape(job, pools, packing.taskManagers, groups, profiles, mix, options));
      }
    }
  };
  visit(0, []);
  const current = currentShape(job, groups, options);
  if (current) shapes.push(current);
  return shapes;
}

/** `taskmanager.cpu.cores` for a planned mix: the TaskManager must hold the CPU its slots declare. */
export function taskManagerCpuCores(shape: Shape): number | undefined {
  const groups = shape.slotSharingGroups;
  if (!groups || groups.some((g) => g.perTaskManager === undefined)) return undefined;
  return groups.reduce((sum, g) => sum + g.perTaskManager! * cpuMillis(g.cpuCores), 0) / 1000;
}
