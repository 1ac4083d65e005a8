import type { z } from 'zod';
import { defaultCluster, type Exchange } from './exchange.ts';
import * as S from './flink-rest-schemas.ts';
import { emptyHarvest, type Harvest, type MetricAgg, type MetricSample, type MetricScope, type Topology } from './harvest.ts';
import { classifyMemoryFailure } from './memory-failures.ts';

/**
 * Turns REST exchanges into typed harvest values by the PATH PATTERN of each exchange
 * (`/taskmanagers/:id/metrics`, `/jobs/:id`, ...), whatever tool made the request: metric values
 * are taken by the ids in the body, not by what the query asked. Exchanges it does not
 * understand are counted in `harvest.skipped` by reason and otherwise ignored.
 * The live collector and the recording reader both feed this one class.
 */
export class Ingestor {
  readonly harvest: Harvest = emptyHarvest();
  /** Latest topology per cluster/job, so a later `/plan` answer can complete its edges. */
  private readonly topologies = new Map<string, Topology>();
  private readonly seen = new Set<string>();

  /** Ingests one exchange; returns why it was skipped, or undefined when it was understood. */
  add(exchange: Exchange): string | undefined {
    const reason = this.route(exchange);
    if (reason !== undefined) this.skip(reason);
    return reason;
  }

  /** Counts a line that never became an exchange (bad JSON, missing fields). */
  skip(reason: string): void {
    this.harvest.skipped[reason] = (this.harvest.skipped[reason] ?? 0) + 1;
  }

  private route(ex: Exchange): string | undefined {
    if (ex.status < 200 || ex.status >= 300) return `http ${ex.status}`;
    const [rawPath = ''] = ex.url.split('?', 1);
    const segments = rawPath.replace(/^\/v1(?=\/)/, '').split('/').filter(Boolean).map(safeDecode);
    const ctx: Ctx = { ts: ex.t, cluster: ex.cluster ?? defaultCluster };
    for (const route of routes) {
      const params = match(route.pattern, segments);
      if (!params) continue;
      const parsed = route.schema.safeParse(ex.body);
      if (!parsed.success) return `unexpected body for ${route.pattern}`;
      route.handle(this, ctx, params, parsed.data);
      return undefined;
    }
    return 'unknown path';
  }

  /** Adds an item unless an equal key was already added (checkpoint history repeats every poll). */
  once(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }

  topologyFor(cluster: string, jobId: string): Topology | undefined {
    return this.topologies.get(`${cluster}\u0000${jobId}`);
  }

  addTopology(topology: Topology): void {
    this.topologies.set(`${topology.cluster}\u0000${topology.jobId}`, topology);
    this.harvest.topologies.push(topology);
  }

  addMetrics(ctx: Ctx, values: S.MetricValues, where: Omit<MetricSample, 'ts' | 'cluster' | 'metric' | 'value'>, subtaskPrefixed = false): void {
    // Hot path (hundreds of thousands of values per fleet poll): plain object literals, no spreads.
    const samples = this.harvest.samples;
    for (const m of values) {
      let metric = m.id;
      let subtask = where.subtask;
      let scope: MetricScope = where.scope;
      if (subtaskPrefixed) {
        const prefixed = /^(\d+)\.(.+)$/.exec(m.id);
        if (prefixed) {
          subtask = Number(prefixed[1]);
          metric = prefixed[2]!;
          scope = 'subtask';
        }
      }
      const sample = (value: number, agg?: MetricAgg): MetricSample => {
        const s: MetricSample = { ts: ctx.ts, cluster: ctx.cluster, scope, metric, value };
        if (where.jobId !== undefined) s.jobId = where.jobId;
        if (where.tmId !== undefined) s.tmId = where.tmId;
        if (where.vertexId !== undefined) s.vertexId = where.vertexId;
        if (subtask !== undefined) s.subtask = subtask;
        if (agg !== undefined) s.agg = agg;
        return s;
      };
      if (m.value !== undefined) {
        const value = metricNumber(m.value);
        if (value !== undefined) samples.push(sample(value));
        continue;
      }
      for (const agg of aggs) {
        const value = m[agg];
        if (typeof value === 'number' && Number.isFinite(value)) samples.push(sample(value, agg));
      }
    }
  }
}

interface Ctx {
  ts: number;
  cluster: string;
}

interface Route<T extends z.ZodType> {
  /** Segments; `:name` matches one segment. */
  pattern: string;
  schema: T;
  handle(ing: Ingestor, ctx: Ctx, params: Record<string, string>, body: z.infer<T>): void;
}

const aggs: MetricAgg[] = ['min', 'max', 'avg', 'sum', 'skew'];

function route<T extends z.ZodType>(r: Route<T>): Route<z.ZodType> {
  return r as unknown as Route<z.ZodType>;
}

function match(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = pattern.split('/').filter(Boolean);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const segment = segments[i]!;
    if (part.startsWith(':')) params[part.slice(1)] = segment;
    else if (part !== segment) return undefined;
  }
  return params;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Metric values arrive as strings: numbers, "true"/"false" for gauges like isBackPressured. */
function metricNumber(text: string): number | undefined {
  if (text === 'true') return 1;
  if (text === 'false') return 0;
  if (text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** `/taskmanagers/:id` carries a metrics object; these are the Flink metric ids behind its fields. */
const detailMetricIds: Record<string, string> = {
  heapUsed: 'Status.JVM.Memory.Heap.Used',
  heapCommitted: 'Status.JVM.Memory.Heap.Committed',
  heapMax: 'Status.JVM.Memory.Heap.Max',
  nonHeapUsed: 'Status.JVM.Memory.NonHeap.Used',
  nonHeapCommitted: 'Status.JVM.Memory.NonHeap.Committed',
  nonHeapMax: 'Status.JVM.Memory.NonHeap.Max',
  directCount: 'Status.JVM.Memory.Direct.Count',
  directUsed: 'Status.JVM.Memory.Direct.MemoryUsed',
  directMax: 'Status.JVM.Memory.Direct.TotalCapacity',
  mappedCount: 'Status.JVM.Memory.Mapped.Count',
  mappedUsed: 'Status.JVM.Memory.Mapped.MemoryUsed',
  mappedMax: 'Status.JVM.Memory.Mapped.TotalCapacity',
  nettyShuffleMemorySegmentsAvailable: 'Status.Shuffle.Netty.AvailableMemorySegments',
  nettyShuffleMemorySegmentsUsed: 'Status.Shuffle.Netty.UsedMemorySegments',
  nettyShuffleMemorySegmentsTotal: 'Status.Shuffle.Netty.TotalMemorySegments',
  nettyShuffleMemoryAvailable: 'Status.Shuffle.Netty.AvailableMemory',
  nettyShuffleMemoryUsed: 'Status.Shuffle.Netty.UsedMemory',
  nettyShuffleMemoryTotal: 'Status.Shuffle.Netty.TotalMemory',
};

function taskManagerInfo(ctx: Ctx, tm: z.infer<typeof S.TaskManagerDetails>) {
  const mc = tm.memoryConfiguration;
  return {
    ts: ctx.ts,
    cluster: ctx.cluster,
    tmId: tm.id,
    slots: tm.slotsNumber,
    freeSlots: tm.freeSlots,
    cpuCores: tm.hardware?.cpuCores,
    physicalMemory: tm.hardware?.physicalMemory,
    jvmMaxHeap: tm.hardware?.freeMemory,
    memory: mc && {
      frameworkHeap: mc.frameworkHeap,
      taskHeap: mc.taskHeap,
      frameworkOffHeap: mc.frameworkOffHeap,
      taskOffHeap: mc.taskOffHeap,
      network: mc.networkMemory,
      managed: mc.managedMemory,
      metaspace: mc.jvmMetaspace,
      overhead: mc.jvmOverhead,
      totalFlink: mc.totalFlinkMemory,
      totalProcess: mc.totalProcessMemory,
    },
  };
}

function configEntries(ing: Ingestor, ctx: Ctx, body: z.infer<typeof S.ConfigEntries>, jobId?: string): void {
  const entries: Record<string, string> = {};
  for (const { key, value } of body) entries[key] = value;
  ing.harvest.configs.push({ ts: ctx.ts, cluster: ctx.cluster, source: 'jobmanager', entries, ...(jobId ? { jobId } : {}) });
}

const routes: Array<Route<z.ZodType>> = [
  route({
    pattern: '/overview',
    schema: S.Overview,
    handle: (ing, ctx, _p, b) =>
      ing.harvest.clusters.push({
        ts: ctx.ts,
        cluster: ctx.cluster,
        flinkVersion: b['flink-version'],
        taskManagers: b.taskmanagers,
        slotsTotal: b['slots-total'],
      }),
  }),
  route({
    pattern: '/jobs/overview',
    schema: S.JobsOverview,
    handle: (ing, ctx, _p, b) => {
      for (const j of b.jobs) {
        ing.harvest.jobs.push({ ts: ctx.ts, cluster: ctx.cluster, jobId: j.jid, name: j.name, state: j.state, startTime: j['start-time'] });
      }
    },
  }),
  route({ pattern: '/jobs/metrics', schema: S.MetricValues, handle: (ing, ctx, _p, b) => ing.addMetrics(ctx, b, { scope: 'job' }) }),
  route({
    pattern: '/jobs/:job',
    schema: S.JobDetails,
    handle: (ing, ctx, p, b) => {
      ing.harvest.jobs.push({
        ts: ctx.ts,
        cluster: ctx.cluster,
        jobId: b.jid,
        name: b.name,
        state: b.state,
        jobType: b['job-type'],
        startTime: b['start-time'],
        maxParallelism: b.maxParallelism,
      });
      const edges = b.plan ? planEdges(b.plan) : (ing.topologyFor(ctx.cluster, p.job!)?.edges ?? []);
      ing.addTopology({
        ts: ctx.ts,
        cluster: ctx.cluster,
        jobId: b.jid,
        vertices: b.vertices.map((v) => ({
          id: v.id,
          name: v.name,
          parallelism: v.parallelism,
          maxParallelism: v.maxParallelism,
          slotSharingGroup: v.slotSharingGroupId,
        })),
        edges,
      });
    },
  }),
  route({
    pattern: '/jobs/:job/plan',
    schema: S.JobPlan,
    handle: (ing, ctx, p, b) => {
      const known = ing.topologyFor(ctx.cluster, p.job!);
      const edges = planEdges(b.plan);
      if (known) known.edges = edges;
      else {
        // No /jobs/:id seen yet: the plan alone still gives vertices (without slot sharing).
        const vertices = b.plan.nodes.map((n) => ({ id: n.id, name: n.description ?? n.id, parallelism: n.parallelism ?? -1 }));
        ing.addTopology({ ts: ctx.ts, cluster: ctx.cluster, jobId: p.job!, vertices, edges });
      }
    },
  }),
  route({
    pattern: '/jobs/:job/config',
    schema: S.JobConfig,
    handle: (ing, ctx, p, b) => {
      const entries: Record<string, string> = {};
      for (const [key, value] of Object.entries(b['execution-config'] ?? {})) {
        if (key === 'user-config' && value && typeof value === 'object') {
          for (const [k, v] of Object.entries(value)) entries[`user-config.${k}`] = String(v);
        } else entries[key] = String(value);
      }
      ing.harvest.configs.push({ ts: ctx.ts, cluster: ctx.cluster, jobId: p.job!, source: 'execution', entries });
    },
  }),
  route({ pattern: '/jobs/:job/jobmanager/config', schema: S.ConfigEntries, handle: (ing, ctx, p, b) => configEntries(ing, ctx, b, p.job) }),
  route({ pattern: '/jobmanager/config', schema: S.ConfigEntries, handle: (ing, ctx, _p, b) => configEntries(ing, ctx, b) }),
  route({
    pattern: '/jobs/:job/checkpoints',
    schema: S.Checkpoints,
    handle: (ing, ctx, p, b) => {
      const all = [...(b.history ?? []), ...(b.latest?.completed ? [b.latest.completed] : [])];
      for (const c of all) {
        if (!ing.once(`cp\u0000${ctx.cluster}\u0000${p.job}\u0000${c.id}\u0000${c.status}`)) continue;
        ing.harvest.checkpoints.push({
          cluster: ctx.cluster,
          jobId: p.job!,
          checkpointId: c.id,
          status: c.status,
          isSavepoint: c.is_savepoint ?? false,
          triggerTs: c.trigger_timestamp,
          ackTs: c.latest_ack_timestamp,
          stateSize: c.state_size,
          checkpointedSize: c.checkpointed_size,
          durationMs: c.end_to_end_duration,
          processedData: c.processed_data,
          persistedData: c.persisted_data,
          numSubtasks: c.num_subtasks,
        });
      }
    },
  }),
  route({
    pattern: '/jobs/:job/checkpoints/config',
    schema: S.CheckpointConfig,
    handle: (ing, ctx, p, b) =>
      ing.harvest.checkpointConfigs.push({
        ts: ctx.ts,
        cluster: ctx.cluster,
        jobId: p.job!,
        stateBackend: b.state_backend ?? undefined,
        checkpointStorage: b.checkpoint_storage ?? undefined,
        mode: b.mode,
        intervalMs: b.interval,
        changelog: b.state_changelog_enabled,
      }),
  }),
  route({
    pattern: '/jobs/:job/exceptions',
    schema: S.JobExceptions,
    handle: (ing, ctx, p, b) => {
      const entries: S.ExceptionEntry[] = [];
      for (const e of b.exceptionHistory?.entries ?? []) entries.push(e, ...(e.concurrentExceptions ?? []));
      if (entries.length === 0 && b['root-exception'] && b.timestamp) {
        entries.push({ stacktrace: b['root-exception'], timestamp: b.timestamp });
      }
      for (const e of entries) {
        const text = e.stacktrace ?? e.exceptionName ?? '';
        const message = text.split('\n', 1)[0]!.trim();
        const name = e.exceptionName ?? message.split(':', 1)[0]!;
        if (!ing.once(`ex\u0000${ctx.cluster}\u0000${p.job}\u0000${e.timestamp}\u0000${name}\u0000${e.taskName ?? ''}`)) continue;
        const memoryFailure = classifyMemoryFailure(`${name}: ${text}`);
        ing.harvest.exceptions.push({
          ts: e.timestamp,
          cluster: ctx.cluster,
          jobId: p.job!,
          name,
          message,
          ...(e.taskName ? { taskName: e.taskName } : {}),
          ...(e.taskManagerId ? { tmId: e.taskManagerId } : {}),
          ...(memoryFailure ? { memoryFailure } : {}),
        });
      }
    },
  }),
  route({ pattern: '/jobs/:job/metrics', schema: S.MetricValues, handle: (ing, ctx, p, b) => ing.addMetrics(ctx, b, { scope: 'job', jobId: p.job }) }),
  route({
    pattern: '/jobs/:job/vertices/:vertex',
    schema: S.VertexDetails,
    handle: (ing, ctx, p, b) => {
      for (const s of b.subtasks) {
        ing.harvest.placements.push({
          ts: ctx.ts,
          cluster: ctx.cluster,
          jobId: p.job!,
          vertexId: b.id,
          subtask: s.subtask,
          attempt: s.attempt,
          tmId: s['taskmanager-id'],
          status: s.status,
        });
      }
    },
  }),
  route({
    pattern: '/jobs/:job/vertices/:vertex/metrics',
    schema: S.MetricValues,
    handle: (ing, ctx, p, b) => ing.addMetrics(ctx, b, { scope: 'vertex', jobId: p.job, vertexId: p.vertex }, true),
  }),
  route({
    pattern: '/jobs/:job/vertices/:vertex/subtasks/metrics',
    schema: S.MetricValues,
    handle: (ing, ctx, p, b) => ing.addMetrics(ctx, b, { scope: 'vertex', jobId: p.job, vertexId: p.vertex }),
  }),
  route({
    pattern: '/jobs/:job/vertices/:vertex/subtasks/:subtask/metrics',
    schema: S.MetricValues,
    handle: (ing, ctx, p, b) => {
      const subtask = Number(p.subtask);
      if (Number.isInteger(subtask)) ing.addMetrics(ctx, b, { scope: 'subtask', jobId: p.job, vertexId: p.vertex, subtask });
    },
  }),
  route({
    pattern: '/taskmanagers',
    schema: S.TaskManagers,
    handle: (ing, ctx, _p, b) => {
      for (const tm of b.taskmanagers) ing.harvest.taskManagers.push(taskManagerInfo(ctx, tm));
    },
  }),
  route({ pattern: '/taskmanagers/metrics', schema: S.MetricValues, handle: (ing, ctx, _p, b) => ing.addMetrics(ctx, b, { scope: 'taskmanager' }) }),
  route({
    pattern: '/taskmanagers/:tm',
    schema: S.TaskManagerDetails,
    handle: (ing, ctx, _p, b) => {
      const slotsByJob: Record<string, number> = {};
      for (const slot of b.allocatedSlots ?? []) slotsByJob[slot.jobId] = (slotsByJob[slot.jobId] ?? 0) + 1;
      ing.harvest.taskManagers.push({ ...taskManagerInfo(ctx, b), slotsByJob });
      // All zeros means the metric store had not fetched this TaskManager yet: no observation.
      const metrics = b.metrics;
      if (!metrics || !metrics.heapMax) return;
      const where = { ts: ctx.ts, cluster: ctx.cluster, scope: 'taskmanager' as const, tmId: b.id };
      for (const [field, metric] of Object.entries(detailMetricIds)) {
        const value = metrics[field];
        if (typeof value === 'number' && Number.isFinite(value)) ing.harvest.samples.push({ ...where, metric, value });
      }
      for (const gc of metrics.garbageCollectors ?? []) {
        const name = gc.name.replace(/[ .:,]/g, '_');
        ing.harvest.samples.push({ ...where, metric: `Status.JVM.GarbageCollector.${name}.Count`, value: gc.count });
        ing.harvest.samples.push({ ...where, metric: `Status.JVM.GarbageCollector.${name}.Time`, value: gc.time });
      }
    },
  }),
  route({
    pattern: '/taskmanagers/:tm/metrics',
    schema: S.MetricValues,
    handle: (ing, ctx, p, b) => ing.addMetrics(ctx, b, { scope: 'taskmanager', tmId: p.tm }),
  }),
  route({ pattern: '/jobmanager/metrics', schema: S.MetricValues, handle: (ing, ctx, _p, b) => ing.addMetrics(ctx, b, { scope: 'jobmanager' }) }),
];

function planEdges(plan: z.infer<typeof S.Plan>) {
  return plan.nodes.flatMap((n) =>
    (n.inputs ?? []).map((i) => ({ source: i.id, target: n.id, shipStrategy: i.ship_strategy, exchange: i.exchange })),
  );
}
