import { z } from 'zod';

/**
 * zod schemas of the Flink REST answers the collector reads, as they are on the wire (see
 * shared/flink-rest/README.md for where that differs from the OpenAPI file). Tolerant across
 * 1.17, 1.20 and 2.x: every object keeps unknown fields, fields that some versions lack are
 * optional, and we only require what the collector cannot do without.
 */

const id = z.string().min(1);
/** Flink sends -1 for "unknown" in many numeric fields; keep it, callers decide. */
const num = z.number();

export const Overview = z.looseObject({
  taskmanagers: num.optional(),
  'slots-total': num.optional(),
  'slots-available': num.optional(),
  'jobs-running': num.optional(),
  'flink-version': z.string().optional(),
});

export const JobsOverview = z.looseObject({
  jobs: z.array(
    z.looseObject({
      jid: id,
      name: z.string(),
      state: z.string(),
      'start-time': num.optional(),
      'end-time': num.optional(),
      duration: num.optional(),
    }),
  ),
});

const Vertex = z.looseObject({
  id,
  name: z.string(),
  parallelism: num,
  maxParallelism: num.optional(),
  /** Absent before 1.16 and in some 2.x adaptive-scheduler answers. */
  slotSharingGroupId: z.string().optional(),
  status: z.string().optional(),
});

const PlanNode = z.looseObject({
  id,
  parallelism: num.optional(),
  description: z.string().optional(),
  inputs: z
    .array(z.looseObject({ id, num: num.optional(), ship_strategy: z.string().optional(), exchange: z.string().optional() }))
    .optional(),
});

export const Plan = z.looseObject({ jid: z.string().optional(), nodes: z.array(PlanNode) });

export const JobDetails = z.looseObject({
  jid: id,
  name: z.string(),
  state: z.string(),
  'job-type': z.string().optional(),
  'start-time': num.optional(),
  duration: num.optional(),
  maxParallelism: num.optional(),
  now: num.optional(),
  vertices: z.array(Vertex),
  plan: Plan.optional(),
});

/** `/jobs/:jobid/plan` wraps the plan. */
export const JobPlan = z.looseObject({ plan: Plan });

export const JobConfig = z.looseObject({
  jid: z.string().optional(),
  'execution-config': z
    .looseObject({
      'job-parallelism': num.optional(),
      'object-reuse-mode': z.boolean().optional(),
      'restart-strategy': z.string().optional(),
      'execution-mode': z.string().optional(),
      'user-config': z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
});

/** `/jobmanager/config` and `/jobs/:jobid/jobmanager/config`. */
export const ConfigEntries = z.array(z.looseObject({ key: z.string(), value: z.string() }));

const Subtask = z.looseObject({
  subtask: num,
  status: z.string().optional(),
  attempt: num.optional(),
  'taskmanager-id': z.string().optional(),
  /** 1.17 has only `host`, later versions `endpoint`. */
  endpoint: z.string().optional(),
  host: z.string().optional(),
});

export const VertexDetails = z.looseObject({
  id,
  name: z.string().optional(),
  parallelism: num.optional(),
  subtasks: z.array(Subtask),
});

const CheckpointStats = z.looseObject({
  id: num,
  status: z.string(),
  is_savepoint: z.boolean().optional(),
  trigger_timestamp: num.optional(),
  latest_ack_timestamp: num.optional(),
  state_size: num.optional(),
  checkpointed_size: num.optional(),
  end_to_end_duration: num.optional(),
  processed_data: num.optional(),
  persisted_data: num.optional(),
  num_subtasks: num.optional(),
});
export type CheckpointStats = z.infer<typeof CheckpointStats>;

export const Checkpoints = z.looseObject({
  counts: z.looseObject({ completed: num.optional(), failed: num.optional(), restored: num.optional() }).optional(),
  latest: z.looseObject({ completed: CheckpointStats.nullish() }).nullish(),
  history: z.array(CheckpointStats).optional(),
});

/**
 * `/jobs/:jobid/checkpoints/config` (CheckpointConfigInfo). `state_backend` (1.13+) is the backend's
 * class simple name; 1.15+ add `checkpoint_storage`, the changelog fields and more. A job without
 * checkpointing answers 404 instead.
 */
export const CheckpointConfig = z.looseObject({
  mode: z.string().optional(),
  interval: num.optional(),
  state_backend: z.string().nullish(),
  checkpoint_storage: z.string().nullish(),
  state_changelog_enabled: z.boolean().optional(),
});

const ExceptionEntry = z.looseObject({
  exceptionName: z.string().optional(),
  stacktrace: z.string().optional(),
  timestamp: num,
  taskName: z.string().nullish(),
  /** 1.17 calls it `location`, 1.18+ `endpoint`. */
  endpoint: z.string().nullish(),
  location: z.string().nullish(),
  taskManagerId: z.string().nullish(),
});
export type ExceptionEntry = z.infer<typeof ExceptionEntry>;

export const JobExceptions = z.looseObject({
  exceptionHistory: z
    .looseObject({
      entries: z.array(ExceptionEntry.extend({ concurrentExceptions: z.array(ExceptionEntry).optional() })),
    })
    .optional(),
  /** 1.x only (removed in 2.0): the root exception as text plus its timestamp. */
  'root-exception': z.string().nullish(),
  timestamp: num.nullish(),
});

const MemoryConfiguration = z.looseObject({
  frameworkHeap: num,
  taskHeap: num,
  frameworkOffHeap: num,
  taskOffHeap: num,
  networkMemory: num,
  managedMemory: num,
  jvmMetaspace: num,
  jvmOverhead: num,
  totalFlinkMemory: num,
  totalProcessMemory: num,
});
export type MemoryConfiguration = z.infer<typeof MemoryConfiguration>;

const TaskManagerSummary = z.looseObject({
  id,
  slotsNumber: num.optional(),
  freeSlots: num.optional(),
  timeSinceLastHeartbeat: num.optional(),
  hardware: z
    .looseObject({ cpuCores: num.optional(), physicalMemory: num.optional(), freeMemory: num.optional(), managedMemory: num.optional() })
    .optional(),
  /** 1.12+; older versions send none. */
  memoryConfiguration: MemoryConfiguration.optional(),
});

export const TaskManagers = z.looseObject({ taskmanagers: z.array(TaskManagerSummary) });

export const TaskManagerDetails = TaskManagerSummary.extend({
  allocatedSlots: z.array(z.looseObject({ jobId: z.string() })).optional(),
  metrics: z
    .looseObject({
      garbageCollectors: z.array(z.looseObject({ name: z.string(), count: num, time: num })).optional(),
    })
    .catchall(z.unknown())
    .optional(),
});
export type TaskManagerDetails = z.infer<typeof TaskManagerDetails>;

/** Metric endpoints send a bare array; plain ones carry string values, aggregated ones numbers. */
export const MetricValues = z.array(
  z.looseObject({
    id: z.string(),
    value: z.string().optional(),
    min: num.optional(),
    max: num.optional(),
    avg: num.optional(),
    sum: num.optional(),
    skew: num.optional(),
  }),
);
export type MetricValues = z.infer<typeof MetricValues>;
