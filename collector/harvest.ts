/**
 * What the collector yields: plain typed values, one `Harvest` per cluster and source, usable
 * with or without the history store. Times are epoch milliseconds; sizes are integer bytes.
 * Everything carries the cluster name (application mode: one job per cluster) and the time the
 * answer was observed, so harvests from many polls can simply be concatenated.
 */

export type MetricScope = 'taskmanager' | 'jobmanager' | 'job' | 'vertex' | 'subtask';
export type MetricAgg = 'min' | 'max' | 'avg' | 'sum' | 'skew';

/** One metric value. `metric` is Flink's id without the `<subtask>.` prefix. */
export interface MetricSample {
  ts: number;
  cluster: string;
  scope: MetricScope;
  jobId?: string;
  tmId?: string;
  vertexId?: string;
  subtask?: number;
  metric: string;
  /** Set for aggregated answers (`/taskmanagers/metrics`, `.../subtasks/metrics`). */
  agg?: MetricAgg;
  value: number;
}

export interface ClusterInfo {
  ts: number;
  cluster: string;
  flinkVersion?: string;
  taskManagers?: number;
  slotsTotal?: number;
}

export interface JobInfo {
  ts: number;
  cluster: string;
  jobId: string;
  name: string;
  state: string;
  jobType?: string;
  startTime?: number;
  maxParallelism?: number;
}

export interface VertexInfo {
  id: string;
  name: string;
  parallelism: number;
  maxParallelism?: number;
  slotSharingGroup?: string;
}

export interface EdgeInfo {
  source: string;
  target: string;
  shipStrategy?: string;
  exchange?: string;
}

/** Vertices come from `/jobs/:id`, edges from its plan (or `/jobs/:id/plan`). */
export interface Topology {
  ts: number;
  cluster: string;
  jobId: string;
  vertices: VertexInfo[];
  edges: EdgeInfo[];
}

/**
 * A configuration as Flink shows it. `jobmanager`: `/jobmanager/config` (cluster-wide, jobId
 * unset) or `/jobs/:id/jobmanager/config`; `execution`: `/jobs/:id/config`'s execution-config.
 */
export interface ConfigSnapshot {
  ts: number;
  cluster: string;
  jobId?: string;
  source: 'jobmanager' | 'execution';
  entries: Record<string, string>;
}

/** The ten byte figures of `memoryConfiguration` (Flink's derived TaskManager memory spec). */
export interface TaskManagerMemory {
  frameworkHeap: number;
  taskHeap: number;
  frameworkOffHeap: number;
  taskOffHeap: number;
  network: number;
  managed: number;
  metaspace: number;
  overhead: number;
  totalFlink: number;
  totalProcess: number;
}

export interface TaskManagerInfo {
  ts: number;
  cluster: string;
  tmId: string;
  slots?: number;
  freeSlots?: number;
  cpuCores?: number;
  physicalMemory?: number;
  /** `hardware.freeMemory`, which is really the JVM's max heap (-Xmx). */
  jvmMaxHeap?: number;
  memory?: TaskManagerMemory;
  /** Slots this TaskManager gives each job (from `allocatedSlots`); absent when not asked. */
  slotsByJob?: Record<string, number>;
}

/** Which TaskManager runs a subtask (from `/jobs/:id/vertices/:vid`). */
export interface SubtaskPlacement {
  ts: number;
  cluster: string;
  jobId: string;
  vertexId: string;
  subtask: number;
  attempt?: number;
  tmId?: string;
  status?: string;
}

export interface CheckpointInfo {
  cluster: string;
  jobId: string;
  checkpointId: number;
  status: string;
  isSavepoint: boolean;
  triggerTs?: number;
  ackTs?: number;
  stateSize?: number;
  checkpointedSize?: number;
  durationMs?: number;
  processedData?: number;
  persistedData?: number;
  numSubtasks?: number;
}

/**
 * A job's checkpointing configuration (`/jobs/:id/checkpoints/config`): the only REST answer that
 * names the state backend the job really runs with (a session cluster's config cannot say).
 */
export interface JobCheckpointConfig {
  ts: number;
  cluster: string;
  jobId: string;
  /** The backend's class simple name, e.g. `EmbeddedRocksDBStateBackend`, `HashMapStateBackend` (1.13+). */
  stateBackend?: string;
  checkpointStorage?: string;
  mode?: string;
  intervalMs?: number;
  changelog?: boolean;
}

export type MemoryFailureKind = 'heap' | 'metaspace' | 'direct' | 'network-buffers' | 'container' | 'other-oom';

export interface ExceptionInfo {
  ts: number;
  cluster: string;
  jobId: string;
  name: string;
  /** First line of the stack trace: enough to tell an OOM apart, small enough to store. */
  message: string;
  taskName?: string;
  tmId?: string;
  /** Set when the failure is a memory failure: the strongest signal we have. */
  memoryFailure?: MemoryFailureKind;
}

/** A request that failed, kept per job (or per cluster) without dropping what else was collected. */
export interface CollectFailure {
  cluster: string;
  jobId?: string;
  url: string;
  reason: string;
}

export interface Harvest {
  clusters: ClusterInfo[];
  jobs: JobInfo[];
  topologies: Topology[];
  configs: ConfigSnapshot[];
  taskManagers: TaskManagerInfo[];
  placements: SubtaskPlacement[];
  checkpoints: CheckpointInfo[];
  checkpointConfigs: JobCheckpointConfig[];
  exceptions: ExceptionInfo[];
  samples: MetricSample[];
  failures: CollectFailure[];
  /** Exchanges not understood (unknown path, error status, body of the wrong shape), by reason. */
  skipped: Record<string, number>;
}

export function emptyHarvest(): Harvest {
  return {
    clusters: [],
    jobs: [],
    topologies: [],
    configs: [],
    taskManagers: [],
    placements: [],
    checkpoints: [],
    checkpointConfigs: [],
    exceptions: [],
    samples: [],
    failures: [],
    skipped: {},
  };
}

export function skippedCount(harvest: Pick<Harvest, 'skipped'>): number {
  return Object.values(harvest.skipped).reduce((a, b) => a + b, 0);
}

/** Concatenates harvests (e.g. many polls or many clusters) into one. */
export function mergeHarvests(harvests: Harvest[]): Harvest {
  const out = emptyHarvest();
  for (const h of harvests) {
    for (const key of Object.keys(out) as Array<keyof Harvest>) {
      if (key === 'skipped') {
        for (const [reason, n] of Object.entries(h.skipped)) out.skipped[reason] = (out.skipped[reason] ?? 0) + n;
      } else {
        // A loop, not push(...): spreading 10^5+ samples overflows the call stack.
        const target = out[key] as unknown[];
        for (const item of h[key] as unknown[]) target.push(item);
      }
    }
  }
  return out;
}
