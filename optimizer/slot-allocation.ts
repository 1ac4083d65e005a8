/**
 * How Flink's fine-grained slot manager places a job's slots on new TaskManagers, reproduced so
 * that a plan's TaskManager count is the one Flink will actually start. This follows
 * `DefaultResourceAllocationStrategy.tryFulfillRequirementsForJobWithPendingResources` (1.18+):
 * requirements are taken one profile at a time; each first fills any pending TaskManager with room
 * (first fit), then starts new TaskManagers of the configured total and packs them greedily.
 * Slot profiles of slot-sharing groups carry no network memory (the scheduler builds them with
 * `ResourceProfile.fromResourceSpec(spec, MemorySize.ZERO)`), so network is not a packing dimension.
 */

/** The dimensions `ResourceProfile.allFieldsNoLessThan` compares, CPU in thousandths of a core. */
export interface SlotResources {
  cpuMillis: number;
  taskHeap: number;
  taskOffHeap: number;
  managed: number;
}
const DIMENSIONS = ['cpuMillis', 'taskHeap', 'taskOffHeap', 'managed'] as const;

export interface SlotRequirement {
  profile: SlotResources;
  slots: number;
}

function fits(profile: SlotResources, room: SlotResources): boolean {
  return DIMENSIONS.every((d) => profile[d] <= room[d]);
}

function take(room: SlotResources, profile: SlotResources): void {
  for (const d of DIMENSIONS) room[d] -= profile[d];
}

/**
 * The slots of each requirement on each TaskManager Flink starts, handling the requirements in
 * `order`; undefined when some profile does not fit an empty TaskManager (Flink then fails the job).
 */
export function packInOrder(requirements: readonly SlotRequirement[], order: readonly number[], total: SlotResources): number[][] | undefined {
  if (requirements.some((r) => !fits(r.profile, total))) return undefined;
  const rooms: SlotResources[] = [];
  const counts: number[][] = [];
  for (const r of order) {
    const { profile } = requirements[r]!;
    let left = requirements[r]!.slots;
    for (let tm = 0; tm < rooms.length && left > 0; tm++) {
      while (left > 0 && fits(profile, rooms[tm]!)) {
        take(rooms[tm]!, profile);
        counts[tm]![r]!++;
        left--;
      }
    }
    while (left > 0) {
      rooms.push({ ...total });
      counts.push(requirements.map(() => 0));
      const tm = rooms.length - 1;
      while (left > 0 && fits(profile, rooms[tm]!)) {
        take(rooms[tm]!, profile);
        counts[tm]![r]!++;
        left--;
      }
    }
  }
  return counts;
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}
const permutationCache = new Map<number, number[][]>();

export interface Packing {
  /** TaskManagers Flink starts in the worst order it may take the requirements in. */
  taskManagers: number;
  /** Every distinct per-TaskManager slot count vector, over every order (to bound per-TaskManager needs). */
  loads: number[][];
}

/**
 * Packs in every order of the requirements (Flink walks them in hash-map order, which the user
 * does not control) and keeps the worst case, so the count holds whatever the order.
 */
export function packWorstCase(requirements: readonly SlotRequirement[], total: SlotResources): Packing | undefined {
  let orders = permutationCache.get(requirements.length);
  if (!orders) permutationCache.set(requirements.length, (orders = permutations(requirements.length)));
  let taskManagers = 0;
  const loads = new Map<string, number[]>();
  for (const order of orders) {
    const counts = packInOrder(requirements, order, total);
    if (!counts) return undefined;
    taskManagers = Math.max(taskManagers, counts.length);
    for (const load of counts) loads.set(load.join(), load);
  }
  return { taskManagers, loads: [...loads.values()] };
}
