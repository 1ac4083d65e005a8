import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyHarvest, type Harvest } from '../collector/harvest.ts';
import { openStore } from '../store/history-store.ts';
import { writeHarvest } from '../store/write-harvest.ts';
import { tempDir } from '../test-support/temp-dir.ts';
import { loadJobFacts, loadJobManagerFacts } from './store-facts.ts';

const t0 = 1_731_750_000_000;

function poll(ts: number, flinkVersion: string | undefined): Harvest {
  return {
    ...emptyHarvest(),
    clusters: [{ ts, cluster: 'c', taskManagers: 1, slotsTotal: 2, ...(flinkVersion ? { flinkVersion } : {}) }],
    jobs: [{ ts, cluster: 'c', jobId: 'j', name: 'job', state: 'RUNNING' }],
    samples: [{ ts, cluster: 'c', scope: 'jobmanager', metric: 'Status.JVM.Memory.Heap.Used', value: 100 + ts - t0 }],
  };
}

describe('store facts', () => {
  it("name a cluster's Flink version from the newest /overview that gave one", async () => {
    const store = await openStore(join(await tempDir('fma-facts-'), 'history.duckdb'));
    try {
      // The newest answer names no version (a capture that left the field out).
      for (const [i, version] of [['1.17.2'], ['1.18.1'], [undefined]].entries()) await writeHarvest(store.connection, poll(t0 + i, version[0]), `r${i}`);
      const jobManager = (await loadJobManagerFacts(store.connection)).get('c');
      expect(jobManager).toMatchObject({ flinkVersion: '1.18.1', heapUsedPeak: 102, samples: 3, jobs: 1 });
      expect((await loadJobFacts(store.connection)).map((j) => j.flinkVersion)).toEqual(['1.18.1']);
    } finally {
      store.close();
    }
  });
});
