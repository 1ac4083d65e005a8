import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFleetFile } from '../collector/fleet-file.ts';
import { startSimulator, type SimulatorHandle } from '../simulator/index.ts';
import { openStore } from '../store/history-store.ts';
import { runCli } from '../test-support/run-cli.ts';
import { tempDir } from '../test-support/temp-dir.ts';
import { extractFeatures } from './job-features.ts';
import type { JobSeries } from './job-series.ts';
import { ingestRecordings } from './recording-store.ts';
import { pollGapMs } from './store-series.sql.ts';
import { loadJobSeries } from './store-series.ts';

const outsideCapture = fileURLToPath(new URL('../collector/fixtures/independent-capture.jsonl', import.meta.url));
let dir: string;

beforeAll(async () => {
  dir = await tempDir('fma-series-');
});

const finite = (a: Float64Array) => a.filter(Number.isFinite);

describe('loadJobSeries on a store the real collector filled from the simulator', () => {
  let sim: SimulatorHandle;
  let series: JobSeries[];
  let storePath: string;
  beforeAll(async () => {
    sim = await startSimulator({ jobs: 4, seed: 11 });
    const fleet = join(dir, 'fleet.yaml');
    await writeFile(fleet, formatFleetFile(sim.fleetFile));
    storePath = join(dir, 'sim.duckdb');
    const run = await runCli(['collect', '--fleet', fleet, '--store', storePath, '--duration', '7s', '--interval', '3s']);
    expect(run.code, run.stderr).toBe(0);
    const store = await openStore(storePath, { readOnly: true });
    try {
      series = await loadJobSeries(store);
    } finally {
      store.close();
    }
  }, 60_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('gives every job its deployment exactly as the simulator runs it', () => {
    expect(series.map((s) => s.jobId).sort()).toEqual([...sim.fleet.jobs.map((j) => j.id)].sort());
    for (const s of series) {
      const job = sim.fleet.jobs.find((j) => j.id === s.jobId)!;
      const cluster = sim.fleet.clusters.find((c) => c.name === s.cluster)!;
      const m = cluster.memory;
      expect(s.deployment).toMatchObject({
        parallelism: job.parallelism,
        slotsPerTaskManager: cluster.slotsPerTm,
        taskManagers: new Set(job.slots.map((x) => x.tmId)).size,
        stateBackend: job.stateBackend,
        current: { heap: m.frameworkHeap + m.taskHeap, managed: m.managed, metaspace: m.metaspace, direct: m.frameworkOffHeap + m.taskOffHeap, network: m.network },
      });
      expect(s.deployment.topology.vertices.map((v) => v.parallelism).sort()).toEqual(job.vertices.map((v) => v.parallelism).sort());
      expect(s.deployment.topology.edges).toHaveLength(job.vertices.reduce((n, v) => n + v.inputs.length, 0));
    }
  });

  it('aligns one sample per poll with the busiest TaskManager, NaN where nothing was seen', () => {
    for (const s of series) {
      expect(s.t.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < s.t.length; i++) expect(s.t[i]!).toBeGreaterThan(s.t[i - 1]! + 1000);
      expect(finite(s.heapUsed)).toHaveLength(s.t.length);
      for (const v of s.heapUsed) expect(v).toBeLessThanOrEqual(s.deployment.current.heap);
      // JVM direct memory minus the network pool: what framework and task off-heap hold.
      for (const v of s.directUsed) expect(v).toBeLessThan(s.deployment.current.direct + 64 * 2 ** 20);
      expect(finite(s.metaspaceUsed).length).toBe(s.t.length);
      expect(finite(s.stateBytes).length).toBeGreaterThan(0);
      expect(finite(s.recordsInPerSecond).every((r) => r > 0)).toBe(true);
      expect(Number.isNaN(s.heapAfterGc[0]!)).toBe(true);
      if (s.deployment.stateBackend === 'hashmap') expect(finite(s.blockCacheUsage)).toHaveLength(0);
    }
  });

  it('filters by job and time', async () => {
    const store = await openStore(storePath, { readOnly: true });
    try {
      const first = series[0]!;
      const one = await loadJobSeries(store, { jobIds: [first.jobId] });
      expect(one.map((s) => s.jobId)).toEqual([first.jobId]);
      const later = await loadJobSeries(store, { jobIds: [first.jobId], from: first.t[1]! });
      expect(later[0]!.t.length).toBe(first.t.length - 1);
      expect(await loadJobSeries(store, { jobIds: ['no-such-job'] })).toEqual([]);
    } finally {
      store.close();
    }
  });
});

describe('loadJobSeries when the cluster clock runs 2000x faster than ours', () => {
  let sim: SimulatorHandle;
  const stores = { live: '', recorded: '' };
  beforeAll(async () => {
    sim = await startSimulator({ jobs: 3, seed: 5, speed: 2000 });
    const fleet = join(dir, 'fast-fleet.yaml');
    await writeFile(fleet, formatFleetFile(sim.fleetFile));
    stores.live = join(dir, 'fast.duckdb');
    stores.recorded = join(dir, 'fast-recorded.duckdb');
    const recording = join(dir, 'fast.jsonl');
    // The same fleet polled live and recorded (a recording leaves out an /overview answer equal to the last).
    // A 1 s interval: a recording's polls are told apart by pauses longer than half of it, so a busy
    // 2-core machine stalling a poll for a moment must not look like such a pause.
    const poll = ['--fleet', fleet, '--duration', '5s', '--interval', '1s'];
    const [live, record] = await Promise.all([runCli(['collect', ...poll, '--store', stores.live]), runCli(['record', ...poll, '--out', recording])]);
    expect(live.code, live.stderr).toBe(0);
    expect(record.code, record.stderr).toBe(0);
    const replay = await runCli(['collect', '--recording', recording, '--store', stores.recorded]);
    expect(replay.code, replay.stderr).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await sim?.close();
  });

  const read = async (path: string) => {
    const store = await openStore(path, { readOnly: true });
    try {
      const markers = (await store.connection.runAndReadAll(`SELECT cluster, epoch_ms(ts)::DOUBLE FROM cluster_observations`)).getRowsJS() as Array<[string, number]>;
      // How far each poll's last sample lies from the /overview answer that opened it.
      const spans = (await store.connection.runAndReadAll(`
        SELECT max(epoch_ms(s.ts) - epoch_ms(m.ts))::DOUBLE FROM metric_samples s
        ASOF JOIN (SELECT DISTINCT cluster, ts FROM cluster_observations) m ON s.cluster = m.cluster AND s.ts >= m.ts`)).getRowsJS() as Array<[number]>;
      return { series: await loadJobSeries(store), markers, longestSpan: spans[0]![0] };
    } finally {
      store.close();
    }
  };

  const expectLinedUp = (series: JobSeries[]) => {
    expect(series.map((s) => s.jobId).sort()).toEqual([...sim.fleet.jobs.map((j) => j.id)].sort());
    for (const s of series) {
      expect(s.t.length).toBeGreaterThanOrEqual(3);
      // Polls with a heap sample have their load: read as several polls, load would land in polls of
      // its own and be lost. (One poll may lack a metric the simulator did not answer then, e.g. a restarting job.)
      expect(finite(s.recordsInPerSecond).length).toBeGreaterThanOrEqual(s.t.length - 1);
      expect(finite(s.bytesInPerSecond).length).toBeGreaterThanOrEqual(s.t.length - 1);
      const f = extractFeatures(s).values;
      expect([f.recordsPerSubtaskEwma, f.recordsPerSubtaskP95, f.bytesPerSubtaskEwma].every((v) => v > 0), s.name).toBe(true);
    }
  };

  it('reads each poll of fma collect as one, however far apart its requests lie in cluster time', async () => {
    const { series, markers, longestSpan } = await read(stores.live);
    // The case at hand: a poll's requests lie further apart than a pause that would end a poll of wall-clock requests.
    expect(longestSpan).toBeGreaterThan(pollGapMs);
    expectLinedUp(series);
    for (const s of series) {
      const opened = markers.filter(([cluster]) => cluster === s.cluster).map(([, t]) => t);
      // One point per poll, at the /overview answer that opened it.
      expect(s.t.length).toBeGreaterThanOrEqual(opened.length - 1);
      expect([...s.t].every((t) => opened.includes(t))).toBe(true);
    }
  });

  it('reads a recording of it, which keeps few /overview answers, by the pauses between polls', async () => {
    const { series, markers } = await read(stores.recorded);
    for (const s of series) expect(markers.filter(([cluster]) => cluster === s.cluster).length).toBeLessThan(s.t.length / 2);
    expectLinedUp(series);
  });
});

describe('loadJobSeries on a recording written by a tool outside this project', () => {
  it('reads the three jobs with their TaskManagers, pools and RocksDB cache figures', async () => {
    const store = await openStore(join(dir, 'outside.duckdb'));
    try {
      const ingested = await ingestRecordings(store, [outsideCapture]);
      expect(ingested.understood).toBe(ingested.lines);
      const byName = new Map((await loadJobSeries(store)).map((s) => [s.name, s]));
      expect([...byName.keys()].sort()).toEqual(['bookings-router', 'fraud-archiver-v2', 'pricing-features']);
      const bookings = byName.get('bookings-router')!;
      // memoryConfiguration: framework heap 128 MiB + task heap; one TaskManager, hashmap, polled every minute for two hours.
      expect(bookings.deployment).toMatchObject({ taskManagers: 1, slotsPerTaskManager: 4, stateBackend: 'hashmap', current: { heap: 134217728 + 1573031758 } });
      // Its polls come a minute apart with /overview asked only hourly: each is read as one poll.
      for (const s of byName.values()) {
        expect(s.t.length).toBe(120);
        for (let i = 1; i < s.t.length; i++) expect(Math.abs(s.t[i]! - s.t[i - 1]! - 60_000)).toBeLessThan(100);
      }
      // Direct memory used is 280 MB of which 263 MB is the network pool.
      expect(Math.max(...finite(bookings.directUsed))).toBeLessThan(32 * 2 ** 20);
      const pricing = byName.get('pricing-features')!;
      expect(pricing.deployment).toMatchObject({ taskManagers: 2, slotsPerTaskManager: 8, stateBackend: 'rocksdb', parallelism: 12 });
      expect(finite(pricing.blockCacheUsage).length).toBeGreaterThan(0);
      const fraud = byName.get('fraud-archiver-v2')!;
      expect(fraud.deployment.current.managed).toBe(40 * 2 ** 30);
      expect(finite(fraud.blockCacheHitRatio).every((r) => r >= 0 && r <= 1)).toBe(true);
    } finally {
      store.close();
    }
  });
});
