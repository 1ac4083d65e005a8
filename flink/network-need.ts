/**
 * How much network memory a streaming job needs per TaskManager, from its topology. Two
 * answers: Flink's own minimum (what a TaskManager must hold or tasks fail with "Insufficient
 * number of network buffers"), and the Kubernetes operator's autotuning formula, which
 * baselines reproduce.
 */

export interface JobTopology {
  vertices: Array<{ id: string; parallelism: number; slotSharingGroup?: string }>;
  edges: Array<{ source: string; target: string; shipStrategy: string }>;
}

export interface NetworkSettings {
  /** `taskmanager.network.memory.buffers-per-channel` (2; fixed in 2.x). */
  readonly buffersPerChannel?: number;
  /** `taskmanager.network.memory.floating-buffers-per-gate` (8; fixed in 2.x). */
  readonly floatingBuffersPerGate?: number;
  /** `taskmanager.memory.segment-size` in bytes (32 KiB). */
  readonly segmentSize?: number;
  /** `taskmanager.numberOfTaskSlots` (1). */
  readonly slotsPerTaskManager?: number;
}

export interface NetworkNeed {
  readonly buffers: number;
  /** buffers × segment size. */
  readonly bytes: number;
}

export interface ExactNetworkNeed extends NetworkNeed {
  /** What Flink's pools would use if free: exclusive buffers plus the full floating pools (the "desirable" count). */
  readonly desirableBuffers: number;
  readonly desirableBytes: number;
}

type Pattern = 'forward' | 'pointwise' | 'all-to-all';

/** Flink connects FORWARD (equal parallelism) and RESCALE pointwise; every other ship strategy all-to-all. */
function pattern(shipStrategy: string, sourceParallelism: number, targetParallelism: number): Pattern {
  const ship = shipStrategy.trim().toUpperCase();
  if (ship === 'FORWARD' && sourceParallelism === targetParallelism) return 'forward';
  if (ship === 'FORWARD' || ship === 'RESCALE') return 'pointwise';
  return 'all-to-all';
}

/** Channels one subtask on `self`'s side has towards the `other` side of an edge. */
function channels(kind: Pattern, self: number, other: number): number {
  if (kind === 'forward') return 1;
  if (kind === 'pointwise') return Math.ceil(other / self);
  return other;
}

function settingsOf(s: NetworkSettings) {
  return {
    b: s.buffersPerChannel ?? 2,
    f: s.floatingBuffersPerGate ?? 8,
    segment: s.segmentSize ?? 32 * 1024,
    slots: s.slotsPerTaskManager ?? 1,
  };
}

function parallelismOf(topology: JobTopology): Map<string, number> {
  const byId = new Map(topology.vertices.map((v) => [v.id, v.parallelism]));
  for (const e of topology.edges) {
    if (!byId.has(e.source) || !byId.has(e.target)) {
      throw new Error(`Edge ${e.source} -> ${e.target} names a vertex the topology does not list`);
    }
  }
  return byId;
}

/** An input gate (spec 4.3, InputGateSpecUtils): B exclusive buffers per remote channel (local ones take none) and a floating pool of 1 to F. */
function inputGate(remoteChannels: number, b: number, f: number) {
  const exclusive = remoteChannels * b;
  return { exclusive, required: exclusive + 1, desirable: exclusive + f };
}

/** A pipelined-bounded result partition of S subpartitions (NettyShuffleUtils): min S + 1, max S·B + F. */
function resultPartition(subpartitions: number, b: number, f: number) {
  return { required: subpartitions + 1, desirable: subpartitions * b + f };
}

/**
 * Flink's minimum per TaskManager (spec 4.3; NettyShuffleUtils / InputGateSpecUtils, streaming,
 * pipelined-bounded partitions): per subtask, every input gate needs N·B + 1 buffers (exclusive
 * for N channels plus one floating), every output partition S + 1. A TaskManager with k slots
 * hosts at most min(k, p) subtasks of each vertex. Every channel is counted as remote, which is
 * Flink's worst case (local channels take no exclusive buffers) and the only safe assumption
 * before the scheduler has placed the subtasks (`placedNetworkNeed` counts a known placement);
 * slot sharing groups are not told apart, which over-counts only when a TaskManager cannot host
 * every group at once.
 */
export function exactNetworkNeed(topology: JobTopology, settings: NetworkSettings = {}): ExactNetworkNeed {
  const { b, f, segment, slots } = settingsOf(settings);
  const parallelism = parallelismOf(topology);
  let required = 0;
  let desirable = 0;
  for (const v of topology.vertices) {
    let perSubtaskRequired = 0;
    let perSubtaskDesirable = 0;
    for (const e of topology.edges) {
      const p = (id: string) => parallelism.get(id)!;
      if (e.target === v.id) {
        const gate = inputGate(channels(pattern(e.shipStrategy, p(e.source), v.parallelism), v.parallelism, p(e.source)), b, f);
        perSubtaskRequired += gate.required;
        perSubtaskDesirable += gate.desirable;
      }
      if (e.source === v.id) {
        const partition = resultPartition(channels(pattern(e.shipStrategy, v.parallelism, p(e.target)), v.parallelism, p(e.target)), b, f);
        perSubtaskRequired += partition.required;
        perSubtaskDesirable += partition.desirable;
      }
    }
    const subtasksPerTaskManager = Math.min(slots, v.parallelism);
    required += subtasksPerTaskManager * perSubtaskRequired;
    desirable += subtasksPerTaskManager * perSubtaskDesirable;
  }
  return { buffers: required, bytes: required * segment, desirableBuffers: desirable, desirableBytes: desirable * segment };
}

/** Whether subtask `subtask` of vertex `vertexId` runs on the TaskManager being sized. */
export type OnTaskManager = (vertexId: string, subtask: number) => boolean;

export interface PlacedNetworkNeed extends ExactNetworkNeed {
  /** Exclusive buffers of the remote input channels: taken from the pool when the tasks deploy. */
  readonly exclusiveBuffers: number;
}

/**
 * The subtasks (of `sources` parallelism) that target subtask `index` (of `targets`) reads on an
 * edge, as Flink connects them (EdgeManagerBuildUtil): a contiguous range [start, end).
 */
function upstreamRange(kind: Pattern, sources: number, targets: number, index: number): [number, number] {
  if (kind === 'forward') return [index, index + 1];
  if (kind === 'all-to-all') return [0, sources];
  // Pointwise: with more sources each target reads a block of them, with fewer each reads one.
  const start = Math.floor((index * sources) / targets);
  return [start, sources >= targets ? Math.floor(((index + 1) * sources) / targets) : start + 1];
}

/** How many target subtasks source subtask `index` writes to (its subpartitions), as Flink connects them. */
function downstreamCount(kind: Pattern, sources: number, targets: number, index: number): number {
  if (kind === 'forward') return 1;
  if (kind === 'all-to-all') return targets;
  if (sources > targets) return 1;
  return Math.ceil(((index + 1) * targets) / sources) - Math.ceil((index * targets) / sources);
}

/**
 * What the subtasks a TaskManager actually hosts need (same formulas as `exactNetworkNeed`), once
 * the placement is known: input channels from subtasks on the same TaskManager are local and take
 * no exclusive buffers, and pointwise edges connect exactly the subtasks Flink connects. A
 * TaskManager of a session cluster is the sum over the jobs it runs.
 */
export function placedNetworkNeed(topology: JobTopology, onTaskManager: OnTaskManager, settings: NetworkSettings = {}): PlacedNetworkNeed {
  const { b, f, segment } = settingsOf(settings);
  const parallelism = parallelismOf(topology);
  let exclusive = 0;
  let required = 0;
  let desirable = 0;
  for (const v of topology.vertices) {
    for (let i = 0; i < v.parallelism; i++) {
      if (!onTaskManager(v.id, i)) continue;
      for (const e of topology.edges) {
        if (e.target === v.id) {
          const sources = parallelism.get(e.source)!;
          const [start, end] = upstreamRange(pattern(e.shipStrategy, sources, v.parallelism), sources, v.parallelism, i);
          let remote = 0;
          for (let j = start; j < end; j++) if (!onTaskManager(e.source, j)) remote++;
          const gate = inputGate(remote, b, f);
          exclusive += gate.exclusive;
          required += gate.required;
          desirable += gate.desirable;
        }
        if (e.source === v.id) {
          const targets = parallelism.get(e.target)!;
          const partition = resultPartition(downstreamCount(pattern(e.shipStrategy, v.parallelism, targets), v.parallelism, targets, i), b, f);
          required += partition.required;
          desirable += partition.desirable;
        }
      }
    }
  }
  return { buffers: required, bytes: required * segment, desirableBuffers: desirable, desirableBytes: desirable * segment, exclusiveBuffers: exclusive };
}

/**
 * The Flink Kubernetes operator's network sizing (memory autotuning, operator-autotuning.md
 * a.3 step 1): per vertex, over its input and output edges, `bpc + fpg` for an unchanged
 * FORWARD, `ceil(other/self)·bpc + fpg` for FORWARD-with-rescale and RESCALE, else
 * `other·bpc + fpg`; summed, times segment size and slots per TaskManager, no overhead factor.
 */
export function operatorNetworkNeed(topology: JobTopology, settings: NetworkSettings = {}): NetworkNeed {
  const { b, f, segment, slots } = settingsOf(settings);
  const parallelism = parallelismOf(topology);
  const segments = (self: number, other: number, ship: string) => {
    const kind = ship.trim().toUpperCase();
    if (kind === 'FORWARD' && self === other) return b + f;
    if (kind === 'FORWARD' || kind === 'RESCALE') return Math.ceil(other / self) * b + f;
    return other * b + f;
  };
  let perSlot = 0;
  for (const v of topology.vertices) {
    for (const e of topology.edges) {
      if (e.target === v.id) perSlot += segments(v.parallelism, parallelism.get(e.source)!, e.shipStrategy);
      if (e.source === v.id) perSlot += segments(v.parallelism, parallelism.get(e.target)!, e.shipStrategy);
    }
  }
  const buffers = perSlot * slots;
  return { buffers, bytes: buffers * segment };
}
