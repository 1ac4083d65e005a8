import { loadFactor, stateBytes } from './load.ts';
import type { ClusterSpec, Connector, JobSpec, VertexSpec } from './types.ts';

const MiB = 1 << 20;

/**
 * Calibration of the memory mechanics (simulator/README.md explains each number). Sizes are what
 * a live JVM holds, not what Flink reserves.
 */
export const CALIBRATION = {
  /** Runtime objects of the TaskManager itself (RPC, metric registry, task slots table). */
  frameworkLive: 64 * MiB,
  frameworkLivePerSlot: 8 * MiB,
  /** Deserialized records sit on the heap this long on average (mailbox, operator chains, buffers). */
  inFlightSeconds: 0.25,
  /** Java objects take this many times their serialized bytes. */
  objectOverhead: 3,
  /** HashMapStateBackend keeps state as objects: bytes on heap per serialized byte. */
  hashmapOverhead: 3,
  /** Heap a RocksDB-backed stateful subtask still needs (serializers, JNI buffers, timers). */
  rocksdbHeapPerSubtask: 12 * MiB,
  /** Active plus immutable memtables of one stateful subtask, charged to managed memory. */
  memtablesPerSubtask: 32 * MiB,
  /** Bytes allocated (and soon garbage) per byte of record processed. */
  allocationPerByte: 8,
  baselineAllocationPerSecond: 4 * MiB,
  /** Metaspace of the JVM and the Flink runtime, before any job class is loaded. */
  metaspaceBase: 80 * MiB,
  /** Netty arenas and other framework direct buffers. */
  frameworkDirect: 24 * MiB,
  frameworkDirectPerSlot: 2 * MiB,
  /** A heap OutOfMemoryError happens when the live set passes this share of -Xmx. */
  oomHeapShare: 0.97,
} as const;

/** Client buffers a connector keeps on the heap, per subtask using it. */
export const CONNECTOR_HEAP: Record<Connector, number> = {
  kafka: 32 * MiB, // producer buffer.memory default / consumer fetch buffers
  elasticsearch: 16 * MiB,
  jdbc: 8 * MiB,
  filesystem: 64 * MiB, // Parquet row-group buffers of open part files
  'mysql-cdc': 48 * MiB,
  avro: 0,
  protobuf: 0,
};

/** Metaspace a connector's classes take, per job classloader that loads it. */
export const CONNECTOR_METASPACE: Record<Connector, number> = {
  kafka: 20 * MiB,
  elasticsearch: 34 * MiB,
  jdbc: 8 * MiB,
  filesystem: 48 * MiB,
  'mysql-cdc': 30 * MiB,
  avro: 7 * MiB,
  protobuf: 9 * MiB,
};

/** Direct memory a connector allocates outside the network pool, per subtask. */
export const CONNECTOR_DIRECT: Partial<Record<Connector, number>> = {
  filesystem: 16 * MiB, // S3A upload buffers
  'mysql-cdc': 8 * MiB,
};

/** One subtask placed in a slot of a TaskManager. */
export interface Placement {
  job: JobSpec;
  vertex: VertexSpec;
  subtask: number;
  slot: number;
}

/** What one subtask holds at a moment. */
export interface SubtaskState {
  recordsInPerSecond: number;
  bytesInPerSecond: number;
  heapLive: number;
  /** Keyed state of this subtask, serialized bytes. */
  stateBytes: number;
  /** Part of the state read often enough to need the block cache (RocksDB only). */
  workingSet: number;
  allocationPerSecond: number;
}

/** `load` is the job's `loadFactor` at t, computed once per job by the caller. */
export function subtaskState(load: number, p: Placement, t: number, windowFill?: number): SubtaskState {
  const { job, vertex, subtask } = p;
  const weight = vertex.subtaskWeights[subtask] ?? 0;
  const recordsIn = job.load.baseRate * load * vertex.rateFactor * weight;
  const bytesIn = recordsIn * job.load.recordBytes;
  let heapLive = bytesIn * CALIBRATION.objectOverhead * CALIBRATION.inFlightSeconds;
  if (vertex.connector) heapLive += CONNECTOR_HEAP[vertex.connector];
  let state = 0;
  if (vertex.windowSeconds) {
    // Window contents grow until the window fires, then drop: a sawtooth with the window's period.
    const fill = windowFill ?? (t % (vertex.windowSeconds * 1000)) / (vertex.windowSeconds * 1000);
    const perWindow = vertex.windowKeepsElements ? bytesIn * vertex.windowSeconds : Math.min(bytesIn * vertex.windowSeconds, stateBytes(job.state, job.startTime, t) * weight * 0.05);
    state = perWindow * (0.2 + 0.8 * fill) + stateBytes(job.state, job.startTime, t) * vertex.stateShare * weight * 0.1;
  } else if (vertex.stateShare > 0) {
    state = stateBytes(job.state, job.startTime, t) * vertex.stateShare * weight;
  }
  let workingSet = 0;
  if (state > 0) {
    if (job.stateBackend === 'hashmap') heapLive += state * CALIBRATION.hashmapOverhead;
    else {
      heapLive += CALIBRATION.rocksdbHeapPerSubtask;
      workingSet = state * job.state.hotFraction;
    }
  }
  return {
    recordsInPerSecond: recordsIn,
    bytesInPerSecond: bytesIn,
    heapLive,
    stateBytes: state,
    workingSet,
    allocationPerSecond: bytesIn * CALIBRATION.allocationPerByte,
  };
}

/** A TaskManager's (or one job's share of it) demand and use at a moment, bytes. */
export interface TaskManagerState {
  heapLive: number;
  allocationPerSecond: number;
  /** Managed memory RocksDB reserves (whole slot shares of the slots it runs in). */
  managedUsed: number;
  /** Managed memory needed so every slot's working set and memtables fit (slot share x slots). */
  managedNeed: number;
  /** Block cache hit ratio across the TaskManager's RocksDB subtasks (NaN without RocksDB). */
  hitRatio: number;
  blockCacheUsage: number;
  metaspaceClasses: number;
  directOther: number;
  subtasks: SubtaskState[];
}

export function taskManagerState(
  seed: number,
  cluster: ClusterSpec,
  placements: readonly Placement[],
  jobKeys: ReadonlyMap<string, number>,
  t: number,
  restartsOf: (job: JobSpec) => number,
): TaskManagerState {
  const slots = cluster.slotsPerTm;
  const slotManaged = Math.floor(cluster.memory.managed / slots);
  const perSlotWorkingSet = new Map<number, number>();
  const perSlotMemtables = new Map<number, number>();
  const rocksSlots = new Set<number>();
  const jobs = new Map<string, JobSpec>();
  let heapLive = CALIBRATION.frameworkLive + CALIBRATION.frameworkLivePerSlot * slots;
  let allocation = CALIBRATION.baselineAllocationPerSecond;
  let directOther = CALIBRATION.frameworkDirect + CALIBRATION.frameworkDirectPerSlot * slots;
  const subtasks: SubtaskState[] = [];
  const loads = new Map<string, number>();
  for (const p of placements) {
    let load = loads.get(p.job.id);
    if (load === undefined) {
      load = loadFactor(p.job.load, seed, jobKeys.get(p.job.id) ?? 0, t);
      loads.set(p.job.id, load);
    }
    const s = subtaskState(load, p, t);
    subtasks.push(s);
    jobs.set(p.job.id, p.job);
    heapLive += s.heapLive;
    allocation += s.allocationPerSecond;
    if (p.vertex.connector) directOther += CONNECTOR_DIRECT[p.vertex.connector] ?? 0;
    if (p.job.stateBackend === 'rocksdb' && p.vertex.stateName) {
      rocksSlots.add(p.slot);
      perSlotWorkingSet.set(p.slot, (perSlotWorkingSet.get(p.slot) ?? 0) + s.workingSet);
      perSlotMemtables.set(p.slot, (perSlotMemtables.get(p.slot) ?? 0) + CALIBRATION.memtablesPerSubtask);
    }
  }
  const metaspace = metaspaceClasses(jobs.values(), restartsOf);
  let worstSlotNeed = 0;
  let hits = 0;
  let weight = 0;
  let cacheUsage = 0;
  for (const slot of rocksSlots) {
    const ws = perSlotWorkingSet.get(slot) ?? 0;
    // The write buffer manager caps memtables at write-buffer-ratio (0.5) of the slot's budget.
    const memtables = Math.min(perSlotMemtables.get(slot) ?? 0, slotManaged * 0.5);
    worstSlotNeed = Math.max(worstSlotNeed, ws + (perSlotMemtables.get(slot) ?? 0));
    const room = Math.max(0, slotManaged - memtables);
    hits += ws * hitRatio(room, ws);
    weight += ws;
    cacheUsage += Math.min(room, ws) + memtables;
  }
  return {
    heapLive,
    allocationPerSecond: allocation,
    managedUsed: rocksSlots.size * slotManaged,
    managedNeed: worstSlotNeed * slots,
    hitRatio: rocksSlots.size === 0 ? Number.NaN : weight > 0 ? hits / weight : 0.99,
    blockCacheUsage: cacheUsage,
    metaspaceClasses: metaspace,
    directOther,
    subtasks,
  };
}

/** Metaspace of a JVM running these jobs' classloaders: the runtime, each jar and its connectors, and leaked loaders. */
export function metaspaceClasses(jobs: Iterable<JobSpec>, restartsOf: (job: JobSpec) => number): number {
  let metaspace = CALIBRATION.metaspaceBase;
  for (const job of jobs) {
    metaspace += job.userCodeMetaspace + job.connectors.reduce((sum, c) => sum + CONNECTOR_METASPACE[c], 0);
    if (job.metaspaceLeakPerRestart > 0) metaspace += job.metaspaceLeakPerRestart * restartsOf(job);
  }
  return metaspace;
}

/** What the GC model and the OOM check need of a TaskManager: its heap live set and allocation rate. */
export interface HeapDemand {
  live: number;
  allocationPerSecond: number;
}

/**
 * The heap part of `taskManagerState` without building per-subtask state (the hot path of GC
 * integration and OOM probes). `loadOf` gives each job's load factor; placements of one job are
 * contiguous, so it is asked once per job. `windowFill` pins window contents (1 = about to fire).
 */
export function heapDemand(slotsPerTm: number, placements: readonly Placement[], t: number, loadOf: (job: JobSpec) => number, windowFill?: number): HeapDemand {
  let live = CALIBRATION.frameworkLive + CALIBRATION.frameworkLivePerSlot * slotsPerTm;
  let allocation = CALIBRATION.baselineAllocationPerSecond;
  let job: JobSpec | undefined;
  let load = 0;
  for (const p of placements) {
    if (p.job !== job) {
      job = p.job;
      load = loadOf(job);
    }
    const s = subtaskState(load, p, t, windowFill);
    live += s.heapLive;
    allocation += s.allocationPerSecond;
  }
  return { live, allocationPerSecond: allocation };
}

/**
 * Block cache hit ratio for a cache of `room` bytes over a working set of `ws` bytes: accesses
 * follow the hot set, so misses fall off exponentially as the cache covers more of it.
 */
export function hitRatio(room: number, ws: number): number {
  if (ws <= 0) return 0.99;
  return 0.99 * (1 - Math.exp((-2.5 * room) / ws));
}
