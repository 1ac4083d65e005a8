import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyHarvest, type Harvest } from '../collector/harvest.ts';
import { openStore } from '../store/history-store.ts';
import { writeHarvest } from '../store/write-harvest.ts';
import { tempDir } from '../test-support/temp-dir.ts';
import { backendNamed, stateBackendOf } from './store-series-backend.ts';
import { loadJobSeries } from './store-series.ts';

describe('backendNamed', () => {
  it("reads config values and checkpoint configs' class names of every Flink version", () => {
    for (const rocks of ['rocksdb', 'EmbeddedRocksDBStateBackend', 'RocksDBStateBackend', 'org.apache.flink.contrib.streaming.state.RocksDBStateBackendFactory', 'forst', 'ForStStateBackend']) {
      expect(backendNamed(rocks), rocks).toBe('rocksdb');
    }
    for (const heap of ['hashmap', 'HashMapStateBackend', 'FsStateBackend', 'MemoryStateBackend', 'filesystem', 'jobmanager']) {
      expect(backendNamed(heap), heap).toBe('hashmap');
    }
    for (const unknown of [undefined, null, '', 'ChangelogStateBackend', 'com.example.MyStateBackendFactory']) expect(backendNamed(unknown)).toBeUndefined();
  });
});

describe('stateBackendOf weighs the evidence in order', () => {
  it('checkpoint config, then RocksDB metrics, then the job config, then the cluster config, then managed memory in a streaming job', () => {
    const all = { checkpointConfig: 'HashMapStateBackend', rocksDbMetrics: true, jobConfig: 'rocksdb', clusterConfig: 'rocksdb', managedUsed: true, jobType: 'STREAMING' };
    expect(stateBackendOf(all)).toBe('hashmap');
    expect(stateBackendOf({ ...all, checkpointConfig: 'ChangelogStateBackend' })).toBe('rocksdb');
    expect(stateBackendOf({ ...all, checkpointConfig: undefined, rocksDbMetrics: false, jobConfig: 'hashmap' })).toBe('hashmap');
    expect(stateBackendOf({ ...all, checkpointConfig: undefined, rocksDbMetrics: false, jobConfig: undefined, clusterConfig: 'hashmap' })).toBe('hashmap');
    expect(stateBackendOf({ managedUsed: true, jobType: 'STREAMING' })).toBe('rocksdb');
    expect(stateBackendOf({ managedUsed: true })).toBe('rocksdb');
    expect(stateBackendOf({ managedUsed: true, jobType: 'BATCH' })).toBe('hashmap');
    expect(stateBackendOf({ managedUsed: false })).toBe('hashmap');
  });
});

/** One poll of a cluster: its jobs (all sharing its one TaskManager), configs and managed memory in use. */
function poll(cluster: string, o: { jobs: string[]; managedUsed: number; clusterBackend?: string; jobBackend?: Record<string, string>; checkpoint?: Record<string, string>; jobType?: string }): Harvest {
  const ts = Date.parse('2025-01-07T00:00:00Z');
  const h = emptyHarvest();
  const tmId = `${cluster}-taskmanager-1-1`;
  h.taskManagers.push({ ts, cluster, tmId, slots: 4, slotsByJob: Object.fromEntries(o.jobs.map((j) => [j, 1])) });
  for (const [metric, value] of [['Status.JVM.Memory.Heap.Used', 1e9], ['Status.Flink.Memory.Managed.Used', o.managedUsed]] as const) {
    h.samples.push({ ts, cluster, scope: 'taskmanager', tmId, metric, value });
  }
  if (o.clusterBackend) h.configs.push({ ts, cluster, source: 'jobmanager', entries: { 'state.backend.type': o.clusterBackend } });
  for (const jobId of o.jobs) {
    h.jobs.push({ ts, cluster, jobId, name: `job-${jobId}`, state: 'RUNNING', jobType: o.jobType ?? 'STREAMING' });
    const own = o.jobBackend?.[jobId];
    if (own) h.configs.push({ ts, cluster, jobId, source: 'jobmanager', entries: { 'state.backend.type': own } });
    const named = o.checkpoint?.[jobId];
    if (named) h.checkpointConfigs.push({ ts, cluster, jobId, stateBackend: named, mode: 'EXACTLY_ONCE', intervalMs: 60_000 });
  }
  return h;
}

describe("loadJobSeries takes each job's state backend from the store, strongest evidence first", () => {
  it('per job in a session cluster, from its checkpoint config, then configs, then managed memory', async () => {
    const store = await openStore(join(await tempDir('fma-backend-'), 'history.duckdb'));
    try {
      const polls = [
        // The bug this guards against: a session cluster's config says nothing (or only a default), its jobs differ.
        poll('session', { jobs: ['s-rocks', 's-heap'], managedUsed: 512e6, checkpoint: { 's-rocks': 'EmbeddedRocksDBStateBackend', 's-heap': 'HashMapStateBackend' } }),
        poll('session-default', { jobs: ['d-rocks'], managedUsed: 512e6, clusterBackend: 'hashmap', checkpoint: { 'd-rocks': 'RocksDBStateBackend' } }),
        poll('own-config', { jobs: ['o-rocks'], managedUsed: 0, clusterBackend: 'hashmap', jobBackend: { 'o-rocks': 'rocksdb' } }),
        poll('own-heap', { jobs: ['o-heap'], managedUsed: 512e6, clusterBackend: 'rocksdb', jobBackend: { 'o-heap': 'hashmap' } }),
        poll('cluster-config', { jobs: ['c-rocks'], managedUsed: 0, clusterBackend: 'rocksdb' }),
        poll('cluster-heap', { jobs: ['c-heap'], managedUsed: 512e6, clusterBackend: 'hashmap' }),
        poll('inferred', { jobs: ['i-rocks'], managedUsed: 512e6 }),
        poll('batch', { jobs: ['b-batch'], managedUsed: 512e6, jobType: 'BATCH' }),
        poll('idle', { jobs: ['n-heap'], managedUsed: 0 }),
      ];
      for (const [i, h] of polls.entries()) await writeHarvest(store.connection, h, `run-${i}`);
      const backends = Object.fromEntries((await loadJobSeries(store)).map((s) => [s.jobId, s.deployment.stateBackend]));
      expect(backends).toEqual({
        's-rocks': 'rocksdb',
        's-heap': 'hashmap',
        'd-rocks': 'rocksdb',
        'o-rocks': 'rocksdb',
        'o-heap': 'hashmap',
        'c-rocks': 'rocksdb',
        'c-heap': 'hashmap',
        'i-rocks': 'rocksdb',
        'b-batch': 'hashmap',
        'n-heap': 'hashmap',
      });
      // The checkpoint config is a changes-only table: the same answer again adds no version.
      await writeHarvest(store.connection, polls[0]!, 'again');
      const rows = await store.connection.runAndReadAll(`SELECT job_id, state_backend, interval_ms FROM job_checkpoint_configs WHERE cluster = 'session' ORDER BY job_id`);
      expect(rows.getRowsJS()).toEqual([
        ['s-heap', 'HashMapStateBackend', 60_000n],
        ['s-rocks', 'EmbeddedRocksDBStateBackend', 60_000n],
      ]);
    } finally {
      store.close();
    }
  });
});
