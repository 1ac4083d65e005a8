import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyHarvest, type Harvest, type MetricSample } from '../collector/harvest.ts';
import { tempDir } from '../test-support/temp-dir.ts';
import { openStore, type HistoryStore } from './history-store.ts';
import { writeHarvest } from './write-harvest.ts';

const opened: HistoryStore[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

async function freshStore(): Promise<HistoryStore> {
  const store = await openStore(join(await tempDir('fma-append-new-'), 'history.duckdb'));
  opened.push(store);
  return store;
}

function harvestOf(samples: MetricSample[]): Harvest {
  return { ...emptyHarvest(), samples };
}

async function storedSamples(store: HistoryStore) {
  const result = await store.connection.runAndReadAll(
    `SELECT epoch_ms(ts) AS ts, tm_id, agg, value FROM metric_samples ORDER BY ts, scope, metric, agg NULLS FIRST, subtask NULLS FIRST`,
  );
  return result.getRowObjectsJS().map((r) => ({ ts: Number(r.ts), tmId: r.tm_id, agg: r.agg, value: r.value }));
}

const t0 = 1_731_750_000_000;
// NULL ids (no job, no subtask, no agg) must still compare equal for the identity.
const tmHeap: MetricSample = { ts: t0, cluster: 'c', scope: 'taskmanager', tmId: 'tm-1', metric: 'Status.JVM.Memory.Heap.Used', value: 100 };
const vertexMax: MetricSample = { ts: t0, cluster: 'c', scope: 'vertex', jobId: 'j', vertexId: 'v', metric: 'numRecordsIn', agg: 'max', value: 7 };

describe('appending only what is not stored', () => {
  it('adds a sample read again (NULL ids included) once, keeping the value stored first', async () => {
    const store = await freshStore();
    expect((await writeHarvest(store.connection, harvestOf([tmHeap, vertexMax]), 'r1')).samples).toBe(2);
    // The same identities with other values: the stored ones stay.
    const again = await writeHarvest(store.connection, harvestOf([{ ...tmHeap, value: 999 }, { ...vertexMax, value: 999 }]), 'r2');
    expect(again).toEqual({ samples: 0, rows: 0 });
    expect((await storedSamples(store)).map((s) => s.value)).toEqual([100, 7]);
  });

  it('keeps samples that differ in any identity column, and the first of a repeat within one batch', async () => {
    const store = await freshStore();
    const batch: MetricSample[] = [
      tmHeap,
      { ...tmHeap, value: 555 }, // repeated within the batch: dropped
      { ...tmHeap, ts: t0 + 1 },
      { ...tmHeap, tmId: 'tm-2' },
      { ...tmHeap, agg: 'max' },
      vertexMax,
      { ...vertexMax, agg: 'min' },
      { ...vertexMax, scope: 'subtask', agg: undefined, subtask: 0 },
      { ...vertexMax, scope: 'subtask', agg: undefined, subtask: 1 },
    ];
    expect((await writeHarvest(store.connection, harvestOf(batch), 'r1')).samples).toBe(8);
    const stored = await storedSamples(store);
    expect(stored.filter((s) => s.tmId === 'tm-1' && s.ts === t0 && s.agg === null).map((s) => s.value)).toEqual([100]);
    // A later batch overlapping the first in time adds only its new sample.
    expect((await writeHarvest(store.connection, harvestOf([...batch, { ...tmHeap, ts: t0 + 2 }]), 'r2')).samples).toBe(1);
    expect(await storedSamples(store)).toHaveLength(9);
  });

  it('adds no version, checkpoint or exception twice', async () => {
    const store = await freshStore();
    const h: Harvest = {
      ...emptyHarvest(),
      clusters: [{ ts: t0, cluster: 'c', taskManagers: 1, slotsTotal: 2 }],
      jobs: [{ ts: t0, cluster: 'c', jobId: 'j', name: 'job', state: 'RUNNING' }],
      configs: [
        { ts: t0, cluster: 'c', source: 'jobmanager', entries: { 'state.backend.type': 'rocksdb' } },
        { ts: t0 + 1, cluster: 'c', source: 'jobmanager', entries: { 'state.backend.type': 'hashmap' } },
      ],
      checkpoints: [{ cluster: 'c', jobId: 'j', checkpointId: 1, status: 'COMPLETED', isSavepoint: false, stateSize: 10 }],
      exceptions: [{ ts: t0, cluster: 'c', jobId: 'j', name: 'java.lang.OutOfMemoryError', message: 'Java heap space', memoryFailure: 'heap' }],
    };
    const first = await writeHarvest(store.connection, h, 'r1');
    expect(first.rows).toBe(6);
    // The second read starts at the older config: not the latest stored, but stored already.
    // Only the poll markers (cluster and job observations) are appended again.
    expect(await writeHarvest(store.connection, h, 'r2')).toEqual({ samples: 0, rows: 2 });
    const configs = await store.connection.runAndReadAll(`SELECT epoch_ms(ts), value FROM configs ORDER BY ts`);
    expect(configs.getRowsJS()).toEqual([[BigInt(t0), 'rocksdb'], [BigInt(t0 + 1), 'hashmap']]);
  });
});
