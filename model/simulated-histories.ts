import type { JobSeries, ShipStrategy } from '../features/job-series.ts';
import type { Simulation } from '../simulator/index.ts';
import type { TruthSeries } from './backtest/truth-series.ts';
import type { JobHistory } from './job-history.ts';

/**
 * The heap the advisor calls "needed": the live set at no more than this share of the heap, below
 * which G1 keeps GC time low (past ~80% occupancy concurrent marking falls behind and full
 * collections start).
 */
export const heapTargetOccupancy = 0.8;

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
  const col = () => new Float64Array(n);
  const s = {
    heapUsed: col(), heapAfterGc: col().fill(Number.NaN), managedUsed: col(), metaspaceUsed: col(), directUsed: col(), gcTimeRatio: col(),
    recordsInPerSecond: col(), bytesInPerSecond: col(), subtaskSkew: col(), stateBytes: col(),
  };
  const truth: TruthSeries = { t: Float64Array.from(times), need: { heap: col(), managed: col(), metaspace: col(), direct: col() }, heapLive: col() };
  const sources = job.vertices.filter((v) => v.inputs.length === 0);
  times.forEach((t, i) => {
    for (const tmId of tmIds) {
      const m = sim.taskManagerMetrics(tmId, t);
      const get = (id: string) => m.get(id) ?? Number.NaN;
      s.heapUsed[i] = Math.max(s.heapUsed[i]!, get('Status.JVM.Memory.Heap.Used'));
      s.managedUsed[i] = Math.max(s.managedUsed[i]!, get('Status.Flink.Memory.Managed.Used'));
      s.metaspaceUsed[i] = Math.max(s.metaspaceUsed[i]!, get('Status.JVM.Memory.Metaspace.Used'));
      // JVM direct memory includes the network pool's segments: the rest is "direct / other off-heap".
      s.directUsed[i] = Math.max(s.directUsed[i]!, get('Status.JVM.Memory.Direct.MemoryUsed') - get('Status.Shuffle.Netty.TotalMemory'));
      s.gcTimeRatio[i] = Math.max(s.gcTimeRatio[i]!, get('Status.JVM.GarbageCollector.All.TimeMsPerSecond') / 1000);
    }
    let skew = 1;
    for (const vertex of job.vertices) {
      const rates = sim.subtaskMetrics(jobId, vertex.id, t).map((metrics) => metrics.find((x) => x.name === 'numRecordsInPerSecond')?.value ?? 0);
      const meanRate = rates.reduce((a, b) => a + b, 0) / Math.max(1, rates.length);
      if (meanRate > 0) skew = Math.max(skew, Math.max(...rates) / meanRate);
      if (sources.includes(vertex)) {
        s.recordsInPerSecond[i]! += rates.reduce((a, b) => a + b, 0);
        s.bytesInPerSecond[i]! += rates.reduce((a, b) => a + b, 0) * job.load.recordBytes;
      }
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
        edges: job.vertices.flatMap((v) => v.inputs.map((input) => ({ source: input.vertexId, target: v.id, ship: input.ship as ShipStrategy }))),
      },
      current: { heap: mem.jvmHeap, managed: mem.managed, metaspace: mem.metaspace, direct: mem.frameworkOffHeap + mem.taskOffHeap, network: mem.network },
    },
    t: Float64Array.from(times),
    ...s,
  };
  return { series, truth };
}
