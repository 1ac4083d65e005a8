import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectLive } from '../collector/collect-live.ts';
import { spawnSimulator } from '../collector/testing/spawn-simulator.ts';
import { openStore } from '../store/history-store.ts';
import { startRun } from '../store/runs.ts';
import { HarvestWriter } from '../store/write-harvest.ts';
import type { Bench, BenchRow } from './report.ts';

/**
 * One full collection of a simulated fleet (1,000 jobs, ~20,000 TaskManagers) into a fresh
 * history store: wall time, requests/s, peak memory. The simulator runs in its own process so
 * the figures are the collector's (the machine's cores are still shared with it).
 */
export const bench: Bench = {
  area: 'collector',
  async run({ quick }) {
    const jobs = quick ? 20 : 1000;
    const taskManagers = quick ? 200 : 20_000;
    const sim = await spawnSimulator({ jobs, taskManagers, seed: 11 });
    const dir = await mkdtemp(join(tmpdir(), 'fma-bench-collector-'));
    const store = await openStore(join(dir, 'history.duckdb'));
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    try {
      const writer = new HarvestWriter(store.connection, await startRun(store.connection, 'fleet'));
      let samples = 0;
      let tms = 0;
      let failures = 0;
      let writeMs = 0;
      const started = performance.now();
      const live = await collectLive({
        targets: sim.fleetFile.clusters.map((c) => ({ name: c.name, restUrl: c.restUrl })),
        concurrency: 32,
        timeoutMs: 30_000,
        onHarvest: async (harvest) => {
          const t = performance.now();
          await writer.add(harvest);
          writeMs += performance.now() - t;
          samples += harvest.samples.length;
          tms += new Set(harvest.taskManagers.map((x) => x.tmId)).size;
          failures += harvest.failures.length;
        },
      });
      const flushStart = performance.now();
      await writer.flush();
      writeMs += performance.now() - flushStart;
      const seconds = (performance.now() - started) / 1000;
      const label = `${jobs} jobs, ${tms} TMs, ${live.clusters} clusters`;
      const rows: BenchRow[] = [
        { area: 'collector', case: label, metric: 'wall time (collect + store)', value: seconds, unit: 's', ratio: { vs: '60 s target', value: seconds / 60 } },
        { area: 'collector', case: label, metric: 'requests', value: live.requests, unit: 'requests' },
        { area: 'collector', case: label, metric: 'throughput', value: live.requests / seconds, unit: 'requests/s' },
        { area: 'collector', case: label, metric: 'samples stored', value: samples, unit: 'samples' },
        { area: 'collector', case: label, metric: 'store write time (overlaps collection)', value: writeMs / 1000, unit: 's' },
        { area: 'collector', case: label, metric: 'peak RSS', value: peakRss / 2 ** 20, unit: 'MiB' },
        { area: 'collector', case: label, metric: 'failed requests', value: failures, unit: 'requests' },
      ];
      return rows;
    } finally {
      clearInterval(sampler);
      store.close();
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
