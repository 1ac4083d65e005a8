import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Agent, request } from 'undici';
import { jobManagerMetricIds, jobMetricIds, subtaskMetricIds, taskManagerMetricIds } from '../collector/metric-ids.ts';
import { startSimulator, type SimulatorHandle } from '../simulator/server.ts';
import type { Bench, BenchRow } from './report.ts';

const IN_FLIGHT = 16;

/**
 * One full collection of a large fleet (1,000 jobs, ~20,000 TaskManagers; quick: 40 jobs, ~800)
 * over real loopback HTTP with keep-alive and 16 requests in flight, asking what `fma collect`
 * asks: per cluster the overview, lists and configs; every TaskManager's details and metrics;
 * every job's details, config, checkpoints, exceptions and metrics; every vertex's details and
 * subtask aggregates (and metric list where RocksDB metrics are on). The first pass is cold (GC
 * counters and OOM history of each TaskManager and job are built on first touch), the second warm.
 * Client and simulator share this process, so the figures include the client's cost.
 */
export const bench: Bench = {
  area: 'simulator',
  async run({ quick }) {
    const jobs = quick ? 40 : 1000;
    const memBefore = retainedHeap();
    const started = performance.now();
    const sim = await startSimulator({ jobs, seed: 1, taskManagers: quick ? 800 : 20_000, speed: 600 });
    const startupMs = performance.now() - started;
    const agent = new Agent({ connections: IN_FLIGHT, keepAliveTimeout: 30_000 });
    try {
      const { requests, cold, warm } = await collectTwice(sim, agent);
      const memAfter = retainedHeap();
      const tms = sim.fleet.clusters.reduce((s, c) => s + c.taskManagers.length, 0);
      const label = `${jobs} jobs, ${tms} TMs, ${requests} requests`;
      const rows: BenchRow[] = [
        { area: 'simulator', case: label, metric: 'full collection, cold (first touch)', value: cold, unit: 's' },
        { area: 'simulator', case: label, metric: 'requests served, cold', value: requests / cold, unit: 'req/s' },
        {
          area: 'simulator', case: label, metric: 'requests served, warm', value: requests / warm, unit: 'req/s',
          ratio: { vs: 'cold', value: cold / warm },
        },
        { area: 'simulator', case: label, metric: 'fleet generation + start', value: startupMs, unit: 'ms' },
        { area: 'simulator', case: label, metric: 'heap retained after both (fleet + memos)', value: (memAfter - memBefore) / 2 ** 20, unit: 'MiB' },
      ];
      return rows;
    } finally {
      await agent.close();
      await sim.close();
    }
  },
};

/** Two full collections, first touch then again: seconds each. */
async function collectTwice(sim: SimulatorHandle, agent: Agent): Promise<{ requests: number; cold: number; warm: number }> {
  const urls = collectionUrls(sim);
  const cold = await fetchAll(urls, agent);
  const warm = await fetchAll(urls, agent);
  return { requests: urls.length, cold, warm };
}

/** Heap in use after a full garbage collection: what the simulator keeps, not what it has yet to free. */
function retainedHeap(): number {
  // The bench runs without --expose-gc; this is V8's documented way to reach gc() from a running process.
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

/** The requests of one poll of every cluster, as the live collector makes them. */
function collectionUrls(sim: SimulatorHandle): string[] {
  const ids = (list: readonly string[]) => list.map(encodeURIComponent).join(',');
  const urls: string[] = [];
  for (const cluster of sim.fleet.clusters) {
    const root = sim.restRoot(cluster.name);
    urls.push(`${root}/overview`, `${root}/jobs/overview`, `${root}/taskmanagers`, `${root}/jobmanager/config`, `${root}/jobmanager/metrics?get=${ids(jobManagerMetricIds)}`);
    for (const tm of cluster.taskManagers) {
      const tmRoot = `${root}/taskmanagers/${encodeURIComponent(tm.id)}`;
      urls.push(tmRoot, `${tmRoot}/metrics?get=${ids(taskManagerMetricIds)}`);
    }
    for (const jobId of cluster.jobIds) {
      const job = sim.simulation.jobs.get(jobId)!;
      const base = `${root}/jobs/${job.id}`;
      urls.push(base, `${base}/config`, `${base}/checkpoints`, `${base}/exceptions`, `${base}/metrics?get=${ids(jobMetricIds)}`, `${base}/jobmanager/config`);
      for (const vertex of job.vertices) {
        urls.push(`${base}/vertices/${vertex.id}`, `${base}/vertices/${vertex.id}/subtasks/metrics?get=${ids(subtaskMetricIds)}&agg=min,max,avg,sum`);
        if (job.rocksdbNativeMetrics) urls.push(`${base}/vertices/${vertex.id}/metrics`);
      }
    }
  }
  return urls;
}

/** Fetches every URL with IN_FLIGHT requests at a time; returns the seconds it took. */
async function fetchAll(urls: readonly string[], dispatcher: Agent): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < urls.length) {
        const url = urls[next++]!;
        const res = await request(url, { dispatcher });
        await res.body.arrayBuffer();
        if (res.statusCode !== 200) throw new Error(`simulator answered ${res.statusCode} to ${url}`);
      }
    }),
  );
  return (performance.now() - t0) / 1000;
}
