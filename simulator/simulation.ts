import { GcIntegrator, gcRates, type GcRates, type GcTotals } from './gc.ts';
import { IncidentTimeline, type Incident } from './incidents.ts';
import { DAY_MS, dayPeakLoadFactor, loadFactor, SLOT_MS, stateBytes } from './load.ts';
import type { PlacedNetworkNeed } from '../flink/network-need.ts';
import { bufferNeed } from './network-buffers.ts';
import { CALIBRATION, heapDemand, metaspaceClasses, subtaskState, taskManagerState, type Placement, type TaskManagerState } from './physics.ts';
import { keyOf, noiseAt } from './random.ts';
import { GroundTruth } from './truth.ts';
import type { ClusterSpec, FleetSpec, JobSpec, TaskManagerSpec } from './types.ts';

const MiB = 1 << 20;

export interface JobStatus {
  state: 'RUNNING' | 'RESTARTING';
  restarts: number;
  /** When the current attempt started running (job start, or the end of the last restart). */
  attemptStart: number;
  incidents: Incident[];
}

/** A metric of one subtask: task scope, or operator scope when `operator` is set. */
export interface SubtaskMetric {
  operator?: string;
  name: string;
  value: number;
}

/**
 * The fleet in motion: answers what Flink would report for any TaskManager, job or subtask at
 * simulated time t, computed on demand from the fleet spec. Only small memos of fixed size per
 * TaskManager or job are kept (one GC integration node, network buffer needs, the distinct jobs of
 * a TaskManager, each job's OOM history and hottest TaskManager).
 */
export class Simulation {
  readonly clusters = new Map<string, ClusterSpec>();
  readonly jobs = new Map<string, JobSpec>();
  readonly taskManagers = new Map<string, TaskManagerSpec>();
  readonly truth: GroundTruth;
  readonly is2x: boolean;
  private readonly placements = new Map<string, Placement[]>();
  private readonly tmJobs = new Map<readonly Placement[], JobSpec[]>();
  private readonly jobKeys = new Map<string, number>();
  private readonly gc = new Map<string, GcIntegrator>();
  private readonly timelines = new Map<string, IncidentTimeline>();
  private readonly buffers = new Map<string, PlacedNetworkNeed>();
  private readonly hottest = new Map<string, string>();

  constructor(readonly fleet: FleetSpec) {
    this.is2x = Number.parseInt(fleet.flinkVersion, 10) >= 2;
    for (const c of fleet.clusters) {
      this.clusters.set(c.name, c);
      for (const tm of c.taskManagers) {
        this.taskManagers.set(tm.id, tm);
        this.placements.set(tm.id, []);
      }
    }
    for (const job of fleet.jobs) {
      this.jobs.set(job.id, job);
      this.jobKeys.set(job.id, keyOf(job.id));
      for (const vertex of job.vertices) {
        for (let i = 0; i < vertex.parallelism; i++) {
          const at = job.slots[i]!;
          this.placements.get(at.tmId)!.push({ job, vertex, subtask: i, slot: at.slot });
        }
      }
    }
    this.truth = new GroundTruth(this);
  }

  clusterOf(tm: TaskManagerSpec): ClusterSpec {
    return this.clusters.get(tm.cluster)!;
  }

  placementsOn(tmId: string): readonly Placement[] {
    return this.placements.get(tmId) ?? [];
  }

  /** TaskManager state at t; with `onlyJob`, as if that job ran alone on it (the ground truth's view). */
  tmState(tmId: string, t: number, onlyJob?: string): TaskManagerState {
    const tm = this.taskManagers.get(tmId)!;
    const all = this.placementsOn(tmId);
    const placements = onlyJob ? all.filter((p) => p.job.id === onlyJob) : all;
    return taskManagerState(this.fleet.seed, this.clusterOf(tm), placements, this.jobKeys, t, (job) => this.restartsBefore(job, t));
  }

  /** G1 rates at t; `windowFill` pins window contents (default: where each window is at t). */
  gcRatesAt(tmId: string, t: number, windowFill?: number): GcRates {
    const tm = this.taskManagers.get(tmId)!;
    const heap = heapDemand(this.clusterOf(tm).slotsPerTm, this.placementsOn(tmId), t, (job) => this.loadAt(job, t), windowFill);
    return gcRates(Math.min(heap.live, this.heapMax(tm)), heap.allocationPerSecond, this.heapMax(tm));
  }

  /** The job's load factor at t (relative to its weekly mean). */
  loadAt(job: JobSpec, t: number): number {
    return loadFactor(job.load, this.fleet.seed, this.jobKeys.get(job.id)!, t);
  }

  gcTotals(tmId: string, t: number): GcTotals {
    let integrator = this.gc.get(tmId);
    if (!integrator) {
      // Windows at their mean fill: hourly nodes would otherwise all see the same phase of 1-60 minute windows.
      integrator = new GcIntegrator(this.taskManagers.get(tmId)!.startTime, (at) => this.gcRatesAt(tmId, at, 0.5));
      this.gc.set(tmId, integrator);
    }
    return integrator.totalsAt(t);
  }

  heapMax(tm: TaskManagerSpec): number {
    return this.clusterOf(tm).memory.jvmHeap;
  }

  /** Network buffers the TaskManager's subtasks need; with `onlyJob`, that job's alone (the ground truth's view). */
  networkNeed(tmId: string, onlyJob?: string): PlacedNetworkNeed {
    const key = onlyJob === undefined ? tmId : `${tmId}\u0000${onlyJob}`;
    let need = this.buffers.get(key);
    if (!need) {
      const all = this.placementsOn(tmId);
      need = bufferNeed(tmId, onlyJob === undefined ? all : all.filter((p) => p.job.id === onlyJob), this.clusterOf(this.taskManagers.get(tmId)!).segmentSize);
      this.buffers.set(key, need);
    }
    return need;
  }

  /** OOM incidents of a job up to t, oldest first. */
  incidents(jobId: string, t: number): Incident[] {
    return this.timeline(this.jobs.get(jobId)!).upTo(t);
  }

  jobStatus(jobId: string, t: number): JobStatus {
    const job = this.jobs.get(jobId)!;
    const incidents = this.incidents(jobId, t);
    const last = incidents[incidents.length - 1];
    const attemptStart = last ? last.t + job.restartDelayMs : job.startTime;
    return { state: t < attemptStart ? 'RESTARTING' : 'RUNNING', restarts: incidents.length, attemptStart, incidents };
  }

  private restartsBefore(job: JobSpec, t: number): number {
    return job.metaspaceLeakPerRestart > 0 ? this.timeline(job).countUpTo(t) : 0;
  }

  private timeline(job: JobSpec): IncidentTimeline {
    let timeline = this.timelines.get(job.id);
    if (!timeline) {
      timeline = new IncidentTimeline(
        job.startTime,
        (slot, restartsSoFar) => this.oomProbe(job, slot, restartsSoFar),
        (day, restartsSoFar) => this.mayOomOn(job, day, restartsSoFar),
      );
      this.timelines.set(job.id, timeline);
    }
    return timeline;
  }

  /** The OOM probe of one 10-minute slot: at a seeded moment in it, does the job's hottest TaskManager run out of heap or metaspace? */
  oomProbe(job: JobSpec, slot: number, restartsSoFar: number): Incident | undefined {
    const t = Math.floor((slot + noiseAt(this.fleet.seed, this.jobKeys.get(job.id)! ^ 0x5bd1e995, slot)) * SLOT_MS);
    const tmId = this.hottestTm(job);
    const cluster = this.clusterOf(this.taskManagers.get(tmId)!);
    const placements = this.placementsOn(tmId);
    const failure = this.oomKind(job, cluster, placements, t, (j) => this.loadAt(j, t), restartsSoFar);
    if (!failure) return undefined;
    const culprit = placements.filter((p) => p.job.id === job.id).reduce((a, b) => (b.vertex.stateShare > a.vertex.stateShare ? b : a));
    return { t, kind: failure, tmId, vertexName: culprit.vertex.name, subtask: culprit.subtask };
  }

  /**
   * Whether any probe of a UTC day could find an OOM: the live set is bounded by every job on the
   * TaskManager at its day's peak load, windows about to fire and the state of the day's end (load,
   * windows and state all only raise it), and metaspace cannot change without a restart.
   */
  mayOomOn(job: JobSpec, day: number, restartsSoFar: number): boolean {
    const tmId = this.hottestTm(job);
    const cluster = this.clusterOf(this.taskManagers.get(tmId)!);
    const dayStart = day * DAY_MS;
    // A hair of margin against rounding: the bound multiplies the same factors in another order.
    const bound = (j: JobSpec) => dayPeakLoadFactor(j.load, dayStart) * (1 + 1e-9);
    return this.oomKind(job, cluster, this.placementsOn(tmId), dayStart + DAY_MS, bound, restartsSoFar, 1) !== undefined;
  }

  private oomKind(
    job: JobSpec,
    cluster: ClusterSpec,
    placements: readonly Placement[],
    t: number,
    loadOf: (job: JobSpec) => number,
    restartsSoFar: number,
    windowFill?: number,
  ): Incident['kind'] | undefined {
    // Only this job's own leak counts here: asking co-located jobs' timelines would recurse.
    if (metaspaceClasses(this.jobsOnTm(placements), (j) => (j.id === job.id ? restartsSoFar : 0)) > cluster.memory.metaspace) return 'metaspace';
    if (heapDemand(cluster.slotsPerTm, placements, t, loadOf, windowFill).live > CALIBRATION.oomHeapShare * cluster.memory.jvmHeap) return 'heap';
    return undefined;
  }

  /** The job's TaskManager with the largest live set a day after start: where an OOM strikes first. */
  hottestTm(job: JobSpec): string {
    let id = this.hottest.get(job.id);
    if (!id) {
      const probeAt = job.startTime + 86_400_000;
      let best = -1;
      for (const tmId of new Set(job.slots.map((s) => s.tmId))) {
        const tm = this.taskManagers.get(tmId)!;
        const live = heapDemand(this.clusterOf(tm).slotsPerTm, this.placementsOn(tmId), probeAt, (j) => this.loadAt(j, probeAt)).live;
        if (live > best) {
          best = live;
          id = tmId;
        }
      }
      this.hottest.set(job.id, id!);
    }
    return id!;
  }

  /** Every TaskManager-scope metric Flink would list for this TaskManager, by its REST id. */
  taskManagerMetrics(tmId: string, t: number): Map<string, number> {
    const tm = this.taskManagers.get(tmId)!;
    const cluster = this.clusterOf(tm);
    const mem = cluster.memory;
    const s = this.tmState(tmId, t);
    const heapMax = mem.jvmHeap;
    const live = Math.min(s.heapLive, heapMax * 0.995);
    const rates = gcRates(live, s.allocationPerSecond, heapMax);
    const totals = this.gcTotals(tmId, t);
    // The sawtooth: used climbs by the young generation between collections, back to the live set after each.
    const sinceLastGc = totals.youngCount - Math.floor(totals.youngCount);
    const heapUsed = Math.min(heapMax, Math.round(live + rates.youngGen * sinceLastGc));
    const metaspaceUsed = Math.min(mem.metaspace, Math.round(s.metaspaceClasses));
    const totalSegments = Math.floor(mem.network / cluster.segmentSize);
    const need = this.networkNeed(tmId);
    const load = this.averageLoad(tmId, t);
    const usedSegments = Math.min(totalSegments, Math.round(need.exclusiveBuffers + (need.desirableBuffers - need.exclusiveBuffers) * Math.min(1, 0.4 * load)));
    const directUsed = Math.round(s.directOther) + totalSegments * cluster.segmentSize;
    const m = new Map<string, number>();
    const put = (id: string, v: number) => m.set(id, v);
    put('Status.JVM.Memory.Heap.Used', heapUsed);
    put('Status.JVM.Memory.Heap.Committed', heapMax);
    put('Status.JVM.Memory.Heap.Max', heapMax);
    put('Status.JVM.Memory.NonHeap.Used', metaspaceUsed + 48 * MiB);
    put('Status.JVM.Memory.NonHeap.Committed', Math.round(metaspaceUsed * 1.04) + 52 * MiB);
    put('Status.JVM.Memory.NonHeap.Max', -1);
    put('Status.JVM.Memory.Metaspace.Used', metaspaceUsed);
    put('Status.JVM.Memory.Metaspace.Committed', Math.min(mem.metaspace, Math.round(metaspaceUsed * 1.04)));
    put('Status.JVM.Memory.Metaspace.Max', mem.metaspace);
    put('Status.JVM.Memory.Direct.Count', totalSegments + 200 + s.subtasks.length * 16);
    put('Status.JVM.Memory.Direct.MemoryUsed', directUsed);
    put('Status.JVM.Memory.Direct.TotalCapacity', directUsed);
    put('Status.JVM.Memory.Mapped.Count', 0);
    put('Status.JVM.Memory.Mapped.MemoryUsed', 0);
    put('Status.JVM.Memory.Mapped.TotalCapacity', 0);
    put('Status.Flink.Memory.Managed.Used', s.managedUsed);
    put('Status.Flink.Memory.Managed.Total', mem.managed);
    const young = 'Status.JVM.GarbageCollector.G1_Young_Generation';
    const old = 'Status.JVM.GarbageCollector.G1_Old_Generation';
    put(`${young}.Count`, Math.floor(totals.youngCount));
    put(`${young}.Time`, Math.floor(totals.youngTimeMs));
    put(`${old}.Count`, Math.floor(totals.oldCount));
    put(`${old}.Time`, Math.floor(totals.oldTimeMs));
    put(`${young}.TimeMsPerSecond`, rates.youngPerSecond * rates.youngPauseMs);
    put(`${old}.TimeMsPerSecond`, rates.oldPerSecond * rates.oldPauseMs);
    put('Status.JVM.GarbageCollector.All.Count', Math.floor(totals.youngCount) + Math.floor(totals.oldCount));
    put('Status.JVM.GarbageCollector.All.Time', Math.floor(totals.youngTimeMs) + Math.floor(totals.oldTimeMs));
    put('Status.JVM.GarbageCollector.All.TimeMsPerSecond', rates.timeRatio * 1000);
    const cpu = Math.min(1, 0.05 + 0.25 * load * (s.subtasks.length / Math.max(1, tm.cpuCores)) + rates.timeRatio * 0.5);
    put('Status.JVM.CPU.Load', cpu);
    put('Status.JVM.CPU.Time', Math.floor(((t - tm.startTime) / 1000) * cpu * tm.cpuCores * 1e9));
    put('Status.JVM.Threads.Count', 60 + s.subtasks.length * 6);
    put('Status.JVM.ClassLoader.ClassesLoaded', Math.round(metaspaceUsed / 2600));
    put('Status.JVM.ClassLoader.ClassesUnloaded', 0);
    put('Status.Shuffle.Netty.TotalMemorySegments', totalSegments);
    put('Status.Shuffle.Netty.UsedMemorySegments', usedSegments);
    put('Status.Shuffle.Netty.AvailableMemorySegments', totalSegments - usedSegments);
    put('Status.Shuffle.Netty.TotalMemory', totalSegments * cluster.segmentSize);
    put('Status.Shuffle.Netty.UsedMemory', usedSegments * cluster.segmentSize);
    put('Status.Shuffle.Netty.AvailableMemory', (totalSegments - usedSegments) * cluster.segmentSize);
    put('Status.Shuffle.Netty.RequestedMemoryUsage', totalSegments > 0 ? Math.round((100 * usedSegments) / totalSegments) : 0);
    if (!this.is2x) {
      // Deprecated aliases, removed in 2.0.
      put('Status.Network.TotalMemorySegments', totalSegments);
      put('Status.Network.AvailableMemorySegments', totalSegments - usedSegments);
    }
    return m;
  }

  private averageLoad(tmId: string, t: number): number {
    const jobs = this.jobsOnTm(this.placementsOn(tmId));
    if (jobs.length === 0) return 0;
    let sum = 0;
    for (const job of jobs) sum += this.loadAt(job, t);
    return sum / jobs.length;
  }

  /** The distinct jobs of a TaskManager's placements (memoized: placements never change). */
  private jobsOnTm(placements: readonly Placement[]): JobSpec[] {
    let jobs = this.tmJobs.get(placements);
    if (!jobs) {
      jobs = [...new Set(placements.map((p) => p.job))];
      this.tmJobs.set(placements, jobs);
    }
    return jobs;
  }

  /** Task- and operator-scope metrics of each subtask of a vertex. */
  subtaskMetrics(jobId: string, vertexId: string, t: number): SubtaskMetric[][] {
    const job = this.jobs.get(jobId)!;
    const vertex = job.vertices.find((v) => v.id === vertexId)!;
    const status = this.jobStatus(jobId, t);
    const uptimeSeconds = Math.max(0, t - status.attemptStart) / 1000;
    const out: SubtaskMetric[][] = [];
    // TaskManager state only for the block cache hit ratio (RocksDB native metrics).
    const byTm = new Map<string, TaskManagerState>();
    const tmStateOf = (tmId: string) => {
      let state = byTm.get(tmId);
      if (!state) {
        state = this.tmState(tmId, t);
        byTm.set(tmId, state);
      }
      return state;
    };
    const operator = operatorMetricName(vertex.name);
    const consumers = job.vertices.filter((v) => v.inputs.some((i) => i.vertexId === vertex.id));
    const load = this.loadAt(job, t);
    for (let i = 0; i < vertex.parallelism; i++) {
      const { tmId, slot } = job.slots[i]!;
      const s = subtaskState(load, { job, vertex, subtask: i, slot }, t);
      const running = status.state === 'RUNNING';
      const recordsIn = running ? s.recordsInPerSecond : 0;
      const outFactor = consumers.length === 0 ? 0 : consumers[0]!.rateFactor / Math.max(1e-9, vertex.rateFactor);
      // A subtask can process about 25k records/s per core; past that it backpressures its inputs.
      const busy = Math.min(1000, (recordsIn / 25_000) * 1000 + 10);
      const backpressured = busy > 950 ? 0 : Math.max(0, Math.min(1000 - busy, (recordsIn / 25_000 - 0.8) * 1000));
      const inPool = Math.min(1, busy / 1000);
      const meanRate = job.load.baseRate * vertex.rateFactor * (vertex.subtaskWeights[i] ?? 0);
      const metrics: SubtaskMetric[] = [
        { name: 'numRecordsIn', value: Math.floor(meanRate * uptimeSeconds) },
        { name: 'numRecordsOut', value: Math.floor(meanRate * outFactor * uptimeSeconds) },
        { name: 'numBytesIn', value: Math.floor(meanRate * job.load.recordBytes * uptimeSeconds) },
        { name: 'numRecordsInPerSecond', value: recordsIn },
        { name: 'numRecordsOutPerSecond', value: recordsIn * outFactor },
        { name: 'numBytesInPerSecond', value: recordsIn * job.load.recordBytes },
        { name: 'busyTimeMsPerSecond', value: running ? busy : 0 },
        { name: 'backPressuredTimeMsPerSecond', value: running ? backpressured : 0 },
        { name: 'idleTimeMsPerSecond', value: running ? Math.max(0, 1000 - busy - backpressured) : 1000 },
        { name: 'isBackPressured', value: backpressured > 100 ? 1 : 0 },
        { name: 'Shuffle.Netty.Input.Buffers.inPoolUsage', value: inPool },
        { name: 'Shuffle.Netty.Output.Buffers.outPoolUsage', value: Math.min(1, backpressured / 1000 + 0.05) },
      ];
      if (!this.is2x) {
        metrics.push({ name: 'buffers.inPoolUsage', value: inPool }, { name: 'buffers.outPoolUsage', value: Math.min(1, backpressured / 1000 + 0.05) });
      }
      if (vertex.stateName && job.stateBackend === 'rocksdb' && job.rocksdbNativeMetrics) {
        const slotManaged = Math.floor(this.clusterOf(this.taskManagers.get(tmId)!).memory.managed / this.clusterOf(this.taskManagers.get(tmId)!).slotsPerTm);
        const reads = meanRate * 2 * uptimeSeconds;
        const hitRatio = tmStateOf(tmId).hitRatio;
        const hit = Number.isNaN(hitRatio) ? 0 : hitRatio;
        metrics.push(
          { operator, name: `${vertex.stateName}.rocksdb.block-cache-capacity`, value: slotManaged },
          { operator, name: `${vertex.stateName}.rocksdb.block-cache-usage`, value: Math.round(Math.min(slotManaged, s.workingSet + CALIBRATION.memtablesPerSubtask)) },
          { operator, name: `${vertex.stateName}.rocksdb.block-cache-pinned-usage`, value: Math.round(Math.min(slotManaged * 0.1, s.workingSet * 0.02)) },
          { operator, name: `${vertex.stateName}.rocksdb.estimate-live-data-size`, value: Math.round(s.stateBytes) },
          { operator, name: `${vertex.stateName}.rocksdb.size-all-mem-tables`, value: Math.round(Math.min(CALIBRATION.memtablesPerSubtask, slotManaged * 0.5)) },
          { operator, name: 'rocksdb.block_cache_hit', value: Math.floor(reads * hit) },
          { operator, name: 'rocksdb.block_cache_miss', value: Math.floor(reads * (1 - hit)) },
        );
      }
      out.push(metrics);
    }
    return out;
  }

  /** Job-scope metrics of the JobManager (numRestarts, uptime, checkpoint sizes). */
  jobMetrics(jobId: string, t: number): Map<string, number> {
    const status = this.jobStatus(jobId, t);
    const cp = this.checkpoints(jobId, t);
    const m = new Map<string, number>();
    m.set('numRestarts', status.restarts);
    m.set('fullRestarts', status.restarts);
    m.set('uptime', status.state === 'RUNNING' ? t - status.attemptStart : 0);
    m.set('downtime', status.state === 'RESTARTING' ? t - (status.incidents.at(-1)?.t ?? t) : 0);
    m.set('restartingTime', status.state === 'RESTARTING' ? t - (status.incidents.at(-1)?.t ?? t) : 0);
    m.set('totalNumberOfCheckpoints', cp.completed + cp.failed);
    m.set('numberOfCompletedCheckpoints', cp.completed);
    m.set('numberOfFailedCheckpoints', cp.failed);
    m.set('numberOfInProgressCheckpoints', 0);
    m.set('lastCheckpointSize', cp.checkpointedSize);
    m.set('lastCheckpointFullSize', cp.stateSize);
    m.set('lastCheckpointDuration', cp.durationMs);
    return m;
  }

  /** Checkpoint statistics at t: one per interval since the job started, a few failed at restarts. */
  checkpoints(jobId: string, t: number): { completed: number; failed: number; stateSize: number; checkpointedSize: number; durationMs: number; lastTrigger: number } {
    const job = this.jobs.get(jobId)!;
    const elapsed = Math.max(0, t - job.startTime);
    const status = this.jobStatus(jobId, t);
    const total = Math.floor(elapsed / job.checkpointIntervalMs);
    const failed = status.restarts;
    const lastTrigger = job.startTime + total * job.checkpointIntervalMs;
    const stateSize = Math.round(stateBytes(job.state, job.startTime, lastTrigger) * job.vertices.reduce((s, v) => s + v.stateShare, 0));
    // Incremental RocksDB checkpoints upload only new SST files; full snapshots carry everything.
    const checkpointedSize = job.stateBackend === 'rocksdb' ? Math.round(stateSize * 0.08 + 64 * 1024) : stateSize;
    const durationMs = Math.round(300 + checkpointedSize / (50 * MiB) * 1000);
    return { completed: Math.max(0, total - failed), failed, stateSize, checkpointedSize, durationMs, lastTrigger };
  }
}

/** How Flink shows an operator in metric ids: the first chained operator, filtered, cut to 80 characters. */
export function operatorMetricName(vertexName: string): string {
  const first = vertexName.split(' -> ')[0]!;
  return first.replace(/[ .:,]/g, '_').slice(0, 80);
}
