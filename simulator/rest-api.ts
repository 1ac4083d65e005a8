import { badJobId, jobNotFound, routeNotFound, taskManagerNotFound, vertexNotFound, type RestAnswer } from './flink-errors.ts';
import { aggregatedValues, metricValues, parseRanges, splitList } from './metric-queries.ts';
import type { Simulation } from './simulation.ts';
import type { ClusterSpec, JobSpec, TaskManagerSpec, VertexSpec } from './types.ts';

const MiB = 1 << 20;
const EXCEPTION_HISTORY_SIZE = 16; // web.exception-history-size

/**
 * Answers one GET below a cluster's REST root the way Flink's JobManager would, at simulated time
 * t. Pure: the same (simulation, cluster, path, query, t) gives the same answer.
 */
export function answer(sim: Simulation, cluster: ClusterSpec, uri: string, path: string, query: URLSearchParams, t: number): RestAnswer {
  const parts = path.split('/').filter((p) => p.length > 0).map(decodeSegment);
  if (parts[0] === 'v1') parts.shift();
  const [a, b, c, d, e, f] = parts;
  const n = parts.length;
  if (n === 1 && a === 'config') return ok(dashboardConfig(sim, t));
  if (n === 1 && a === 'overview') return ok(overview(sim, cluster, t));
  if (a === 'jobmanager' && n === 2 && b === 'config') return ok(configList(cluster.config));
  if (a === 'jobmanager' && n === 2 && b === 'metrics') return ok(metricValues(jobManagerMetrics(sim, cluster, t), query.get('get')));
  if (a === 'taskmanagers') {
    if (n === 1) return ok({ taskmanagers: cluster.taskManagers.map((tm) => taskManagerInfo(sim, cluster, tm, t)) });
    if (n === 2 && b === 'metrics') {
      const wanted = query.get('taskmanagers');
      const tms = wanted === null ? cluster.taskManagers : cluster.taskManagers.filter((tm) => splitList(wanted).includes(tm.id));
      return ok(aggregatedValues(tms.map((tm) => sim.taskManagerMetrics(tm.id, t)), query.get('get'), query.get('agg')));
    }
    const tm = cluster.taskManagers.find((x) => x.id === b);
    if (n === 3 && c === 'metrics') return ok(tm ? metricValues(sim.taskManagerMetrics(tm.id, t), query.get('get')) : []);
    if (!tm) return n === 2 ? taskManagerNotFound(b!) : routeNotFound(uri);
    if (n === 2) return ok(taskManagerDetails(sim, cluster, tm, t));
    return routeNotFound(uri);
  }
  if (a !== 'jobs') return routeNotFound(uri);
  const jobs = cluster.jobIds.map((id) => sim.jobs.get(id)!).filter((j) => j.startTime <= t);
  if (n === 1) return ok({ jobs: jobs.map((j) => ({ id: j.id, status: sim.jobStatus(j.id, t).state })) });
  if (n === 2 && b === 'overview') return ok({ jobs: jobs.map((j) => jobOverview(sim, j, t)) });
  if (n === 2 && b === 'metrics') {
    const wanted = query.get('jobs');
    const chosen = wanted === null ? jobs : jobs.filter((j) => splitList(wanted).includes(j.id));
    return ok(aggregatedValues(chosen.map((j) => sim.jobMetrics(j.id, t)), query.get('get'), query.get('agg')));
  }
  if (!/^[0-9a-f]{32}$/i.test(b!)) return n <= 3 ? badJobId(b!) : routeNotFound(uri);
  const job = jobs.find((j) => j.id === b);
  if (n === 3 && c === 'metrics') return ok(job ? metricValues(sim.jobMetrics(job.id, t), query.get('get')) : []);
  if (!job) return jobNotFound(b!);
  if (n === 2) return ok(jobDetails(sim, job, t));
  if (n === 3 && c === 'config') return ok(jobConfig(sim, job));
  if (n === 3 && c === 'plan') return ok({ plan: plan(job) });
  if (n === 3 && c === 'exceptions') return ok(exceptions(sim, job, t, query));
  if (n === 3 && c === 'checkpoints') return ok(checkpoints(sim, job, t));
  if (n === 4 && c === 'checkpoints' && d === 'config') return ok(checkpointConfig(job));
  if (n === 4 && c === 'jobmanager' && d === 'config') return ok(configList(cluster.config));
  if (c !== 'vertices' || n < 4) return routeNotFound(uri);
  const vertex = job.vertices.find((v) => v.id === d);
  if (!vertex) return /^[0-9a-f]{32}$/i.test(d!) ? vertexNotFound(d!) : routeNotFound(uri);
  if (n === 4) return ok(vertexDetails(sim, job, vertex, t));
  if (n === 5 && e === 'metrics') return ok(metricValues(vertexMetrics(sim, job, vertex, t), query.get('get')));
  if (n === 5 && e === 'taskmanagers') return ok(vertexTaskManagers(sim, job, vertex, t));
  if (n === 6 && e === 'subtasks' && f === 'metrics') {
    const all = subtaskMaps(sim, job, vertex, t);
    const chosen = parseRanges(query.get('subtasks'), all.length).map((i) => all[i]!);
    return ok(aggregatedValues(chosen, query.get('get'), query.get('agg')));
  }
  return routeNotFound(uri);
}

function ok(body: unknown): RestAnswer {
  return { status: 200, body };
}

function configList(config: Record<string, string>): Array<{ key: string; value: string }> {
  return Object.entries(config).map(([key, value]) => ({ key, value }));
}

function dashboardConfig(sim: Simulation, _t: number): unknown {
  return {
    'refresh-interval': 3000,
    'timezone-name': 'Coordinated Universal Time',
    'timezone-offset': 0,
    'flink-version': sim.fleet.flinkVersion,
    'flink-revision': `${sim.is2x ? '8a7a7e6' : 'b1fe7b4'} @ 2024-07-26T08:37:12+02:00`,
    features: { 'web-submit': false, 'web-cancel': false, 'web-rescale': false, 'web-history': false },
  };
}

function overview(sim: Simulation, cluster: ClusterSpec, t: number): unknown {
  const slotsTotal = cluster.taskManagers.length * cluster.slotsPerTm;
  const used = cluster.taskManagers.reduce((s, tm) => s + tm.slotJobs.filter((j) => j !== null && sim.jobs.get(j)!.startTime <= t).length, 0);
  const running = cluster.jobIds.filter((id) => sim.jobs.get(id)!.startTime <= t).length;
  return {
    taskmanagers: cluster.taskManagers.length,
    'slots-total': slotsTotal,
    'slots-available': slotsTotal - used,
    'jobs-running': running,
    'jobs-finished': 0,
    'jobs-cancelled': 0,
    'jobs-failed': 0,
    'flink-version': sim.fleet.flinkVersion,
    'flink-commit': sim.is2x ? '8a7a7e6' : 'b1fe7b4',
  };
}

function mib(bytes: number): number {
  return Math.floor(bytes / MiB);
}

function resource(sim: Simulation, cluster: ClusterSpec, share: number): Record<string, unknown> {
  const m = cluster.memory;
  return {
    cpuCores: cluster.slotsPerTm * share,
    taskHeapMemory: mib(m.taskHeap * share),
    taskOffHeapMemory: mib(m.taskOffHeap * share),
    managedMemory: mib(m.managed * share),
    networkMemory: mib(m.network * share),
    extendedResources: {},
  };
}

function taskManagerInfo(sim: Simulation, cluster: ClusterSpec, tm: TaskManagerSpec, t: number): Record<string, unknown> {
  const m = cluster.memory;
  const free = tm.slotJobs.filter((j) => j === null || sim.jobs.get(j)!.startTime > t).length;
  return {
    id: tm.id,
    path: `pekko.tcp://flink@${tm.host}:${tm.rpcPort}/user/rpc/taskmanager_0`,
    dataPort: tm.dataPort,
    jmxPort: -1,
    timeSinceLastHeartbeat: t - ((t - tm.startTime) % 10_000),
    slotsNumber: cluster.slotsPerTm,
    freeSlots: free,
    totalResource: resource(sim, cluster, 1),
    freeResource: resource(sim, cluster, free / cluster.slotsPerTm),
    hardware: { cpuCores: tm.cpuCores, physicalMemory: tm.physicalMemory, freeMemory: m.jvmHeap, managedMemory: m.managed },
    memoryConfiguration: {
      frameworkHeap: m.frameworkHeap,
      taskHeap: m.taskHeap,
      frameworkOffHeap: m.frameworkOffHeap,
      taskOffHeap: m.taskOffHeap,
      networkMemory: m.network,
      managedMemory: m.managed,
      jvmMetaspace: m.metaspace,
      jvmOverhead: m.overhead,
      totalFlinkMemory: m.totalFlink,
      totalProcessMemory: m.totalProcess,
    },
    blocked: false,
  };
}

function taskManagerDetails(sim: Simulation, cluster: ClusterSpec, tm: TaskManagerSpec, t: number): Record<string, unknown> {
  const v = sim.taskManagerMetrics(tm.id, t);
  const g = (id: string) => v.get(id) ?? 0;
  const metrics: Record<string, unknown> = {
    heapUsed: g('Status.JVM.Memory.Heap.Used'),
    heapCommitted: g('Status.JVM.Memory.Heap.Committed'),
    heapMax: g('Status.JVM.Memory.Heap.Max'),
    nonHeapUsed: g('Status.JVM.Memory.NonHeap.Used'),
    nonHeapCommitted: g('Status.JVM.Memory.NonHeap.Committed'),
    nonHeapMax: g('Status.JVM.Memory.NonHeap.Max'),
    directCount: g('Status.JVM.Memory.Direct.Count'),
    directUsed: g('Status.JVM.Memory.Direct.MemoryUsed'),
    directMax: g('Status.JVM.Memory.Direct.TotalCapacity'),
    mappedCount: 0,
    mappedUsed: 0,
    mappedMax: 0,
  };
  if (!sim.is2x) {
    metrics.memorySegmentsAvailable = g('Status.Shuffle.Netty.AvailableMemorySegments');
    metrics.memorySegmentsTotal = g('Status.Shuffle.Netty.TotalMemorySegments');
  }
  Object.assign(metrics, {
    nettyShuffleMemorySegmentsAvailable: g('Status.Shuffle.Netty.AvailableMemorySegments'),
    nettyShuffleMemorySegmentsUsed: g('Status.Shuffle.Netty.UsedMemorySegments'),
    nettyShuffleMemorySegmentsTotal: g('Status.Shuffle.Netty.TotalMemorySegments'),
    nettyShuffleMemoryAvailable: g('Status.Shuffle.Netty.AvailableMemory'),
    nettyShuffleMemoryUsed: g('Status.Shuffle.Netty.UsedMemory'),
    nettyShuffleMemoryTotal: g('Status.Shuffle.Netty.TotalMemory'),
    garbageCollectors: ['G1_Young_Generation', 'G1_Old_Generation'].map((name) => ({
      name,
      count: g(`Status.JVM.GarbageCollector.${name}.Count`),
      time: g(`Status.JVM.GarbageCollector.${name}.Time`),
    })),
  });
  const slotShare = 1 / cluster.slotsPerTm;
  const allocatedSlots = tm.slotJobs
    .filter((j): j is string => j !== null && sim.jobs.get(j)!.startTime <= t)
    .map((jobId) => ({ jobId, resource: resource(sim, cluster, slotShare) }));
  return { ...taskManagerInfo(sim, cluster, tm, t), allocatedSlots, metrics };
}

function jobManagerMetrics(sim: Simulation, cluster: ClusterSpec, t: number): Map<string, number> {
  const heapMax = 1073741824;
  const uptime = t - cluster.startTime;
  const used = Math.round(heapMax * (0.18 + 0.1 * ((uptime / 47_000) % 1)));
  return new Map<string, number>([
    ['Status.JVM.Memory.Heap.Used', used],
    ['Status.JVM.Memory.Heap.Committed', heapMax],
    ['Status.JVM.Memory.Heap.Max', heapMax],
    ['Status.JVM.Memory.Metaspace.Used', 92 * MiB],
    ['Status.JVM.Memory.Metaspace.Max', 256 * MiB],
    ['Status.JVM.GarbageCollector.G1_Young_Generation.Count', Math.floor(uptime / 47_000)],
    ['Status.JVM.GarbageCollector.G1_Young_Generation.Time', Math.floor(uptime / 47_000) * 6],
    ['Status.JVM.CPU.Load', 0.03],
    ['numRegisteredTaskManagers', cluster.taskManagers.length],
    ['numRunningJobs', cluster.jobIds.filter((id) => sim.jobs.get(id)!.startTime <= t).length],
    ['taskSlotsTotal', cluster.taskManagers.length * cluster.slotsPerTm],
    ['taskSlotsAvailable', cluster.taskManagers.reduce((s, tm) => s + tm.slotJobs.filter((j) => j === null).length, 0)],
  ]);
}

function taskCounts(job: JobSpec, running: boolean): Record<string, number> {
  const total = job.vertices.reduce((s, v) => s + v.parallelism, 0);
  return {
    running: running ? total : 0, canceling: 0, canceled: 0, total, created: running ? 0 : total,
    scheduled: 0, deploying: 0, reconciling: 0, finished: 0, initializing: 0, failed: 0,
  };
}

function jobOverview(sim: Simulation, job: JobSpec, t: number): Record<string, unknown> {
  const status = sim.jobStatus(job.id, t);
  return {
    jid: job.id,
    name: job.name,
    'start-time': job.startTime,
    'end-time': -1,
    duration: t - job.startTime,
    state: status.state,
    'last-modification': status.incidents.at(-1)?.t ?? job.startTime + 1_000,
    tasks: taskCounts(job, status.state === 'RUNNING'),
  };
}

const STATES = ['INITIALIZING', 'CREATED', 'RUNNING', 'FAILING', 'FAILED', 'CANCELLING', 'CANCELED', 'FINISHED', 'RESTARTING', 'SUSPENDED', 'RECONCILING'];
const TASK_STATES = ['CREATED', 'SCHEDULED', 'DEPLOYING', 'RUNNING', 'FINISHED', 'CANCELING', 'CANCELED', 'FAILED', 'RECONCILING', 'INITIALIZING'];

function jobDetails(sim: Simulation, job: JobSpec, t: number): Record<string, unknown> {
  const status = sim.jobStatus(job.id, t);
  const running = status.state === 'RUNNING';
  const timestamps = Object.fromEntries(STATES.map((s) => [s, 0]));
  timestamps.INITIALIZING = job.startTime;
  timestamps.CREATED = job.startTime + 20;
  timestamps.RUNNING = running ? status.attemptStart : job.startTime + 900;
  if (!running) timestamps.RESTARTING = status.incidents.at(-1)!.t;
  const statusCounts = Object.fromEntries(TASK_STATES.map((s) => [s, 0]));
  statusCounts[running ? 'RUNNING' : 'CREATED'] = job.vertices.length;
  const details: Record<string, unknown> = {
    jid: job.id,
    name: job.name,
    isStoppable: false,
    state: status.state,
    'start-time': job.startTime,
    'end-time': -1,
    duration: t - job.startTime,
    maxParallelism: -1,
    now: t,
    timestamps,
    vertices: job.vertices.map((v) => {
      const tasks = Object.fromEntries(TASK_STATES.map((s) => [s, 0]));
      tasks[running ? 'RUNNING' : 'CREATED'] = v.parallelism;
      return {
        id: v.id,
        slotSharingGroupId: slotSharingGroup(job),
        name: v.name,
        maxParallelism: v.maxParallelism,
        parallelism: v.parallelism,
        status: running ? 'RUNNING' : 'CREATED',
        'start-time': status.attemptStart,
        'end-time': -1,
        duration: Math.max(0, t - status.attemptStart),
        tasks,
        metrics: vertexIoMetrics(sim, job, v, t),
      };
    }),
    'status-counts': statusCounts,
    plan: plan(job),
  };
  // `job-type` arrived in 1.16; the simulator only speaks 1.20 and 2.x, both have it.
  return { ...details, 'job-type': 'STREAMING' };
}

function slotSharingGroup(job: JobSpec): string {
  return job.id.split('').reverse().join('');
}

function vertexIoMetrics(sim: Simulation, job: JobSpec, v: VertexSpec, t: number): Record<string, unknown> {
  const subtasks = sim.subtaskMetrics(job.id, v.id, t);
  const sum = (name: string) => subtasks.reduce((s, ms) => s + (ms.find((m) => m.name === name && !m.operator)?.value ?? 0), 0);
  const isSource = v.inputs.length === 0;
  const isSink = !job.vertices.some((o) => o.inputs.some((i) => i.vertexId === v.id));
  return {
    'read-bytes': isSource ? 0 : sum('numBytesIn'),
    'read-bytes-complete': true,
    'write-bytes': isSink ? 0 : Math.round(sum('numBytesIn') * 0.8),
    'write-bytes-complete': true,
    'read-records': isSource ? 0 : sum('numRecordsIn'),
    'read-records-complete': true,
    'write-records': isSink ? 0 : sum('numRecordsOut'),
    'write-records-complete': true,
    'accumulated-backpressured-time': 0,
    'accumulated-idle-time': 0,
    'accumulated-busy-time': 0,
  };
}

function plan(job: JobSpec): Record<string, unknown> {
  return {
    jid: job.id,
    name: job.name,
    type: 'STREAMING',
    nodes: job.vertices.map((v) => ({
      id: v.id,
      parallelism: v.parallelism,
      operator: '',
      operator_strategy: '',
      description: v.name.replace(/ -> /g, '<br/>+- '),
      ...(v.inputs.length > 0
        ? { inputs: v.inputs.map((input, num) => ({ num, id: input.vertexId, ship_strategy: input.ship, exchange: 'pipelined_bounded' })) }
        : {}),
      optimizer_properties: {},
    })),
  };
}

function jobConfig(sim: Simulation, job: JobSpec): Record<string, unknown> {
  const executionConfig: Record<string, unknown> = {
    'restart-strategy': 'Cluster level default restart strategy',
    'job-parallelism': job.parallelism,
    'object-reuse-mode': false,
    'user-config': {},
  };
  if (!sim.is2x) executionConfig['execution-mode'] = 'PIPELINED';
  return { jid: job.id, name: job.name, 'execution-config': executionConfig };
}

function exceptions(sim: Simulation, job: JobSpec, t: number, query: URLSearchParams): Record<string, unknown> {
  const all = sim.jobStatus(job.id, t).incidents;
  const maxExceptions = Number.parseInt(query.get('maxExceptions') ?? '', 10);
  const limit = Math.min(EXCEPTION_HISTORY_SIZE, Number.isFinite(maxExceptions) && maxExceptions > 0 ? maxExceptions : EXCEPTION_HISTORY_SIZE);
  const recent = all.slice(-limit).reverse();
  const entries = recent.map((incident): Record<string, unknown> => {
    const tm = sim.taskManagers.get(incident.tmId)!;
    const vertex = job.vertices.find((v) => v.name === incident.vertexName)!;
    const stacktrace =
      incident.kind === 'heap'
        ? 'java.lang.OutOfMemoryError: Java heap space\n\tat java.base/java.util.Arrays.copyOf(Unknown Source)\n\tat java.base/java.util.ArrayList.grow(Unknown Source)\n\tat org.apache.flink.runtime.state.heap.CopyOnWriteStateMap.put(CopyOnWriteStateMap.java:328)\n'
        : 'java.lang.OutOfMemoryError: Metaspace. The metaspace out-of-memory error has occurred. This can mean two things: either the job requires a larger size of JVM metaspace to load classes or there is a class loading leak. In the first case \'taskmanager.memory.jvm-metaspace.size\' configuration option should be increased. If the error persists (usually in cluster after several job (re-)submissions) then there is probably a class loading leak in user code or some of its dependencies which has to be investigated and fixed. The task executor has to be shutdown...\n';
    const entry: Record<string, unknown> = {
      exceptionName: 'java.lang.OutOfMemoryError',
      stacktrace,
      timestamp: incident.t,
      taskName: `${vertex.name} (${incident.subtask + 1}/${vertex.parallelism})#${all.indexOf(incident)}`,
      endpoint: `${tm.host}:${tm.dataPort}`,
      taskManagerId: tm.id,
      failureLabels: {},
    };
    if (!sim.is2x) entry.location = `${tm.host}:${tm.dataPort}`;
    return { ...entry, concurrentExceptions: [] };
  });
  const history = { entries, truncated: all.length > limit };
  if (sim.is2x) return { exceptionHistory: history };
  // 1.x still sends the deprecated root-exception / all-exceptions fields next to the history.
  const latest = recent[0];
  return {
    'root-exception': latest ? entries[0]!.stacktrace : null,
    timestamp: latest ? latest.t : null,
    'all-exceptions': [],
    truncated: false,
    exceptionHistory: history,
  };
}

function checkpoints(sim: Simulation, job: JobSpec, t: number): Record<string, unknown> {
  const cp = sim.checkpoints(job.id, t);
  const stat = (v: number) => ({ min: v, max: v, avg: v, p50: v, p90: v, p95: v, p99: v, p999: v });
  const completed = cp.completed > 0
    ? {
        className: 'completed', id: cp.completed + cp.failed, status: 'COMPLETED', is_savepoint: false,
        trigger_timestamp: cp.lastTrigger, latest_ack_timestamp: cp.lastTrigger + cp.durationMs,
        state_size: cp.stateSize, checkpointed_size: cp.checkpointedSize, end_to_end_duration: cp.durationMs,
        alignment_buffered: 0, processed_data: 0, persisted_data: 0,
        num_subtasks: job.vertices.reduce((s, v) => s + v.parallelism, 0),
        num_acknowledged_subtasks: job.vertices.reduce((s, v) => s + v.parallelism, 0),
        checkpoint_type: 'CHECKPOINT', tasks: {}, external_path: `s3://flink-checkpoints/${job.cluster}/${job.id}/chk-${cp.completed + cp.failed}`, discarded: false,
      }
    : null;
  return {
    counts: { restored: sim.jobStatus(job.id, t).restarts, total: cp.completed + cp.failed, in_progress: 0, completed: cp.completed, failed: cp.failed },
    summary: {
      checkpointed_size: stat(cp.checkpointedSize), state_size: stat(cp.stateSize), end_to_end_duration: stat(cp.durationMs),
      alignment_buffered: stat(0), processed_data: stat(0), persisted_data: stat(0),
    },
    latest: { completed, savepoint: null, failed: null, restored: null },
    history: completed ? [completed] : [],
  };
}

/**
 * `/jobs/:id/checkpoints/config` (CheckpointConfigInfo, 1.15+ shape, the same in 1.20 and 2.x): the
 * only REST answer that names the backend a job really uses, by its class's simple name (a
 * session cluster's config cannot say: each job picks its own). Every simulated job checkpoints.
 */
function checkpointConfig(job: JobSpec): Record<string, unknown> {
  return {
    mode: 'EXACTLY_ONCE',
    interval: job.checkpointIntervalMs,
    timeout: 600_000,
    min_pause: 0,
    max_concurrent: 1,
    externalization: { enabled: true, delete_on_cancellation: false },
    state_backend: job.stateBackend === 'rocksdb' ? 'EmbeddedRocksDBStateBackend' : 'HashMapStateBackend',
    checkpoint_storage: 'FileSystemCheckpointStorage',
    unaligned_checkpoints: false,
    tolerable_failed_checkpoints: 0,
    aligned_checkpoint_timeout: 0,
    checkpoints_after_tasks_finish: true,
    state_changelog_enabled: false,
    changelog_periodic_materialization_interval: 600_000,
  };
}

function vertexDetails(sim: Simulation, job: JobSpec, v: VertexSpec, t: number): Record<string, unknown> {
  const status = sim.jobStatus(job.id, t);
  const running = status.state === 'RUNNING';
  const subtasks = Array.from({ length: v.parallelism }, (_, i) => {
    const tm = sim.taskManagers.get(job.slots[i]!.tmId)!;
    return {
      subtask: i,
      status: running ? 'RUNNING' : 'CREATED',
      attempt: status.restarts,
      endpoint: `${tm.host}:${tm.dataPort}`,
      'start-time': status.attemptStart,
      'end-time': -1,
      duration: Math.max(0, t - status.attemptStart),
      'taskmanager-id': tm.id,
    };
  });
  return { id: v.id, name: v.name, parallelism: v.parallelism, maxParallelism: v.maxParallelism, now: t, subtasks };
}

function subtaskMaps(sim: Simulation, job: JobSpec, v: VertexSpec, t: number): Array<Map<string, number>> {
  return sim.subtaskMetrics(job.id, v.id, t).map((ms) => new Map(ms.map((m) => [m.operator ? `${m.operator}.${m.name}` : m.name, m.value])));
}

function vertexMetrics(sim: Simulation, job: JobSpec, v: VertexSpec, t: number): Map<string, number> {
  const out = new Map<string, number>();
  subtaskMaps(sim, job, v, t).forEach((m, i) => {
    for (const [id, value] of m) out.set(`${i}.${id}`, value);
  });
  return out;
}

function vertexTaskManagers(sim: Simulation, job: JobSpec, v: VertexSpec, t: number): Record<string, unknown> {
  const byTm = new Map<string, number>();
  for (let i = 0; i < v.parallelism; i++) byTm.set(job.slots[i]!.tmId, (byTm.get(job.slots[i]!.tmId) ?? 0) + 1);
  const running = sim.jobStatus(job.id, t).state === 'RUNNING';
  return {
    id: v.id,
    name: v.name,
    now: t,
    taskmanagers: [...byTm].map(([tmId, count]) => {
      const tm = sim.taskManagers.get(tmId)!;
      return {
        endpoint: `${tm.host}:${tm.dataPort}`,
        'taskmanager-id': tmId,
        status: running ? 'RUNNING' : 'CREATED',
        'status-counts': { ...Object.fromEntries(TASK_STATES.map((s) => [s, 0])), [running ? 'RUNNING' : 'CREATED']: count },
      };
    }),
  };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
