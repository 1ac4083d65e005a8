import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFleetFile, formatFleetFile } from '../collector/fleet-file.ts';
import { generateFleet } from './fleet-generator.ts';
import { GcIntegrator, type GcRates } from './gc.ts';
import { IncidentTimeline } from './incidents.ts';
import { hitRatio } from './physics.ts';
import { startSimulator, type SimulatorHandle } from './server.ts';
import { Simulation } from './simulation.ts';
import type { FleetSpec, JobSpec } from './types.ts';

const DAY = 86_400_000;

async function get(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}

describe('fleet simulator over HTTP (Flink 1.20)', () => {
  let sim: SimulatorHandle;
  let oomJob: JobSpec;
  beforeAll(async () => {
    // Start three days in, frozen (tiny speed), so every request sees the same moment.
    const fleet = generateFleet({ jobs: 12, seed: 11, flinkVersion: '1.20' });
    sim = await startSimulator({ fleet, speed: 1e-9, startTime: fleet.epoch + 3 * DAY });
    oomJob = fleet.jobs.find((j) => j.provisioning === 'oom' && sim.simulation.incidents(j.id, fleet.epoch + 3 * DAY).length > 0)!;
  });
  afterAll(async () => sim?.close());

  it('a job whose heap is too small ends in OutOfMemoryError, restarts, and shows it in /exceptions', async () => {
    expect(oomJob).toBeDefined();
    const root = sim.restRoot(oomJob.cluster);
    const exceptions = await get(`${root}/jobs/${oomJob.id}/exceptions`);
    expect(exceptions.status).toBe(200);
    expect(exceptions.body.exceptionHistory.entries[0].exceptionName).toBe('java.lang.OutOfMemoryError');
    expect(exceptions.body['root-exception']).toMatch(/^java.lang.OutOfMemoryError/);
    expect(exceptions.body.exceptionHistory.entries[0].location).toBeDefined();
    const restarts = await get(`${root}/jobs/${oomJob.id}/metrics?get=numRestarts`);
    expect(Number(restarts.body[0].value)).toBeGreaterThan(0);
    // The ground truth agrees: the live set passed the heap it had.
    const heap = sim.fleet.clusters.find((c) => c.name === oomJob.cluster)!.memory.jvmHeap;
    const peak = sim.truth.peakDemand(oomJob.id, oomJob.startTime, sim.clock.now());
    expect(peak.heap).toBeGreaterThan(0.9 * heap);
  });

  it('serves TaskManager memoryConfiguration as Flink derives it, and metrics as strings', async () => {
    const cluster = sim.fleet.clusters[0]!;
    const root = sim.restRoot(cluster.name);
    const tms = await get(`${root}/taskmanagers`);
    const tm = tms.body.taskmanagers[0];
    expect(tm.memoryConfiguration.totalProcessMemory).toBe(cluster.memory.totalProcess);
    expect(tm.memoryConfiguration.taskHeap).toBe(cluster.memory.taskHeap);
    expect(tm.hardware.freeMemory).toBe(cluster.memory.jvmHeap);
    const list = await get(`${root}/taskmanagers/${encodeURIComponent(tm.id)}/metrics`);
    expect(list.body.map((m: { id: string }) => m.id)).toContain('Status.Network.TotalMemorySegments');
    const values = await get(`${root}/taskmanagers/${encodeURIComponent(tm.id)}/metrics?get=Status.JVM.Memory.Heap.Used,Status.JVM.Memory.Heap.Max,unknown.metric`);
    expect(values.body).toHaveLength(2);
    expect(typeof values.body[0].value).toBe('string');
    expect(Number(values.body[0].value)).toBeLessThanOrEqual(Number(values.body[1].value));
    const details = await get(`${root}/taskmanagers/${encodeURIComponent(tm.id)}`);
    expect(details.body.metrics.memorySegmentsTotal).toBeGreaterThan(0);
    const config = await get(`${root}/jobmanager/config`);
    expect(config.body).toContainEqual({ key: 'taskmanager.numberOfTaskSlots', value: String(cluster.slotsPerTm) });
  });

  it("answers unknown ids and paths with Flink's error bodies", async () => {
    const root = sim.restRoot(sim.fleet.clusters[0]!.name);
    const job = await get(`${root}/jobs/${'0'.repeat(32)}`);
    expect(job.status).toBe(404);
    expect(job.body.errors[0]).toMatch(/^org.apache.flink.runtime.rest.NotFoundException: Job 0{32} not found/);
    const path = await get(`${root}/no/such/path`);
    expect(path).toEqual({ status: 404, body: { errors: [`Not found: /clusters/${sim.fleet.clusters[0]!.name}/no/such/path`] } });
    const tm = await get(`${root}/taskmanagers/nope`);
    expect(tm.status).toBe(404);
    expect(tm.body.errors[0]).toContain('Could not find TaskExecutor nope');
    const v1 = await get(`${root}/v1/overview`);
    expect(v1.body['flink-version']).toBe('1.20.1');
  });

  it("names each job's own state backend in /checkpoints/config, where a session cluster's config cannot", async () => {
    const session = sim.fleet.clusters.find((c) => c.kind === 'session')!;
    const root = sim.restRoot(session.name);
    expect((await get(`${root}/jobmanager/config`)).body.some((e: { key: string }) => e.key.startsWith('state.backend'))).toBe(false);
    const served = [];
    for (const job of sim.fleet.jobs) {
      const config = await get(`${sim.restRoot(job.cluster)}/jobs/${job.id}/checkpoints/config`);
      expect(config.status).toBe(200);
      expect(config.body).toMatchObject({ mode: 'EXACTLY_ONCE', interval: job.checkpointIntervalMs, externalization: { enabled: true } });
      served.push([job.stateBackend, config.body.state_backend]);
    }
    expect(new Set(served.map(([, name]) => name))).toEqual(new Set(['EmbeddedRocksDBStateBackend', 'HashMapStateBackend']));
    for (const [kind, name] of served) expect(name).toBe(kind === 'rocksdb' ? 'EmbeddedRocksDBStateBackend' : 'HashMapStateBackend');
    const unknown = await get(`${root}/jobs/${'0'.repeat(32)}/checkpoints/config`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0]).toMatch(/Job 0{32} not found/);
  });

  it('aggregates subtask metrics with subtasks= and agg=', async () => {
    const job = sim.fleet.jobs.find((j) => j.vertices.some((v) => v.parallelism >= 3))!;
    const vertex = job.vertices.find((v) => v.parallelism >= 3)!;
    const root = sim.restRoot(job.cluster);
    const agg = await get(`${root}/jobs/${job.id}/vertices/${vertex.id}/subtasks/metrics?get=numRecordsInPerSecond&agg=max,sum&subtasks=0-1`);
    expect(Object.keys(agg.body[0]).sort()).toEqual(['id', 'max', 'sum']);
    const each = await get(`${root}/jobs/${job.id}/vertices/${vertex.id}/metrics?get=0.numRecordsInPerSecond,1.numRecordsInPerSecond`);
    const sum = each.body.reduce((s: number, m: { value: string }) => s + Number(m.value), 0);
    expect(agg.body[0].sum).toBeCloseTo(sum, 6);
  });

  it('serves Prometheus exposition with the reporter naming', async () => {
    const cluster = sim.fleet.clusters[0]!;
    const text = await (await fetch(`${sim.prometheusUrl}/clusters/${cluster.name}/metrics`)).text();
    const tm = cluster.taskManagers[0]!;
    expect(text).toContain('# TYPE flink_taskmanager_Status_JVM_Memory_Heap_Used gauge');
    expect(text).toMatch(new RegExp(`flink_taskmanager_Status_JVM_Memory_Heap_Used\\{host="${tm.host.replace(/\./g, '_')}",tm_id="${tm.id.replace(/[^a-zA-Z0-9:_]/g, '_')}"\\} \\d`));
    expect(text).toMatch(/flink_taskmanager_job_task_numRecordsInPerSecond\{[^}]*subtask_index="0"/);
  });

  it('writes a fleet file the collector can parse, with namespaces and budgets', () => {
    const parsed = parseFleetFile(formatFleetFile(sim.fleetFile));
    expect(parsed.clusters).toHaveLength(sim.fleet.clusters.length);
    expect(parsed.clusters.every((c) => c.namespace)).toBe(true);
    expect(parsed.budgets.length).toBeGreaterThanOrEqual(1);
    expect(parsed.clusters.some((c) => c.kind === 'session')).toBe(true);
  });
});

describe('simulated clock', () => {
  it('stamps every response with a Date header that follows the simulated clock under --speed', async () => {
    const fleet = generateFleet({ jobs: 3, seed: 2, flinkVersion: '1.20' });
    // A simulated hour per wall-clock second, from the fleet's epoch (not today): the wall clock cannot pass for it.
    const sim = await startSimulator({ fleet, speed: 3600 });
    const pause = () => new Promise((resolve) => setTimeout(resolve, 5)); // 5 ms of wall clock = 18 simulated seconds
    try {
      const job = fleet.jobs[0]!;
      const stamped = async (url: string) => {
        const before = sim.clock.now();
        const res = await fetch(url);
        const after = sim.clock.now();
        const date = res.headers.get('date')!;
        expect(date).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/);
        const t = Date.parse(date);
        expect(t).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
        expect(t).toBeLessThanOrEqual(after);
        return { t, body: res.headers.get('content-type')!.startsWith('application/json') ? await res.json() : await res.text() };
      };
      const first = await stamped(`${sim.restRoot(job.cluster)}/jobs/${job.id}`);
      // The body and the header come from the same moment: Flink's own `now` (ms) rounds down to the Date.
      expect(first.t).toBe(Math.floor((first.body as { now: number }).now / 1000) * 1000);
      expect(first.t).toBeLessThan(fleet.epoch + DAY);
      await pause();
      const later = await stamped(`${sim.prometheusUrl}/clusters/${job.cluster}/metrics`);
      expect(later.t).toBeGreaterThan(first.t);
      await pause();
      const missing = await stamped(`${sim.restUrl}/no/such/path`);
      expect(missing.t).toBeGreaterThan(later.t);
    } finally {
      await sim.close();
    }
  });
});

describe('version differences', () => {
  it('2.x sends only exceptionHistory, drops memorySegments* and Status.Network.*', async () => {
    const fleet = generateFleet({ jobs: 4, seed: 5, flinkVersion: '2.0' });
    const sim = await startSimulator({ fleet, speed: 1e-9, startTime: fleet.epoch + DAY });
    try {
      const job = fleet.jobs[0]!;
      const root = sim.restRoot(job.cluster);
      const exceptions = await get(`${root}/jobs/${job.id}/exceptions`);
      expect(Object.keys(exceptions.body)).toEqual(['exceptionHistory']);
      const tmId = fleet.clusters.find((c) => c.name === job.cluster)!.taskManagers[0]!.id;
      const details = await get(`${root}/taskmanagers/${encodeURIComponent(tmId)}`);
      expect(details.body.metrics.memorySegmentsTotal).toBeUndefined();
      expect(details.body.metrics.nettyShuffleMemorySegmentsTotal).toBeGreaterThan(0);
      const ids = (await get(`${root}/taskmanagers/${encodeURIComponent(tmId)}/metrics`)).body.map((m: { id: string }) => m.id);
      expect(ids).not.toContain('Status.Network.TotalMemorySegments');
      const config = await get(`${root}/jobs/${job.id}/config`);
      expect(config.body['execution-config']['execution-mode']).toBeUndefined();
    } finally {
      await sim.close();
    }
  });
});

describe('physics', () => {
  const fleet = generateFleet({ jobs: 12, seed: 11, flinkVersion: '1.20' });

  it('is deterministic for a seed, whatever order times are asked in', () => {
    const again = generateFleet({ jobs: 12, seed: 11, flinkVersion: '1.20' });
    expect(JSON.stringify(again)).toBe(JSON.stringify(fleet));
    const a = new Simulation(fleet);
    const b = new Simulation(again);
    const tm = fleet.clusters[1]!.taskManagers[0]!.id;
    const t1 = fleet.epoch + 2 * DAY + 12_345;
    const t2 = fleet.epoch + 5 * DAY;
    const first = [...a.taskManagerMetrics(tm, t1)];
    a.taskManagerMetrics(tm, t2);
    expect([...b.taskManagerMetrics(tm, t2)]).toEqual([...a.taskManagerMetrics(tm, t2)]);
    expect([...a.taskManagerMetrics(tm, t1)]).toEqual(first);
    expect(JSON.stringify(generateFleet({ jobs: 12, seed: 12, flinkVersion: '1.20' }))).not.toBe(JSON.stringify(fleet));
  });

  it('skipping days that cannot fail loses no OutOfMemoryError: the history equals probing every slot', () => {
    const screened = new Simulation(fleet);
    const everySlot = new Simulation(fleet);
    const t = fleet.epoch + 4 * DAY;
    let total = 0;
    for (const job of fleet.jobs) {
      const probed = new IncidentTimeline(job.startTime, (slot, restarts) => everySlot.oomProbe(job, slot, restarts), () => true).upTo(t);
      expect(screened.incidents(job.id, t)).toEqual(probed);
      total += probed.length;
    }
    expect(total).toBeGreaterThan(0);
  });

  it('GC counters integrate the rate exactly where it is linear, whatever order times are asked in', () => {
    // Young collections per second rising linearly from 2 to 2 + 3.6 over ten hours, pauses of 5 ms.
    const start = fleet.epoch;
    const rates = (t: number): GcRates => {
      const youngPerSecond = 2 + ((t - start) / 3_600_000) * 0.36;
      return { youngGen: 1, youngPerSecond, youngPauseMs: 5, oldPerSecond: 0, oldPauseMs: 0, timeRatio: 0 };
    };
    const exact = (t: number) => {
      const s = (t - start) / 1000;
      return 2 * s + (0.36 / 3600 / 2) * s * s;
    };
    const times = [7.25, 0.5, 3, 9.99, 1].map((h) => start + h * 3_600_000);
    const integrator = new GcIntegrator(start, rates);
    for (const t of times) {
      const totals = integrator.totalsAt(t);
      expect(totals.youngCount).toBeCloseTo(exact(t), 6);
      expect(totals.youngTimeMs).toBeCloseTo(5 * exact(t), 5);
      expect(new GcIntegrator(start, rates).totalsAt(t)).toEqual(totals);
    }
    expect(integrator.totalsAt(start - 1)).toEqual({ youngCount: 0, youngTimeMs: 0, oldCount: 0, oldTimeMs: 0 });
  });

  it('GC time never outruns the wall clock, on every TaskManager (an OOM-ing one included), whatever order times are asked in', () => {
    // Seed 7's `inventory-fanout` is sized below its peak: its JVM would want more than all of its time for GC.
    const heavy = generateFleet({ jobs: 30, seed: 7, flinkVersion: '1.20', taskManagers: 60 });
    const forward = new Simulation(heavy);
    const backward = new Simulation(heavy);
    const gcTime = ['G1_Young_Generation', 'G1_Old_Generation', 'All'].map((gc) => `Status.JVM.GarbageCollector.${gc}.Time`);
    // Irregular steps over four days: whole node intervals, partial ones, both sides of daily peaks.
    const times = Array.from({ length: 24 }, (_, i) => heavy.epoch + 3_600_000 + i * 4 * 3_600_000 + ((i * 7_919_000) % 3_600_000));
    const oomTms = new Set(heavy.jobs.filter((j) => j.provisioning === 'oom').map((j) => forward.hottestTm(j)));
    expect(oomTms.size).toBeGreaterThan(0);
    let worstRatio = 0;
    for (const [tmId, tm] of forward.taskManagers) {
      const seen = times.map((t) => forward.taskManagerMetrics(tmId, t));
      const reversed = [...times].reverse().map((t) => backward.taskManagerMetrics(tmId, t)).reverse();
      for (let i = 0; i < times.length; i++) {
        const t = times[i]!;
        expect(gcTime.map((id) => reversed[i]!.get(id)), `${tmId} at ${t}`).toEqual(gcTime.map((id) => seen[i]!.get(id)));
        expect(seen[i]!.get('Status.JVM.GarbageCollector.All.Time')!).toBeLessThanOrEqual(t - tm.startTime);
        expect(seen[i]!.get('Status.JVM.GarbageCollector.All.TimeMsPerSecond')!).toBeLessThanOrEqual(1000);
        if (i === 0) continue;
        const wall = t - times[i - 1]!;
        for (const id of gcTime) {
          const delta = seen[i]!.get(id)! - seen[i - 1]!.get(id)!;
          expect(delta, `${id} of ${tmId}`).toBeGreaterThanOrEqual(0);
          expect(delta, `${id} of ${tmId} over ${wall} ms`).toBeLessThanOrEqual(wall);
        }
        if (oomTms.has(tmId)) worstRatio = Math.max(worstRatio, (seen[i]!.get('Status.JVM.GarbageCollector.All.Time')! - seen[i - 1]!.get('Status.JVM.GarbageCollector.All.Time')!) / wall);
      }
    }
    // An OOM-ing TaskManager does reach the cap: the bound is tested where it binds.
    expect(worstRatio).toBeGreaterThan(0.9);
  });

  it('a heavier load raises the heap live set and GC time', () => {
    const heavier: FleetSpec = structuredClone(fleet);
    const job = heavier.jobs.find((j) => j.provisioning !== 'oom' && j.cluster === j.name)!;
    const light = new Simulation(fleet);
    job.load.baseRate *= 3;
    const heavy = new Simulation(heavier);
    const t = fleet.epoch + DAY;
    const tm = job.slots[0]!.tmId;
    const heapOf = (s: Simulation) => s.truth.demandAt(job.id, t).heap;
    const gcOf = (s: Simulation) => s.gcRatesAt(tm, t).timeRatio;
    expect(heapOf(heavy)).toBeGreaterThan(heapOf(light));
    expect(gcOf(heavy)).toBeGreaterThan(gcOf(light));
  });

  it('a larger block cache raises the RocksDB hit ratio', () => {
    expect(hitRatio(512 << 20, 1024 << 20)).toBeGreaterThan(hitRatio(128 << 20, 1024 << 20));
    const withRocks = fleet.jobs.find((j) => j.stateBackend === 'rocksdb' && j.cluster === j.name)!;
    const bigger: FleetSpec = structuredClone(fleet);
    const cluster = bigger.clusters.find((c) => c.name === withRocks.cluster)!;
    cluster.memory.managed *= 4;
    const tm = withRocks.slots[0]!.tmId;
    const t = fleet.epoch + DAY;
    expect(new Simulation(bigger).tmState(tm, t).hitRatio).toBeGreaterThan(new Simulation(fleet).tmState(tm, t).hitRatio);
  });

  it("ground truth counts a session job's own network buffers, not its neighbours'", () => {
    // Seed 12's session cluster has a TaskManager shared by two jobs.
    const s = new Simulation(generateFleet({ jobs: 12, seed: 12, flinkVersion: '1.20' }));
    const shared = [...s.taskManagers.keys()].find((tm) => new Set(s.placementsOn(tm).map((p) => p.job.id)).size > 1)!;
    expect(shared).toBeDefined();
    const jobIds = [...new Set(s.placementsOn(shared).map((p) => p.job.id))];
    // Jobs exchange no data: the TaskManager needs the sum of what each job's subtasks need there.
    expect(s.networkNeed(shared).buffers).toBe(jobIds.reduce((sum, id) => sum + s.networkNeed(shared, id).buffers, 0));
    const job = s.jobs.get(jobIds[0]!)!;
    const worst = (need: (tm: string) => number) => Math.max(...job.slots.map((slot) => need(slot.tmId)));
    expect(s.truth.demandAt(job.id, s.fleet.epoch).network).toBe(worst((tm) => s.networkNeed(tm, job.id).bytes));
    expect(s.truth.demandAt(job.id, s.fleet.epoch).network).toBeLessThan(worst((tm) => s.networkNeed(tm).bytes));
  });

  it('heap use saws between the live set and the young generation, and GC counters only grow', () => {
    const s = new Simulation(fleet);
    const tm = fleet.clusters[2]!.taskManagers[0]!.id;
    let lastCount = -1;
    let min = Infinity;
    let max = 0;
    for (let t = fleet.epoch; t < fleet.epoch + 3_600_000; t += 7_000) {
      const m = s.taskManagerMetrics(tm, t);
      const count = m.get('Status.JVM.GarbageCollector.G1_Young_Generation.Count')!;
      expect(count).toBeGreaterThanOrEqual(lastCount);
      lastCount = count;
      min = Math.min(min, m.get('Status.JVM.Memory.Heap.Used')!);
      max = Math.max(max, m.get('Status.JVM.Memory.Heap.Used')!);
    }
    expect(max - min).toBeGreaterThan(0.1 * min);
  });
});
