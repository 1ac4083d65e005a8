import { startSimulator } from '../simulator/server.ts';
import type { Bench, BenchRow } from './report.ts';

/**
 * Requests per second the simulator serves for a large fleet (1,000 jobs, ~20,000 TaskManagers;
 * quick: 40 jobs), over real loopback HTTP with 16 requests in flight, mixing the calls a
 * collector makes: TaskManager details and metrics, job details, vertex subtask aggregates.
 */
export const bench: Bench = {
  area: 'simulator',
  async run({ quick }) {
    const jobs = quick ? 40 : 1000;
    const started = performance.now();
    const memBefore = process.memoryUsage().heapUsed;
    const sim = await startSimulator({ jobs, seed: 1, taskManagers: quick ? 800 : 20_000, speed: 600 });
    const startupMs = performance.now() - started;
    const tms = sim.fleet.clusters.flatMap((c) => c.taskManagers.map((tm) => ({ cluster: c.name, id: tm.id })));
    const urls: string[] = [];
    for (let i = 0; urls.length < (quick ? 400 : 4000); i++) {
      const tm = tms[(i * 7919) % tms.length]!;
      const job = sim.fleet.jobs[(i * 104729) % sim.fleet.jobs.length]!;
      const vertex = job.vertices[i % job.vertices.length]!;
      const root = sim.restRoot(tm.cluster);
      const jobRoot = sim.restRoot(job.cluster);
      urls.push(
        `${root}/taskmanagers/${encodeURIComponent(tm.id)}/metrics?get=Status.JVM.Memory.Heap.Used,Status.JVM.GarbageCollector.G1_Young_Generation.Count,Status.Flink.Memory.Managed.Used`,
        `${root}/taskmanagers/${encodeURIComponent(tm.id)}`,
        `${jobRoot}/jobs/${job.id}`,
        `${jobRoot}/jobs/${job.id}/vertices/${vertex.id}/subtasks/metrics?get=numRecordsInPerSecond&agg=max,avg`,
      );
    }
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < urls.length) {
          const res = await fetch(urls[next++]!);
          if (res.status !== 200) throw new Error(`simulator answered ${res.status}`);
          await res.arrayBuffer();
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const memAfter = process.memoryUsage().heapUsed;
    await sim.close();
    const label = `${jobs} jobs, ${tms.length} TMs`;
    const rows: BenchRow[] = [
      { area: 'simulator', case: label, metric: 'requests served', value: urls.length / seconds, unit: 'req/s' },
      { area: 'simulator', case: label, metric: 'fleet generation + start', value: startupMs, unit: 'ms' },
      { area: 'simulator', case: label, metric: 'heap growth', value: (memAfter - memBefore) / 2 ** 20, unit: 'MiB' },
    ];
    return rows;
  },
};
