/**
 * The simulated fleet as plain data: what the fleet generator decides once per seed. Everything
 * that changes over time (load, heap, GC, restarts) is computed from this and a timestamp.
 */
import type { FleetBudget } from '../collector/fleet-file.ts';

export type StateBackendKind = 'hashmap' | 'rocksdb';
export type ShipStrategy = 'FORWARD' | 'REBALANCE' | 'HASH' | 'BROADCAST';
export type VertexKind = 'source' | 'transform' | 'keyed-window' | 'keyed-process' | 'join' | 'sink';
/** How the generator sized the job's TaskManagers against its own demand. */
export type Provisioning = 'generous' | 'normal' | 'tight' | 'oom';
export type Connector = 'kafka' | 'elasticsearch' | 'jdbc' | 'filesystem' | 'mysql-cdc' | 'avro' | 'protobuf';
/** The memory pools the ground truth reports, per TaskManager of the job. */
export type Pool = 'heap' | 'managed' | 'metaspace' | 'direct' | 'network';
export const POOLS: readonly Pool[] = ['heap', 'managed', 'metaspace', 'direct', 'network'];

export interface VertexInput {
  vertexId: string;
  ship: ShipStrategy;
}

export interface VertexSpec {
  id: string;
  /** Flink's chained name, e.g. "Source: orders -> Filter -> Map". */
  name: string;
  kind: VertexKind;
  parallelism: number;
  maxParallelism: number;
  inputs: VertexInput[];
  /** Records this vertex receives per record the job's sources read. */
  rateFactor: number;
  /** Connectors whose client buffers live in this vertex's heap. */
  connector?: Connector;
  /** Window length for keyed windows (their contents live in state). */
  windowSeconds?: number;
  /** A ProcessWindowFunction keeps every element until the window fires; aggregates keep one accumulator per key. */
  windowKeepsElements?: boolean;
  /** Keyed state name (RocksDB column family), for stateful vertices. */
  stateName?: string;
  /** Share of the job's keyed state held by this vertex (0 for stateless vertices). */
  stateShare: number;
  /** Per-subtask share of this vertex's records (sums to 1); skewed behind HASH edges. */
  subtaskWeights: number[];
}

export interface LoadProfile {
  /** Records per second the sources read at the weekly mean. */
  baseRate: number;
  recordBytes: number;
  /** Relative amplitude of the day cycle and the weekend dip. */
  diurnalAmplitude: number;
  weekendDip: number;
  /** Hour of day (UTC) of the daily peak. */
  peakHour: number;
  /** Relative size of the per-10-minute random wobble. */
  noise: number;
}

export interface StateProfile {
  /** Keyed state at job start, bytes (serialized size, as checkpoints see it). */
  initialBytes: number;
  /** Relative growth per day (0.02 = 2%/day). */
  growthPerDay: number;
  /** Share of the state read often enough to need the block cache (RocksDB). */
  hotFraction: number;
}

export interface JobSpec {
  id: string;
  name: string;
  cluster: string;
  parallelism: number;
  maxParallelism: number;
  vertices: VertexSpec[];
  stateBackend: StateBackendKind;
  /** RocksDB native metrics switched on (state.backend.rocksdb.metrics.*). */
  rocksdbNativeMetrics: boolean;
  checkpointIntervalMs: number;
  load: LoadProfile;
  state: StateProfile;
  connectors: Connector[];
  /** Metaspace the user jar's classes take, bytes, per job classloader. */
  userCodeMetaspace: number;
  /** Metaspace leaked per restart by a classloader that is not collected (0 for well-behaved jobs). */
  metaspaceLeakPerRestart: number;
  startTime: number;
  restartDelayMs: number;
  provisioning: Provisioning;
  /** TaskManager id and slot index of each subtask index (slot sharing: subtask i of every vertex shares slot i). */
  slots: Array<{ tmId: string; slot: number }>;
}

export interface TaskManagerSpec {
  id: string;
  cluster: string;
  host: string;
  dataPort: number;
  rpcPort: number;
  startTime: number;
  /** Which job holds each slot (null = free). */
  slotJobs: Array<string | null>;
  cpuCores: number;
  physicalMemory: number;
}

/** Per-TaskManager pool sizes in bytes, as Flink derives them from the cluster config. */
export interface TaskManagerPools {
  frameworkHeap: number;
  taskHeap: number;
  frameworkOffHeap: number;
  taskOffHeap: number;
  managed: number;
  network: number;
  metaspace: number;
  overhead: number;
  totalFlink: number;
  totalProcess: number;
  jvmHeap: number;
  jvmDirect: number;
  jvmArgs: string;
}

export interface ClusterSpec {
  name: string;
  kind: 'application' | 'session';
  namespace: string;
  /** The cluster's Flink configuration (what /jobmanager/config shows). */
  config: Record<string, string>;
  memory: TaskManagerPools;
  slotsPerTm: number;
  segmentSize: number;
  taskManagers: TaskManagerSpec[];
  jobIds: string[];
  jmHost: string;
  startTime: number;
}

export interface FleetSpec {
  seed: number;
  flinkVersion: string;
  /** Simulated epoch ms the fleet was generated for; jobs started up to a few days before it. */
  epoch: number;
  clusters: ClusterSpec[];
  jobs: JobSpec[];
  budgets: FleetBudget[];
}

/** One job's true per-TaskManager demand per pool, bytes (the worst of its TaskManagers). */
export type PoolDemand = Record<Pool, number>;
