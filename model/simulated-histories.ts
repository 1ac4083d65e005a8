import { emptyColumns, type JobSeries } from '../features/job-series.ts';
import type { Simulation } from '../simulator/index.ts';
import type { SubtaskMetric } from '../simulator/simulation.ts';
import type { TruthSeries } from './backtest/truth-series.ts';
import { heapTargetOccupancy } from './heap-target.ts';
import type { JobHistory } from './job-history.ts';

export interface SampleWindow {
  from: number;
  to: number;
  stepMs: number;
}

/**
 * Samples every job of a simulated fleet the way the collector would see it (TaskManager metrics,
 * subtask rates, checkpoint sizes), through the simulator's TypeScript API, and records the
 * ground truth beside it.
 */
export function simulatedHistories(sim: Simulation, window: SampleWindow): Array<Required<JobHistory>> {
  return [...sim.jobs.keys()].map((jobId) => simulatedHistory(sim, jobId, window));
}

export function simulatedHistory(sim: Simulation, jobId: string, window: SampleWindow): Required<JobHistory> {
  const job = sim.jobs.get(jobId)!;
  const tmIds = [...new Set(job.slots.map((s) => s.tmId))];
  const cluster = sim.clusterOf(sim.taskManagers.get(tmIds[0]!)!);
  const times: number[] = [];
  for (let t = Math.max(window.from, job.startTime); t <= window.to; t += window.stepMs) times.push(t);
  const n = times.length;
  const s = emptyColumns(n);
  s.t.set(times);
  const col = () => new Float64Array(n);
  const truth: TruthSeries = { t: Float64Array.from(times), need: { heap: col(), managed: col(), metaspace: col(), direct: col() }, heapLive: col() };
  const sources = job.vertices.filter((v) => v.inputs.length === 0);
  times.forEach((t, i) => {
    // Busiest TaskManager per pool, as the store's SQL takes it (features/store-series.sql.ts).
    const most = (column: keyof typeof s, value: number) => {
      if (Number.isFinite(value) && !(value <= s[column][i]!)) s[column][i] = value;
    };
    for (const tmId of tmIds) {
      const m = sim.taskManagerMetrics(tmId, t);
      const get = (id: string) => m.get(id) ?? Number.NaN;
      most('heapUsed', get('Status.JVM.Memory.Heap.Used'));
      most('managedUsed', get('Status.Flink.Memory.Managed.Used'));
      most('metaspaceUsed', get('Status.JVM.Memory.Metaspace.Used'));
      // JVM direct memory includes the network pool's segments: the rest is "direct / other off-heap".
      most('directUsed', Math.max(0, get('Status.JVM.Memory.Direct.MemoryUsed') - get('Status.Shuffle.Netty.TotalMemory')));
      most('gcTimeRatio', get('Status.JVM.GarbageCollector.All.TimeMsPerSecond') / 1000);
    }
    let skew = 1;
    let records = 0;
    let bytes = 0;
    // Per slot (TaskManager and subtask index, as the store's SQL groups them): cache usage and capacity.
    const cacheBySlot = new Map<string, { usage: number; capacity: number }>();
    let hits = 0;
    let misses = 0;
    for (const vertex of job.vertices) {
      const subtasks = sim.subtaskMetrics(jobId, vertex.id, t);
      const value = (metrics: SubtaskMetric[], suffix: string) => metrics.find((x) => x.name === suffix || x.name.endsWith(`.${suffix}`))?.value;
      const rates = subtasks.map((metrics) => value(metrics, 'numRecordsInPerSecond') ?? 0);
      const meanRate = rates.reduce((a, b) => a + b, 0) / Math.max(1, rates.length);
      if (meanRate > 0) skew = Math.max(skew, Math.max(...rates) / meanRate);
      if (sources.includes(vertex)) {
        records += rates.reduce((a, b) => a + b, 0);
        bytes += rates.reduce((a, b) => a + b, 0) * job.load.recordBytes;
      }
      subtasks.forEach((metrics, k) => {
        const usage = value(metrics, 'rocksdb.block-cache-usage');
        if (usage === undefined) return;
        const slot = `${job.slots[k]!.tmId}\u0000${k}`;
        const cache = cacheBySlot.get(slot) ?? { usage: 0, capacity: 0 };
        cache.usage += usage;
        cache.capacity = Math.max(cache.capacity, value(metrics, 'rocksdb.block-cache-capacity') ?? 0);
        cacheBySlot.set(slot, cache);
        hits += value(metrics, 'rocksdb.block_cache_hit') ?? 0;
        misses += value(metrics, 'rocksdb.block_cache_miss') ?? 0;
      });
    }
    s.recordsInPerSecond[i] = records;
    s.bytesInPerSecond[i] = bytes;
    const busiest = [...cacheBySlot.values()].sort((a, b) => b.usage - a.usage)[0];
    if (busiest) {
      s.blockCacheUsage[i] = busiest.usage;
      s.blockCacheCapacity[i] = busiest.capacity;
      if (hits + misses > 0) s.blockCacheHitRatio[i] = hits / (hits + misses);
    }
    s.subtaskSkew[i] = skew;
    s.stateBytes[i] = sim.checkpoints(jobId, t).stateSize;
    const d = sim.truth.demandAt(jobId, t);
    truth.heapLive[i] = d.heap;
    truth.need.heap[i] = d.heap / heapTargetOccupancy;
    truth.need.managed[i] = d.managed;
    truth.need.metaspace[i] = d.metaspace;
    truth.need.direct[i] = d.direct;
  });
  const mem = cluster.memory;
  const series: JobSeries = {
    jobId,
    deployment: {
      parallelism: job.parallelism,
      slotsPerTaskManager: cluster.slotsPerTm,
      taskManagers: tmIds.length,
      stateBackend: job.stateBackend,
      topology: {
        vertices: job.vertices.map((v) => ({ id: v.id, parallelism: v.parallelism })),
        edges: job.vertices.flatMap((v) => v.inputs.map((input) => ({ source: input.vertexId, target: v.id, shipStrategy: input.ship }))),
      },
      current: { heap: mem.jvmHeap, managed: mem.managed, metaspace: mem.metaspace, direct: mem.frameworkOffHeap + mem.taskOffHeap, network: mem.network },
    },
    ...s,
  };
  return { series, truth };
}
